"""Inline suppression comments: ``# jamacheck: disable=JC303 -- reason`` and ``disable-file=``.

Pure functions: ``apply`` returns what it kept and which (directive, code) pairs it used, so
the engine can apply directives twice (findings, then JC001/JC002 notes) without shared state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jamacheck.finding import Finding
from jamacheck.fix.comments import suppression_fix
from jamacheck.rules.jc0_suppressions import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION

# The codes run up to a second `#`; after the codes, ` -- ` also starts the reason (free text).
_COMMENT = re.compile(r"(?:^|\s)(#\s*jamacheck:\s*(disable-file|disable)\b[ \t]*(?:=[ \t]*([^#]*))?)(.*)$")
_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")

Used = set[tuple[int, str]]  # (index of the directive, code it silenced)


@dataclass(frozen=True)
class Directive:
    line: int  # 1-based line of the comment
    column: int  # 1-based column of its '#'
    file_wide: bool
    codes: tuple[str, ...]
    target: int | None = None  # the line it silences (None: the whole file)
    reason: str = ""  # the free text after ` -- ` or a second `#`

    @property
    def kind(self) -> str:
        return "disable-file" if self.file_wide else "disable"


def parse(lines: list[str]) -> list[Directive]:
    directives = []
    for index, text in enumerate(lines):
        match = _COMMENT.search(text)
        if not match:
            continue
        codes_text, reason = _split_reason(match.group(3) or "", match.group(4))
        codes = tuple(code.strip().upper() for code in codes_text.split(",") if code.strip())
        own_line = not text[: match.start(1)].strip()
        file_wide = match.group(2) == "disable-file"
        target = None if file_wide else (_next_code_line(lines, index) if own_line else index + 1)
        directives.append(Directive(index + 1, match.start(1) + 1, file_wide, codes, target, reason))
    return directives


def _split_reason(codes_text: str, rest: str) -> tuple[str, str]:
    """``JC303 -- why`` or ``JC303 # why``: the codes, and the reason (blank when none)."""
    reason = rest[1:] if rest.startswith("#") else ""
    split = _REASON.search(codes_text)
    if split:
        reason = codes_text[split.end():] + (" " + reason if reason else "")
        codes_text = codes_text[: split.start()]
    return codes_text, reason.strip()


def _next_code_line(lines: list[str], index: int) -> int | None:
    for later in range(index + 1, len(lines)):
        stripped = lines[later].strip()
        if stripped and not stripped.startswith("#"):
            return later + 1
    return None


def apply(findings: Iterable[Finding], directives: list[Directive],
          silenceable: Callable[[str], bool] = lambda code: True) -> tuple[list[Finding], Used]:
    """The findings no directive silences, and which (directive, code) pairs silenced one."""
    kept: list[Finding] = []
    used: Used = set()
    for finding in findings:
        index = next((i for i, d in enumerate(directives) if _silences(d, finding)), None)
        if index is None or not silenceable(finding.code):
            kept.append(finding)
        else:
            used.add((index, finding.code))
    return kept, used


def _silences(directive: Directive, finding: Finding) -> bool:
    if finding.code not in directive.codes:
        return False
    return directive.file_wide or directive.target == finding.line


def unused(path: str, directives: list[Directive], used: Used, ran: Callable[[str], bool],
           known: Callable[[str], bool], lines: list[str] | None = None) -> list[Finding]:
    """JC001 for each code that silenced nothing among the codes that ran (with ``lines``: and its fix)."""
    findings: list[Finding] = []
    for index, directive in enumerate(directives):
        messages: list[str] = []
        if not directive.codes:
            messages.append(f"`{directive.kind}` names no code: write `{directive.kind}=JCnnn`; "
                            "blanket suppressions are not supported")
        removed = {code for code in directive.codes if not known(code) or ((index, code) not in used and ran(code))}
        for code in directive.codes:
            if not known(code):
                messages.append(f"`{code}` is not a jamacheck rule code: see `jamacheck rules`")
            elif code in removed:
                messages.append(f"suppression of {code} silences nothing: remove it")
        fix = suppression_fix(lines, directive.line, directive.column, removed) if lines and messages else None
        findings.extend(UNUSED_SUPPRESSION.at(path, directive.line, directive.column, message, fix=fix)
                        for message in messages)
    return findings


def without_reason(path: str, directives: list[Directive]) -> list[Finding]:
    """JC002 for each suppression that names codes but gives no reason (with require-reason)."""
    return [
        SUPPRESSION_WITHOUT_REASON.at(path, directive.line, directive.column, (
            f"suppression of {', '.join(directive.codes)} gives no reason (require-reason is on): "
            f"say why after ` -- `, e.g. `# jamacheck: {directive.kind}={','.join(directive.codes)} -- why`"))
        for directive in directives if directive.codes and not directive.reason
    ]
