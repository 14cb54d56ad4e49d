"""Report formats: each module renders a finished Report to text.

``render`` shows every format a report in which every text is masked with the secrets of the
whole run (``jamacheck/masking.py``); for the formats read on a terminal or in a log (text,
github) control characters are escaped as ``\\xNN`` / ``\\u{NNNN}``, for the JSON formats they
become JSON escapes (SPEC §6).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamacheck.engine import Report

FORMATS = ("text", "json", "sarif", "github", "gitlab")
TERMINAL_FORMATS = frozenset({"text", "github"})


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False  # text: one line per code with its count instead of the findings
    quiet: bool = False  # text: only the summary line (and the live table)


def render(name: str, report: Report, options: RenderOptions) -> str:
    from jamacheck.escaping import json_safe
    from jamacheck.report.shown import shown_report

    module = importlib.import_module(f"jamacheck.report.{name}_format")
    terminal = name in TERMINAL_FORMATS
    text: str = module.render(shown_report(report, terminal), options)
    return text if terminal else json_safe(text)
