"""JC001's fix: the unused codes removed from a suppression comment, or the whole comment.

A comment left with no code goes with the blanks before it; a comment on a line of its
own goes with its line, so no blank line or trailing blank is left behind.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection

import yaml

from jamacheck.fix.model import SAFE, Edit, Fix

_DIRECTIVE = re.compile(r"#\s*jamacheck:\s*(?:disable-file|disable)\b[ \t]*(?:=[ \t]*)?")
_CODES = re.compile(r"[^\s,#]+(?:[ \t]*,[ \t]*[^\s,#]+)*")
_CODE = re.compile(r"[^\s,#]+")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def suppression_fix(lines: list[str], line: int, column: int, unused: Collection[str]) -> Fix | None:
    """Remove the codes ``unused`` (upper case) from the comment whose ``#`` is at ``line``:``column``.

    ``unused`` holds every code of that comment that is reported as JC001 (an empty
    collection: the comment names no code), so each of its JC001 findings gets the same
    edit when nothing would be left.
    """
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    start = column - 1
    directive = _DIRECTIVE.match(text, start)
    if directive is None or not _is_comment(lines, line - 1, start):
        return None
    listed = _CODES.match(text, directive.end()) if directive.group().rstrip().endswith("=") else None
    codes = [(m.start(), m.end(), m.group()) for m in _CODE.finditer(listed.group())] if listed else []
    kept = [code for code in codes if code[2].upper() not in unused]
    if kept and listed is not None:
        separator = _separator(listed.group(), codes)
        written = separator.join(code for _, _, code in kept)
        if written == listed.group():
            return None
        return Fix(SAFE, (Edit(line, listed.start() + 1, line, listed.end() + 1, written),))
    return Fix(SAFE, (_remove_comment(lines, line, start),))


_scanned: list[tuple[list[str], list[tuple[tuple[int, int], tuple[int, int]]] | None]] = []


def _is_comment(lines: list[str], line: int, column: int) -> bool:
    """Is the ``#`` at 0-based ``line``/``column`` a YAML comment, not text of a scalar?

    The suppression parser reads lines; a `# jamacheck:` inside a quoted or block scalar
    looks the same to it, and removing it would change the value.
    """
    if not _scanned or _scanned[0][0] is not lines:
        _scanned[:] = [(lines, _scalar_spans(lines))]
    spans = _scanned[0][1]
    if spans is None:
        return False
    at = bisect.bisect_right(spans, ((line, column), (line, column))) - 1  # the last token starting here or before
    return at < 0 or not spans[at][0] <= (line, column) < spans[at][1]


def _scalar_spans(lines: list[str]) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """Where each scalar token starts and ends (in order, none overlapping), or None when the text
    cannot be scanned."""
    try:
        return [((token.start_mark.line, token.start_mark.column), (token.end_mark.line, token.end_mark.column))
                for token in yaml.scan("\n".join(lines), Loader=_LOADER)
                if isinstance(token, yaml.ScalarToken)]
    except yaml.YAMLError:
        return None


def _separator(listed: str, codes: list[tuple[int, int, str]]) -> str:
    """The separator the comment used between its first two codes (``,`` or ``, ``)."""
    return listed[codes[0][1]:codes[1][0]] if len(codes) > 1 else ", "


def _remove_comment(lines: list[str], line: int, start: int) -> Edit:
    text = lines[line - 1]
    before = text[:start].rstrip(" \t")
    if before:  # code before the comment: remove the comment and the blanks before it
        return Edit(line, len(before) + 1, line, len(text) + 1, "")
    if line < len(lines):  # a line of its own: remove it with its line break
        return Edit(line, 1, line + 1, 1, "")
    if line > 1:  # the last line, without a final line break: remove the break before it
        return Edit(line - 1, len(lines[line - 2]) + 1, line, len(text) + 1, "")
    return Edit(line, 1, line, len(text) + 1, "")
