"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.report import RenderOptions

from jamacheck.rules.catalogue import BY_CODE


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, options: RenderOptions) -> str:
    lines = []
    for f in report.findings:
        title = escape_property(f"{f.code} {BY_CODE[f.code].name}")
        lines.append(f"::{f.severity} file={escape_property(f.path)},line={f.line},col={f.column},"
                     f"title={title}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)
