"""The report as it may be shown: every text masked with the run's secrets, and for terminals
and logs escaped. Applied once, in ``report.render``, so no format can forget it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from jamacheck import masking

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.fix.model import Fix
    from jamacheck.live.result import ConnectorResult


def cleaner(terminal: bool) -> Callable[[str], str]:
    """Masks, and for a terminal or a log also escapes control characters."""
    return masking.shown if terminal else masking.redact


def shown_report(report: Report, terminal: bool) -> Report:
    clean = cleaner(terminal)
    findings = [replace(finding, path=clean(finding.path), message=clean(finding.message),
                        connector=None if finding.connector is None else clean(finding.connector),
                        fix=_shown_fix(finding.fix))
                for finding in report.findings]
    sources = {clean(path): source for path, source in report.sources.items()}
    live = [_shown_result(result, clean) for result in report.live]
    return replace(report, files=[clean(path) for path in report.files], findings=findings, sources=sources,
                   live=live)


def _shown_fix(fix: Fix | None) -> Fix | None:
    """A fix's replacement text is shown in json and SARIF: masked like every other text."""
    if fix is None:
        return None
    edits = tuple(replace(edit, replacement=masking.redact(edit.replacement)) for edit in fix.edits)
    return replace(fix, edits=edits)


def _shown_result(result: ConnectorResult, clean: Callable[[str], str]) -> ConnectorResult:
    shown = copy.copy(result)
    shown.connector = clean(str(result.connector))
    shown.path = clean(str(result.path))
    shown.checks = []
    for check in result.checks:
        item = copy.copy(check)
        item.check = clean(str(check.check))
        item.detail = clean(str(check.detail))
        shown.checks.append(item)
    return shown
