"""Inline suppression comments: ``# jamacheck: disable=JC303`` and ``disable-file=``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from jamacheck.finding import Finding
from jamacheck.rules.jc0_suppressions import UNUSED_SUPPRESSION

_COMMENT = re.compile(r"(?:^|\s)(#\s*jamacheck:\s*(disable-file|disable)\b[ \t]*(?:=[ \t]*([^#]*))?)")


@dataclass
class Directive:
    line: int  # 1-based line of the comment
    column: int  # 1-based column of its '#'
    file_wide: bool
    codes: list[str]
    target: int | None = None  # the line it silences (None: the whole file)
    used: set[str] = field(default_factory=set)


def parse(lines: list[str]) -> list[Directive]:
    directives = []
    for index, text in enumerate(lines):
        match = _COMMENT.search(text)
        if not match:
            continue
        codes = [code.strip().upper() for code in (match.group(3) or "").split(",") if code.strip()]
        own_line = not text[: match.start(1)].strip()
        directive = Directive(index + 1, match.start(1) + 1, match.group(2) == "disable-file", codes)
        if not directive.file_wide:
            directive.target = _next_code_line(lines, index) if own_line else index + 1
        directives.append(directive)
    return directives


def _next_code_line(lines: list[str], index: int) -> int | None:
    for later in range(index + 1, len(lines)):
        stripped = lines[later].strip()
        if stripped and not stripped.startswith("#"):
            return later + 1
    return None


def apply(findings: Iterable[Finding], directives: list[Directive]) -> list[Finding]:
    """Drop findings a directive silences, and remember which codes each one used."""
    kept = []
    for finding in findings:
        directive = next((d for d in directives if _silences(d, finding)), None)
        if directive is None:
            kept.append(finding)
        else:
            directive.used.add(finding.code)
    return kept


def _silences(directive: Directive, finding: Finding) -> bool:
    if finding.code not in directive.codes:
        return False
    return directive.file_wide or directive.target == finding.line


def unused(path: str, directives: list[Directive], ran: Callable[[str], bool],
           known: Callable[[str], bool]) -> list[Finding]:
    """JC001 for each code that silenced nothing among the codes that ran."""
    findings = []
    kind = lambda d: "disable-file" if d.file_wide else "disable"  # noqa: E731
    for directive in directives:
        if not directive.codes:
            findings.append(UNUSED_SUPPRESSION.at(path, directive.line, directive.column,
                                    f"`{kind(directive)}` names no code: write `{kind(directive)}=JCnnn`; "
                                    "blanket suppressions are not supported"))
        for code in directive.codes:
            if not known(code):
                findings.append(UNUSED_SUPPRESSION.at(path, directive.line, directive.column,
                                        f"`{code}` is not a jamacheck rule code: see `jamacheck rules`"))
            elif code not in directive.used and ran(code):
                findings.append(UNUSED_SUPPRESSION.at(path, directive.line, directive.column,
                                        f"suppression of {code} silences nothing: remove it"))
    return findings
