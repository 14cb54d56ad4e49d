"""Human output: ``path:line:col: severity JCnnn [name] message``, source, summary."""

from __future__ import annotations

import click

from jamacheck.rules.catalogue import BY_CODE

_COLORS = {"error": "red", "warning": "yellow"}


def render(report, options) -> str:
    style = click.style if options.color else (lambda text, **_: text)
    out: list[str] = []
    for finding in report.findings:
        severity = style(finding.severity, fg=_COLORS[finding.severity], bold=True)
        location = style(f"{finding.path}:{finding.line}:{finding.column}:", bold=True)
        name = BY_CODE[finding.code].name
        out.append(f"{location} {severity} {style(finding.code, bold=True)} [{name}] {finding.message}")
        source = report.sources.get(finding.path)
        if options.show_source and source is not None:
            out.extend(_snippet(source, finding, style))
    if report.live:
        from jamacheck.report.live_table import render_table

        out.extend(render_table(report.live, style))
    out.append(summary(report))
    return "\n".join(out) + "\n"


def summary(report) -> str:
    # The wording is the contract's (SPEC §6), plural forms included, for scripts that parse it.
    return (f"{report.count('error')} errors, {report.count('warning')} warnings "
            f"in {len(report.files)} files")


def _snippet(source, finding, style) -> list[str]:
    index = finding.line - 1
    if not 0 <= index < len(source.lines):
        return []
    text = source.masked_line(index)
    caret_at = min(source.caret_column(index, finding.column - 1), len(text))
    padding = "".join(char if char == "\t" else " " for char in text[:caret_at])
    gutter = " " * len(str(finding.line))
    caret = style("^", fg=_COLORS[finding.severity], bold=True)
    return [f" {finding.line} | {text}", f" {gutter} | {padding}{caret}"]
