"""Positions on the source text: YAML's lines, and edits applied by offset."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from jamacheck.fix.model import Edit

# The line breaks YAML counts (positions of findings and nodes are on these lines).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Characters str.splitlines() also breaks at but YAML does not: with one of them in a file,
# the lines of suppression comments and of nodes disagree, so such a file is never fixed.
ODD_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e")


class Lines:
    """Where each line of ``text`` starts and what ends it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []  # offset of each line's break (or of the end of the text)
        for match in _BREAK.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))

    def offset(self, line: int, column: int) -> int:
        """Offset of 1-based ``line``/``column``; column ``len(line) + 1`` is the line's break."""
        if not 1 <= line <= len(self.starts):
            raise ValueError(f"line {line} is outside the text")
        start = self.starts[line - 1]
        if not 1 <= column <= self.ends[line - 1] - start + 1:
            raise ValueError(f"column {column} is outside line {line}")
        return start + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line - 1]:self.ends[line - 1]]


def spans(lines: Lines, edits: Iterable[Edit]) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` offsets of ``edits``."""
    return [(lines.offset(e.line, e.column), lines.offset(e.end_line, e.end_column), e.replacement)
            for e in edits]


def apply_spans(text: str, chosen: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with non-overlapping spans replaced, in one pass."""
    pieces, done = [], 0
    for start, end, replacement in sorted(chosen):
        pieces += [text[done:start], replacement]
        done = end
    return "".join(pieces) + text[done:]


class Spans:
    """Chosen spans that do not overlap, kept sorted so a new one is checked against two neighbours."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.chosen: list[tuple[int, int, str]] = []

    def fits(self, start: int, end: int) -> bool:
        """Shares no character with a chosen span, and starts where none starts (two insertions there)."""
        at = bisect.bisect_left(self.starts, start)
        if at > 0 and self.ends[at - 1] > start:
            return False
        return at == len(self.starts) or (self.starts[at] >= end and self.starts[at] != start)

    def add(self, span: tuple[int, int, str]) -> None:
        at = bisect.bisect_left(self.starts, span[0])
        self.starts.insert(at, span[0])
        self.ends.insert(at, span[1])
        self.chosen.append(span)
