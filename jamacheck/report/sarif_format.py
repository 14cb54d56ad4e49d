"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from jamacheck import __version__, masking
from jamacheck.docs import help_uri, readme_url
from jamacheck.finding import Finding
from jamacheck.report.fingerprint import fingerprints
from jamacheck.rules._rule import Rule
from jamacheck.rules.catalogue import ALL_RULES

if TYPE_CHECKING:
    from jamacheck.engine import Report
    from jamacheck.report import RenderOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning"}


def _rule(rule: Rule) -> dict[str, object]:
    tags = ["live" if rule.live else "offline"]
    properties: dict[str, object] = {"tags": tags}
    if rule.security_severity is not None:  # GitHub ranks these as security alerts
        properties = {"tags": ["security", *tags], "security-severity": rule.security_severity}
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _masked(rule.summary)},
        "fullDescription": {"text": _masked(rule.what)},
        "help": {"text": _masked(_help(rule))},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": properties,
    }


@functools.lru_cache(maxsize=128)
def _help(rule: Rule) -> str:
    """The rule's `explain` text: the same in every run, and wrapping it costs ~0.1 ms a rule."""
    return rule.explain()


def _masked(text: str) -> str:
    """A catalogue text, masked where it holds a secret of this run (a password written as
    `hunter2`, like an example): no format prints a secret, not even in a rule's help."""
    return masking.redact(text) if any(secret in text for secret in masking.RUN.values()) else text


def artifact_uri(path: str) -> str:
    """A URI relative to the working directory (the repository root in CI)."""
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    if relative.startswith(".."):
        return Path(os.path.abspath(path)).as_uri()
    return quote(os.fsencode(Path(relative).as_posix()))  # the name's own bytes: %FF for byte 0xff


def _fix(finding: Finding) -> dict[str, object]:
    """SARIF's fix object: the edits as replacements of regions of the finding's file."""
    fix = finding.fix
    assert fix is not None
    replacements = [{
        "deletedRegion": {"startLine": edit.line, "startColumn": edit.column,
                          "endLine": edit.end_line, "endColumn": edit.end_column},
        "insertedContent": {"text": edit.replacement},
    } for edit in fix.edits]
    words = "safe fix: `jamacheck check --fix`" if fix.applicability == "safe" else \
        "unsafe fix: `jamacheck check --fix --unsafe-fixes`; review it"
    return {"description": {"text": f"{finding.code}: {words}"},
            "artifactChanges": [{"artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": "%SRCROOT%"},
                                 "replacements": replacements}]}


def as_dict(report: Report) -> dict[str, object]:
    index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
    results = []
    for finding, fingerprint in zip(report.findings, fingerprints(report)):
        location = {"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line, "startColumn": finding.column},
        }}
        result = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [location],
            "partialFingerprints": {"jamacheck/v1": fingerprint},
        }
        if finding.fix is not None:
            result["fixes"] = [_fix(finding)]
        results.append(result)
    driver = {"name": "jamacheck", "version": __version__, "semanticVersion": __version__,
              "informationUri": readme_url(), "rules": [_rule(rule) for rule in ALL_RULES]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results,
                      "columnKind": "unicodeCodePoints"}]}


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
