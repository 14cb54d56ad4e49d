"""Machine output: the findings and live results as one JSON document (SPEC §6)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jamacheck.finding import Finding
from jamacheck.rules.catalogue import BY_CODE

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.report import RenderOptions


def as_dict(report: Report) -> dict[str, object]:
    document = {
        "version": 1,
        "files": report.files,
        "summary": {"errors": report.count("error"), "warnings": report.count("warning")},
        "findings": [_finding(f) for f in report.findings],
    }
    if report.live_requested:
        document["live"] = [result.as_dict() for result in report.live]
    return document


def _finding(f: Finding) -> dict[str, object]:
    item: dict[str, object] = {"path": f.path, "line": f.line, "column": f.column, "code": f.code,
            "name": BY_CODE[f.code].name, "severity": f.severity, "message": f.message,
            "connector": f.connector}
    if f.fix is not None:
        item["fix"] = f.fix.as_dict()
    return item


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
