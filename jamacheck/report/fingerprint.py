"""Stable identities for findings: the same problem keeps its fingerprint when lines move."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamacheck.engine import Report

import hashlib
from collections import Counter


def fingerprints(report: Report) -> list[str]:
    """One fingerprint per finding, in order: file, code, connector and the (masked) line text."""
    seen: Counter[str] = Counter()
    result = []
    for finding in report.findings:
        source = report.sources.get(finding.path)
        line_text = ""
        if source is not None and 0 < finding.line <= len(source.lines):
            line_text = source.masked_line(finding.line - 1).strip()
        key = "\x1f".join((finding.path, finding.code, finding.connector or "", line_text))
        seen[key] += 1  # identical problems on identical lines stay distinct
        result.append(hashlib.sha256(f"{key}\x1f{seen[key]}".encode("utf-8", "surrogateescape")).hexdigest())
    return result
