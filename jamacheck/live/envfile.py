"""``--env-file``: dotenv syntax, read as python-dotenv reads it (SPEC §4, §9).

One binding per statement: optional ``export``, a key (``NAME`` or ``'NAME'``), optional
blanks, ``=``, then a value that is single-quoted (``\\'`` and ``\\\\`` escapes, no expansion),
double-quoted (``\\n``, ``\\t``, ``\\"`` … escapes; may span lines) or unquoted (a `` #``
starts a comment; trailing blanks dropped); after a quoted value, blanks and a ``# comment``
may follow (the quotes are stripped before the comment). ``${NAME}`` and ``${NAME:-default}``
expand in unquoted and double-quoted values, from the file's earlier values, then the
environment. A statement that is not a binding is exit 2 naming the file and its line (a
guessed password would be sent, and refused logins lock accounts). The file is read with
the one bounded reader: a FIFO or a device is refused, never waited on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from jamacheck.reading import NotReadable, read_small_file

_BLANKS = re.compile(r"[^\S\r\n]*")
_SPACE_AND_LINES = re.compile(r"\s*")
_EXPORT = re.compile(r"export[^\S\r\n]+")
_QUOTED_KEY = re.compile(r"'([^']+)'")
_KEY = re.compile(r"[^=#\s]+")
_EQUALS = re.compile(r"=[^\S\r\n]*")
_SINGLE = re.compile(r"'((?:\\'|[^'])*)'")
_DOUBLE = re.compile(r'"((?:\\"|[^"])*)"')
_UNQUOTED = re.compile(r"[^\r\n]*")
_COMMENT = re.compile(r"[^\S\r\n]*(?:#[^\r\n]*)?")
_END = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|$)")
_REST = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_VARIABLE = re.compile(r"\$\{(?P<name>[^}:]*)(?::-(?P<default>[^}]*))?\}")


class EnvFileError(Exception):
    """The file cannot be used (exit 2): the message names the file and, if any, the line."""


def read_env_file(path: str, environment: Mapping[str, str]) -> dict[str, str]:
    """The bindings of the dotenv file at ``path`` (values expanded against ``environment``)."""
    try:
        data = read_small_file(path)
    except NotReadable as err:
        raise EnvFileError(f"--env-file: cannot read {path}: {err.reason}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise EnvFileError(f"--env-file: {path} is not UTF-8 (invalid byte at offset {err.start})") from None
    values: dict[str, str] = {}
    for key, value, quote in parse_dotenv(text, path):
        values[key] = value if quote == "'" else _expand(value, values, environment)
    return values


def parse_dotenv(text: str, path: str = "") -> list[tuple[str, str, str]]:
    """``(key, value, quote)`` for each binding, in order; EnvFileError at the first bad line."""
    reader = _Reader(text)
    bindings: list[tuple[str, str, str]] = []
    while True:
        reader.read(_SPACE_AND_LINES)
        if reader.at_end():
            return bindings
        start = reader.position
        binding = _binding(reader)
        if binding == _BAD:
            line = text.count("\n", 0, start) + 1
            raise EnvFileError(f"--env-file: {path}:{line}: expected NAME=value")
        if isinstance(binding, tuple):
            bindings.append(binding)


_BAD = "unreadable"


def _binding(reader: _Reader) -> tuple[str, str, str] | str | None:
    """One statement: a binding, None for a comment or a key without `=`, _BAD when unreadable."""
    reader.read(_EXPORT)
    if reader.peek() == "#":
        reader.read(_REST)
        return None
    key = reader.read(_QUOTED_KEY, 1) if reader.peek() == "'" else reader.read(_KEY)
    if key is None:
        return _BAD
    reader.read(_BLANKS)
    if reader.peek() != "=":
        reader.read(_COMMENT)
        return None if reader.read(_END) is not None else _BAD  # python-dotenv: a key, no value
    reader.read(_EQUALS)
    value, quote = _value(reader)
    if value is None:
        return _BAD
    reader.read(_COMMENT)
    return (key, value, quote) if reader.read(_END) is not None else _BAD


def _value(reader: _Reader) -> tuple[str | None, str]:
    quote = reader.peek()
    if quote == "'":
        value = reader.read(_SINGLE, 1)
        return (None if value is None else _SINGLE_ESCAPES.sub(_unescape, value)), quote
    if quote == '"':
        value = reader.read(_DOUBLE, 1)
        return (None if value is None else _DOUBLE_ESCAPES.sub(_unescape, value)), quote
    if quote in ("", "\r", "\n"):
        return "", ""
    part = reader.read(_UNQUOTED) or ""
    return _before_comment(part).rstrip(), ""


def _before_comment(part: str) -> str:
    """An unquoted value ends where a `#` follows a blank (python-dotenv's ``\\s+#.*``)."""
    hash_at = part.find("#", 1)
    while hash_at > 0:
        if part[hash_at - 1].isspace():
            return part[:hash_at]
        hash_at = part.find("#", hash_at + 1)
    return part


def _unescape(match: re.Match[str]) -> str:
    return codecs.decode(match.group(), "unicode-escape")


def _expand(value: str, earlier: Mapping[str, str], environment: Mapping[str, str]) -> str:
    def resolve(match: re.Match[str]) -> str:
        name = match.group("name")
        found = earlier.get(name, environment.get(name))
        return found if found else (match.group("default") or "")

    return _VARIABLE.sub(resolve, value)


class _Reader:
    """A position in the text; every read is a regular expression anchored there (linear)."""

    def __init__(self, text: str) -> None:
        self.text, self.position = text, 0

    def at_end(self) -> bool:
        return self.position >= len(self.text)

    def peek(self) -> str:
        return self.text[self.position:self.position + 1]

    def read(self, pattern: re.Pattern[str], group: int = 0) -> str | None:
        match = pattern.match(self.text, self.position)
        if match is None:
            return None
        self.position = match.end()
        return match.group(group)
