"""--diff: the fixes as a unified diff that `patch -p0` and `git apply` accept.

File names are written `./path`, which `patch -p0` reads as is and `git apply` (which
strips one leading component) reads as `path`. Lines keep their CR of a CRLF ending and
the last line its missing final newline (`\\ No newline at end of file`). A line that holds
a secret is shown masked, and a control character escaped; the hunk is then marked in its
header as one that cannot be applied (apply it with --fix).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator

from jamacheck import masking
from jamacheck.fix.loop import FileFix
from jamacheck.yaml.source import MASK, Source

CONTEXT = 3
UNAPPLICABLE = " cannot be applied: a line is shown masked or escaped; use --fix to apply it"
_QUOTED_REFERENCE = re.compile(r"""(?:[&!][^\s'"]*[ \t]+)*(["']?)\$\{[A-Za-z_][A-Za-z0-9_]*\}\1""")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
# C0 controls other than tab (a CR only as part of a CRLF ending), DEL, C1, bidi controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n\\Z)")


def unified_diff(item: FileFix, before: Source | None, after: Source | None) -> str:
    """The diff of one fixed file; ``before``/``after`` mask the secrets of each version."""
    old, new = _lines(item.original), _lines(item.fixed)
    old_shown, new_shown = _shown(old, before), _shown(new, after)
    name = _name(item.path)
    if " " in name:  # as git writes it: a tab ends a name with blanks, which `patch` would cut at the blank
        name += "\t"
    out = [f"--- {name}\n", f"+++ {name}\n"]
    changes = line_changes(old, new)
    masked = [real != text for real, text in zip(old, old_shown, strict=True)]
    for start, end, group in _hunks(changes, masked):
        body: list[str] = []
        clean = True
        at = start
        for i1, i2, j1, j2 in group:
            clean &= _emit(body, " ", old[at:i1], old_shown[at:i1])
            clean &= _emit(body, "-", old[i1:i2], old_shown[i1:i2])
            clean &= _emit(body, "+", new[j1:j2], new_shown[j1:j2])
            at = i2
        clean &= _emit(body, " ", old[at:end], old_shown[at:end])
        first, last = group[0], group[-1]
        new_start, new_end = first[2] - (first[0] - start), last[3] + (end - last[1])
        header = f"@@ -{_range(start, end)} +{_range(new_start, new_end)} @@"
        out.append(header + ("" if clean else UNAPPLICABLE) + "\n")
        out.extend(body)
    return "".join(out)


Change = tuple[int, int, int, int]  # old lines i1:i2 become new lines j1:j2
# difflib's matcher is quadratic: past this many lines in the changed middle, one change.
_MATCHER_LIMIT = 2000


def line_changes(old: list[str], new: list[str]) -> list[Change]:
    """Which old lines become which new ones, in time linear in the file for what fixes do.

    Fixes edit within lines, so the line counts usually agree and line i stays line i: the
    runs of differing lines are the changes. Otherwise (a JC001 fix removed a comment line)
    the common start and end are set aside and only the middle is matched.
    """
    if len(old) == len(new):
        changes: list[Change] = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a == b:
                continue
            if changes and changes[-1][1] == i:
                changes[-1] = (changes[-1][0], i + 1, changes[-1][2], i + 1)
            else:
                changes.append((i, i + 1, i, i + 1))
        return changes
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle_old, middle_new = old[head:len(old) - tail], new[head:len(new) - tail]
    if max(len(middle_old), len(middle_new)) > _MATCHER_LIMIT:
        return [(head, len(old) - tail, head, len(new) - tail)]
    matcher = difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False)
    return [(i1 + head, i2 + head, j1 + head, j2 + head)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _hunks(changes: list[Change], masked: list[bool]) -> list[tuple[int, int, list[Change]]]:
    """Hunks as (first old line, end old line, changes), with context that avoids masked lines.

    A hunk whose context would hold a masked line gets less context (the same on both sides,
    as `patch` wants it, and at least one line after it, as `git apply` wants it unless at the
    end of the file), so only a change that itself holds a secret cannot be applied.
    """
    hunks: list[tuple[int, int, list[Change]]] = []
    for change in changes:
        lead, trail = _context(change, masked)
        start, end = change[0] - lead, change[1] + trail
        if hunks and start <= hunks[-1][1]:
            hunks[-1] = (hunks[-1][0], max(end, hunks[-1][1]), [*hunks[-1][2], change])
        else:
            hunks.append((start, end, [change]))
    return [_balanced(hunk, len(masked)) for hunk in hunks]


def _balanced(hunk: tuple[int, int, list[Change]], size: int) -> tuple[int, int, list[Change]]:
    """As much context after the changes as before them, except where the file begins or ends
    (`patch` reads less context on one side as "this hunk is at that end of the file")."""
    start, end, group = hunk
    lead, trail = group[0][0] - start, end - group[-1][1]
    if trail > lead and start > 0:
        end -= trail - lead
    elif lead > trail and end < size:
        start += lead - trail
    return start, end, group


def _context(change: Change, masked: list[bool]) -> tuple[int, int]:
    """Lines of context before and after ``change``."""
    i1, i2 = change[0], change[1]
    lead = _clean_lines(masked, range(i1 - 1, max(-1, i1 - 1 - CONTEXT), -1))
    trail = _clean_lines(masked, range(i2, min(len(masked), i2 + CONTEXT)))
    at_start, at_end = i1 - lead == 0, i2 + trail == len(masked)
    size = min(CONTEXT if at_start else lead, CONTEXT if at_end else trail)
    if size == 0 and not (at_start and at_end):  # a masked line right beside the change
        return min(CONTEXT, i1), min(CONTEXT, len(masked) - i2)
    return min(size, lead), min(size, trail)


def _clean_lines(masked: list[bool], indexes: range) -> int:
    """How many of the lines at ``indexes``, in order, come before the first masked one."""
    count = 0
    for index in indexes:
        if masked[index]:
            break
        count += 1
    return count


def _emit(body: list[str], mark: str, real: list[str], shown: list[str]) -> bool:
    """Add lines with their mark; False when one of them is not shown as it really is."""
    clean = True
    for line, text in zip(real, shown, strict=True):
        clean &= line == text
        body.append(mark + text if text.endswith("\n") else f"{mark}{text}\n\\ No newline at end of file\n")
    return clean


def _lines(data: bytes) -> list[str]:
    return _LINE.findall(data.decode("utf-8", errors="surrogateescape"))


def _shown(lines: list[str], source: Source | None) -> list[str]:
    """Each line as it may be shown: secrets masked (by the file's Source), controls escaped."""
    masked = _masked_lines(lines, source)
    return [_escape(masking.redact(line)) for line in masked]


def _masked_lines(lines: list[str], source: Source | None) -> list[str]:
    text = "".join(lines)
    if source is None:
        return lines
    pieces = text.removeprefix("\ufeff").splitlines(keepends=True)
    if len(pieces) != len(source.lines) and not (not pieces and source.lines == [""]):
        return ["****\n" if line.endswith("\n") else "****" for line in lines]  # cannot map: hide all
    masked = "".join(source.masked_line(index) + piece[len(piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")):]
                     for index, piece in enumerate(pieces))
    if text.startswith("\ufeff"):
        masked = "\ufeff" + masked
    result = _LINE.findall(masked)
    if len(result) != len(lines):
        return ["****\n" if line.endswith("\n") else "****" for line in lines]
    return [_references_shown(real, shown) for real, shown in zip(lines, result, strict=True)]


def _references_shown(real: str, masked: str) -> str:
    """``real`` when every part that masking hid is a ``${NAME}`` reference (not a secret), else ``masked``."""
    if real == masked or MASK not in masked:
        return masked
    pattern = "(.*?)".join(re.escape(part) for part in masked.split(MASK))
    match = re.fullmatch(pattern, real, re.DOTALL)
    if match and all(_QUOTED_REFERENCE.fullmatch(hidden) for hidden in match.groups()):
        return real
    return masked


def _escape(line: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{{{ord(m.group()):04x}}}", line)


def _range(start: int, stop: int) -> str:
    """A unified diff range: 1-based start and a length (an empty range names the line before)."""
    length = stop - start
    beginning = start + 1 if length else start
    return f"{beginning}" if length == 1 else f"{beginning},{length}"


def _name(path: str) -> str:
    """The file as `./relative/path` (absolute ones under the working folder made relative)."""
    if os.path.isabs(path) and not os.path.relpath(path).startswith(".."):
        path = os.path.relpath(path)
    shown = path.replace("\\", "/")
    if not shown.startswith(("/", "./", "../")):
        shown = "./" + shown
    from jamacheck.escaping import escape_text

    return escape_text(shown)  # a name's control characters and undecodable bytes as \xNN


def diffs(files: list[FileFix], before: dict[str, Source], after: dict[str, Source]) -> Iterator[str]:
    for item in files:
        yield unified_diff(item, before.get(item.path), after.get(item.path))
