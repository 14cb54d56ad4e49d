"""Human output: ``path:line:col: severity JCnnn [name] message``, source, summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from jamacheck import masking
from jamacheck.rules.catalogue import BY_CODE

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.finding import Finding
    from jamacheck.report import RenderOptions
    from jamacheck.yaml.source import Source

Style = Callable[..., str]

_COLORS = {"error": "red", "warning": "yellow"}


def render(report: Report, options: RenderOptions) -> str:
    style: Style = click.style if options.color else _plain
    out: list[str] = []
    if not options.quiet:
        out.extend(statistics(report, style) if options.statistics else _findings(report, options, style))
    if report.live:
        from jamacheck.report.live_table import render_table

        table = render_table(report.live, style)
        out.extend(table if out else table[1:])  # its blank line separates it from findings only
    out.append(summary(report))
    return "\n".join(out) + "\n"


def _plain(text: str, **_: object) -> str:
    return text


def _findings(report: Report, options: RenderOptions, style: Style) -> list[str]:
    out: list[str] = []
    for finding in report.findings:
        severity = style(finding.severity, fg=_COLORS[finding.severity], bold=True)
        location = style(f"{finding.path}:{finding.line}:{finding.column}:", bold=True)
        name = BY_CODE[finding.code].name
        out.append(f"{location} {severity} {style(finding.code, bold=True)} [{name}] {finding.message}")
        source = report.sources.get(finding.path)
        if options.show_source and source is not None:
            out.extend(_snippet(source, finding, style))
    return out


def statistics(report: Report, style: Style) -> list[str]:
    """`--statistics`: `count  code  [name]`, the most frequent code first, then by code."""
    counts = Counter(finding.code for finding in report.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(ordered[0][1])) if ordered else 1
    return [f"{count:>{width}}  {style(code, bold=True)}  [{BY_CODE[code].name}]" for code, count in ordered]


def summary(report: Report) -> str:
    # The wording is the contract's (SPEC §4): "1 error, 2 warnings in 1 file".
    text = (f"{_count(report.count('error'), 'error')}, {_count(report.count('warning'), 'warning')} "
            f"in {_count(len(report.files), 'file')}")
    if report.hidden is not None:
        text += f" ({report.hidden} hidden by the baseline)"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _snippet(source: Source, finding: Finding, style: Style) -> list[str]:
    index = finding.line - 1
    if not 0 <= index < len(source.lines):
        return []
    raw = source.masked_line(index)
    text = masking.shown(raw)
    caret_at = min(len(masking.shown(raw[:source.caret_column(index, finding.column - 1)])), len(text))
    padding = "".join(char if char == "\t" else " " for char in text[:caret_at])
    gutter = " " * len(str(finding.line))
    caret = style("^", fg=_COLORS[finding.severity], bold=True)
    return [f" {finding.line} | {text}", f" {gutter} | {padding}{caret}"]
