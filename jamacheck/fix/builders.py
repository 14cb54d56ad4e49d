"""Building a finding's fix from the node it points at: the rules call these where they emit.

A new value or key is written in the style of the old one (plain, 'single' or "double"
quoted); a plain value that would not read back the same in its place (``${NAME}`` in a
flow collection) is double-quoted. The edits are the smallest ones: the common start and
end of the old and new token are kept, and a pure insertion around the old text (``$X``
to ``${X}``) is two insertions, so an edit never repeats the old (possibly secret) text.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING

import yaml

from jamacheck.fix.model import SAFE, Edit, Fix
from jamacheck.fix.text import Lines

JsonPath = tuple[str | int, ...]  # ("connectors", 0, "auth", "password")

if TYPE_CHECKING:
    from jamacheck.context import FileContext
    from jamacheck.yaml.compose import Node

_last_lines: list[Lines] = []  # the lines of the file being checked, kept for its next fix


def _lines(text: str) -> Lines:
    if not _last_lines or _last_lines[0].text is not text:
        _last_lines[:] = [Lines(text)]
    return _last_lines[0]


def value_fix(context: FileContext, json_path: JsonPath, new: str, applicability: str = SAFE, *,
              plain: bool = False, whole: bool = False, variable: str | None = None) -> Fix | None:
    """Write ``new`` in place of the scalar value at ``json_path`` (``plain``: unquoted)."""
    entry = context.document.entry(json_path)
    if entry is None:
        return None
    return _node_fix(context, entry.value, new, applicability, key=False, plain=plain, whole=whole,
                     variable=variable)


def key_fix(context: FileContext, json_path: JsonPath, new: str, applicability: str = SAFE) -> Fix | None:
    """Rename the key at ``json_path`` to ``new``."""
    entry = context.document.entry(json_path)
    if entry is None or entry.key is None:
        return None
    return _node_fix(context, entry.key, new, applicability, key=True)


def _node_fix(context: FileContext, node: Node, new: str, applicability: str, *, key: bool,
              plain: bool = False, whole: bool = False, variable: str | None = None) -> Fix | None:
    token = scalar_token(context.source.text, node, with_properties=plain)
    if token is None:
        return None
    line, column, old = token
    written: str | None = new
    if plain:  # `!!str "true"` (or `! "true"`) stays a string under its tag: drop the tag, keep an anchor
        written = "".join(part for part in _properties(old) or () if part.startswith("&")) + new
    else:
        written = render(new, old[0], node.flow, key)
    if written is None or written == old:
        return None
    edits = [(0, len(old), written)] if whole else minimal_edits(old, written)
    return Fix(applicability, tuple(Edit(line, column + start, line, column + end, text)
                                    for start, end, text in edits), variable)


_PROPERTY = re.compile(r"[&!]\S*\s+")  # an anchor or a tag before a scalar, with the blanks after it


def scalar_token(text: str, node: Node, *, with_properties: bool = False) -> tuple[int, int, str] | None:
    """1-based line and column of a one-line scalar's own text (after an anchor or tag), and the text;
    ``with_properties``: the anchor and tag included (the text starts where the node does)."""
    if node.kind != "scalar" or node.end_line != node.line:
        return None
    lines = _lines(text)
    try:
        start = lines.offset(node.line + 1, node.column + 1)
        end = lines.offset(node.end_line + 1, node.end_column + 1)
    except ValueError:
        return None
    token = text[start:end]
    properties = _properties(token)  # `&anchor value`, `!!str value`
    if properties is None:
        return None
    value = token[sum(map(len, properties)):]
    if not value or value[0] in "|>" or any(char in token for char in "\r\n\x85\u2028\u2029"):
        return None
    if with_properties:
        return node.line + 1, node.column + 1, token
    return node.line + 1, node.column + 1 + len(token) - len(value), value


def _properties(token: str) -> list[str] | None:
    """The anchor and tag in front of a scalar's text, each with the blanks after it (None: not scannable)."""
    parts: list[str] = []
    at = 0
    while token[at:at + 1] in ("&", "!"):
        match = _PROPERTY.match(token, at)
        if match is None:
            return None
        parts.append(match.group())
        at = match.end()
    return parts


def render(value: str, first: str, in_flow: bool, key: bool) -> str | None:
    """``value`` written like a token that starts with ``first``; None when that cannot be done."""
    if first == "'":
        return "'" + value.replace("'", "''") + "'" if "\n" not in value else _double(value)
    if first == '"':
        return _double(value)
    return value if reads_back(value, in_flow, key) else _double(value)


def _double(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON escapes are YAML double-quoted escapes


@functools.lru_cache(maxsize=4096)
def reads_back(value: str, in_flow: bool, key: bool) -> bool:
    """Does ``value`` written plain read back as this very string, where it stands?"""
    if not value or value != value.strip():
        return False
    text = f"{value}: 1" if key else f"k: {value}"
    if in_flow:
        text = "{" + text + "}"
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return bool(loaded == ({value: 1} if key else {"k": value}))


def minimal_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` in ``old`` that turn it into ``new``, keeping what they share."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_mid, new_mid = old[prefix:len(old) - suffix], new[prefix:len(new) - suffix]
    if old_mid and old_mid in new_mid:  # only insertions around the old text
        at = new_mid.index(old_mid)
        inserts = [(prefix, prefix, new_mid[:at]),
                   (prefix + len(old_mid), prefix + len(old_mid), new_mid[at + len(old_mid):])]
        return [insert for insert in inserts if insert[2]]
    spread = _insertions(old_mid, new_mid)  # `$X` to `"${X}"` in a flow collection: three insertions
    if old_mid and spread is not None:
        return [(prefix + at, prefix + at, text) for at, text in spread if text]
    return [(prefix, len(old) - suffix, new_mid)]


def _insertions(old: str, new: str) -> list[tuple[int, str]] | None:
    """``(offset in old, text)`` insertions that turn ``old`` into ``new``, or None when ``old`` is
    not a subsequence of ``new``."""
    inserts, at = [], 0
    for index, char in enumerate(old):
        found = new.find(char, at)
        if found < 0:
            return None
        inserts.append((index, new[at:found]))
        at = found + 1
    inserts.append((len(old), new[at:]))
    return inserts


class TakenNames(set[str]):
    """Variable names in use, and per base name the next number to try: thousands of
    connectors with one name stay linear, not quadratic."""

    def __init__(self) -> None:
        super().__init__()
        self.next_number: dict[str, int] = {}


def variable_name(connector: str | None, key: str, taken: set[str]) -> str:
    """``Jama Connect production`` + ``password``: ``JAMA_CONNECT_PRODUCTION_PASSWORD``, unique in ``taken``."""
    base = re.sub(r"[^A-Z0-9]+", "_", f"{connector or ''} {key}".upper()).strip("_") or "SECRET"
    if base[0].isdigit():
        base = "_" + base
    numbers = taken.next_number if isinstance(taken, TakenNames) else {}
    name, number = base, numbers.get(base, 2)
    if name in taken:
        name = f"{base}_{number}"
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    if name != base:
        numbers[base] = number + 1
    taken.add(name)
    return name
