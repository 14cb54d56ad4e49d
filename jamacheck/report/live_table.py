"""The live results as a table for people: one row per connector, one column per kind of check."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamacheck.live.result import ConnectorResult
    from jamacheck.report.text_format import Style

import sys

_SYMBOLS = {"pass": "✓", "fail": "✗", "skip": "–", "unknown": "?"}
_ASCII = {"pass": "ok", "fail": "X", "skip": "-", "unknown": "?"}
_COLORS = {"pass": "green", "fail": "red", "skip": None, "unknown": "yellow"}


def _symbols() -> dict[str, str]:
    try:
        "✓✗–".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return _ASCII
    return _SYMBOLS


def _column(check: str) -> str:
    return check.split(":", 1)[0]


def _combined(statuses: list[str]) -> str:
    for status in ("fail", "unknown", "pass", "skip"):
        if status in statuses:
            return status
    return ""


def render_table(results: list[ConnectorResult], style: Style) -> list[str]:
    symbols = _symbols()
    columns: list[str] = []
    for result in results:
        for check in result.checks:
            if _column(check.check) not in columns:
                columns.append(_column(check.check))
    width = max([len("connector"), *(len(r.connector) for r in results)])
    lines = ["", "Live checks", "  ".join(["connector".ljust(width), *(c.ljust(7) for c in columns)]).rstrip()]
    details = []
    for result in results:
        cells = []
        for column in columns:
            status = _combined([c.status for c in result.checks if _column(c.check) == column])
            mark = symbols.get(status, "")
            cells.append(style(mark.ljust(7), fg=_COLORS.get(status)) if status else " " * 7)
        lines.append("  ".join([result.connector.ljust(width), *cells]).rstrip())
        for check in result.checks:
            if check.status in ("fail", "unknown"):
                details.append(f"  {result.connector} ({result.path}:{result.line}) {check.check}: {check.detail}")
    if details:
        lines.extend(["", *details])
    lines.append("")
    return lines
