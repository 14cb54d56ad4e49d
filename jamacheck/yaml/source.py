"""A connector file's text: decoding limits, lines, and masking of secrets.

Everything that shows file content to a user (source snippets) goes through
``Source.masked_line`` so that a secret can never be printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_BYTES = 1024 * 1024
MASK = "****"

SECRET_KEYS = frozenset({"password", "client_secret", "token"})
URL_SECRET_PARAMS = (
    "token", "access_token", "api_key", "apikey", "key", "secret", "password", "client_secret",
)
_URL_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)([^/?#@\s]+)@")
_URL_QUERY_SECRET = re.compile(
    r"(?i)([?&;](?:" + "|".join(URL_SECRET_PARAMS) + r")=)([^&#\s'\"]*)"
)
# Fallback for text the parser never reached (after a syntax error): a secret key
# hides the rest of its line, unless the value is plainly a ${NAME} reference.
_SECRET_LINE = re.compile(r"(?<![\w-])(password|client_secret|token)([\"']?\s*:[ \t]*)(.*)$")
_REFERENCE_ONLY = re.compile(r"""^["']?\$\{[A-Za-z_][A-Za-z0-9_]*\}["']?\s*(#.*)?[}\],]*\s*$""")


class UnreadableFile(Exception):
    """The bytes cannot be a connector file (JC103)."""


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"file is larger than 1 MiB ({len(data)} bytes); connector files are small")
    if b"\x00" in data:
        raise UnreadableFile("file contains NUL bytes: it is binary or not UTF-8 (UTF-16?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFile(f"file is not UTF-8 (invalid byte at offset {err.start}); save it as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def mask_url(text: str) -> str:
    """Hide the user-info part and secret query values of any URL in ``text``."""
    text = _URL_USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    return _URL_QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)


@dataclass
class Source:
    text: str
    lines: list[str] = field(init=False)
    # (line, start_col, end_line, end_col), 0-based, end exclusive: secret values
    secret_spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    # first 0-based line the parser did not fully read, or None when it read all
    unparsed_from: int | None = None

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines() or [""]

    def masked_line(self, index: int) -> str:
        """Line ``index`` (0-based) with every secret replaced by ``****``."""
        line = self.lines[index]
        cuts = []
        for start_line, start_col, end_line, end_col in self.secret_spans:
            if start_line <= index <= end_line:
                lo = start_col if index == start_line else 0
                hi = end_col if index == end_line else len(line)
                cuts.append((lo, max(hi, lo)))
        for lo, hi in sorted(cuts, reverse=True):
            line = line[:lo] + MASK + line[hi:]
        if self.unparsed_from is not None and index >= self.unparsed_from:
            line = MASK if self._continues_secret(index) else _mask_secret_key(line)
        return mask_url(line)

    def caret_column(self, index: int, column: int) -> int:
        """0-based column in ``masked_line(index)`` of 0-based ``column`` in the real line."""
        shift = 0
        for start_line, start_col, end_line, end_col in self.secret_spans:
            if start_line == end_line == index and end_col <= column:
                shift += len(MASK) - (end_col - start_col)
        return max(0, column + shift)

    def _continues_secret(self, index: int) -> bool:
        """Is line ``index`` a continuation of a secret's multi-line value?"""
        line = self.lines[index]
        if not line.strip():
            return False
        indent = len(line) - len(line.lstrip())
        for previous in reversed(self.lines[max(0, index - 200):index]):
            if previous.strip() and len(previous) - len(previous.lstrip()) < indent:
                match = _SECRET_LINE.search(previous)
                return bool(match) and not _REFERENCE_ONLY.match(match.group(3) or "x")
        return False


def _mask_secret_key(line: str) -> str:
    match = _SECRET_LINE.search(line)
    if not match or not match.group(3) or _REFERENCE_ONLY.match(match.group(3)):
        return line
    return line[: match.start(3)] + MASK
