"""A connector file's text: decoding limits, lines, and the file's own masking.

Everything that shows file content to a user (source snippets, fingerprints) goes through
``Source.masked_line``, which hides every secret of this file where it stands (the spans that
``jamacheck/yaml/file_secrets.py`` found); the report stage then masks the secrets of the whole run
(``jamacheck/masking.py``) on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from jamacheck.masking import MASK, mask_url
from jamacheck.reading import MAX_BYTES

__all__ = ["MASK", "MAX_BYTES", "SECRET_KEYS", "Source", "Span", "UnreadableFile", "decode", "mask_url"]

# The secret fields the format defines (other secret-named keys: masking.is_secret_name).
SECRET_KEYS = frozenset({"password", "client_secret", "token"})

Span = tuple[int, int, int, int]  # (line, column, end_line, end_column), 0-based, end exclusive


class UnreadableFile(Exception):
    """The bytes cannot be a connector file (JC103)."""


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UnreadableFile("file is larger than 1 MiB; connector files are small")
    if b"\x00" in data:
        raise UnreadableFile("file contains NUL bytes: it is binary or not UTF-8 (UTF-16?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFile(f"file is not UTF-8 (invalid byte at offset {err.start}); save it as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


@dataclass(frozen=True)
class Source:
    text: str
    # secret values of this file, masked where they stand
    secret_spans: tuple[Span, ...] = ()
    # lines whose text after a secret-named key is hidden to the end of the line (a file that
    # does not parse, SPEC §6), and lines that are all secret (a broken file's multi-line secret)
    masked_tails: tuple[tuple[int, int], ...] = ()  # (line, column): hide from column to the end
    # comments that assign a secret (JC306): yaml.file_secrets.CommentSecret
    comment_secrets: tuple[Any, ...] = ()
    lines: list[str] = field(init=False, compare=False)
    _by_line: dict[int, list[tuple[int, int, int, int]]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", self.text.splitlines() or [""])
        by_line: dict[int, list[Span]] = {}
        for span in self.secret_spans:
            for index in range(span[0], span[2] + 1):
                by_line.setdefault(index, []).append(span)
        for index, column in self.masked_tails:
            by_line.setdefault(index, []).append((index, column, index, len(self.lines[index])
                                                  if index < len(self.lines) else column))
        object.__setattr__(self, "_by_line", by_line)

    def with_secrets(self, spans: tuple[Span, ...], tails: tuple[tuple[int, int], ...],
                     comments: tuple[Any, ...] = ()) -> Source:
        return replace(self, secret_spans=spans, masked_tails=tails, comment_secrets=comments)

    def masked_line(self, index: int) -> str:
        """Line ``index`` (0-based) with every secret of this file replaced by ``****``."""
        line = self.lines[index]
        cuts = self._cuts(index, line)
        for lo, hi in reversed(_merge(cuts)):
            line = line[:lo] + MASK + line[hi:]
        return mask_url(line)

    def caret_column(self, index: int, column: int) -> int:
        """0-based column in ``masked_line(index)`` of 0-based ``column`` in the real line."""
        line = self.lines[index]
        shift = 0
        for lo, hi in _merge(self._cuts(index, line)):
            if hi <= column:
                shift += len(MASK) - (hi - lo)
            elif lo <= column:
                return max(0, lo + shift)
        return max(0, column + shift)

    def _cuts(self, index: int, line: str) -> list[tuple[int, int]]:
        cuts = []
        for start_line, start_col, end_line, end_col in self._by_line.get(index, ()):
            lo = start_col if index == start_line else len(line) - len(line.lstrip())
            hi = min(end_col if index == end_line else len(line), len(line))
            if hi > lo and line[lo:hi].strip():  # a block value's end mark lies on the next line
                cuts.append((lo, hi))
        return cuts


def _merge(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(cuts):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
