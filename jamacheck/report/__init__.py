"""Report formats: each module renders a finished Report to text."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

FORMATS = ("text", "json", "sarif", "github", "gitlab")


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    show_source: bool = False
    statistics: bool = False  # text: one line per code with its count instead of the findings
    quiet: bool = False  # text: only the summary line (and the live table)


def render(name: str, report, options: RenderOptions) -> str:
    module = importlib.import_module(f"jamacheck.report.{name}_format")
    return module.render(report, options)
