"""GitLab Code Quality report (a JSON array), for merge-request widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.report import RenderOptions

import json

from jamacheck.report.fingerprint import fingerprints

_SEVERITIES = {"error": "major", "warning": "minor"}


def as_list(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": _SEVERITIES[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.line}},
        }
        for f, fingerprint in zip(report.findings, fingerprints(report))
    ]


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(as_list(report), indent=2, ensure_ascii=False) + "\n"
