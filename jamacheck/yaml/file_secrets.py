"""Every secret of one file: where it stands (masked there) and its values (masked run-wide).

SPEC §2.2 and §6. In a file that parses, the composed node tree says exactly where each value
of a secret-named key stands, whatever its shape (scalar, list, mapping, with a tag, an
anchor or an alias), and where each comment is. In a file that does not parse, every line
hides the text after a secret-named key, and the lines indented under it. Comments that read
as secret assignments (JC306) are found here too, so they are masked whether or not JC306 runs.
Every scan is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from jamacheck.masking import SECRET_NAME_PARTS, is_secret_name, secret_query_values, url_userinfo
from jamacheck.references import is_reference
from jamacheck.yaml.compose import AliasUse, Composed, Node
from jamacheck.yaml.source import Span

_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_INDICATORS = "*&!\"'[]{},|>-"
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


@dataclass(frozen=True, slots=True)
class CommentSecret:
    """A comment that assigns a secret (JC306): ``key`` and the value's place (0-based)."""

    line: int
    column: int  # of the value
    end: int
    key: str


@dataclass
class FileSecrets:
    spans: list[Span] = field(default_factory=list)
    tails: list[tuple[int, int]] = field(default_factory=list)  # (line, column): hide to the end
    values: set[str] = field(default_factory=set)  # for the run-wide masker
    comments: list[CommentSecret] = field(default_factory=list)

    def add_value(self, text: str) -> None:
        """A secret value, its lines, and its words without YAML's indicators."""
        text = text.strip()
        if not text or is_reference(text):
            return
        self.values.add(text)
        self.values.update(line.strip() for line in text.splitlines())
        # a tag, an anchor or an alias written with the value is part of it (parsers quote them)
        self.values.update(word.strip(_INDICATORS) for word in text.split() if word[0] in "*&!")


def parsed_file_secrets(lines: list[str], composed: Composed) -> FileSecrets:
    found = FileSecrets()
    if composed.root is None:
        return found
    aliases: dict[int, list[AliasUse]] = {}
    for use in composed.alias_uses:
        aliases.setdefault(id(use.owner), []).append(use)
    scalars = _Walk(lines, found, aliases).run(composed.root)
    found.comments.extend(comment_secrets(lines, scalars))
    for comment in found.comments:
        found.spans.append((comment.line, comment.column, comment.line, comment.end))
        found.add_value(lines[comment.line][comment.column:comment.end])
    return found


class _Walk:
    """One pass over the node tree (each node once, aliases included)."""

    def __init__(self, lines: list[str], found: FileSecrets, aliases: dict[int, list[AliasUse]]) -> None:
        self.lines, self.found, self.aliases = lines, found, aliases
        self.scalars: list[Node] = []

    def run(self, root: Node) -> list[Node]:
        stack, seen = [root], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.kind == "scalar":
                self.scalars.append(node)
                self._url_secrets(node)
            elif node.kind == "seq":
                stack.extend(node.items)
            else:
                for key, value in node.pairs:
                    if key.kind == "scalar" and is_secret_name(key.value):
                        self._secret(key, value)
                    stack.extend((key, value))
        return self.scalars

    def _secret(self, key: Node, value: Node) -> None:
        if ":" in str(key.value):  # `{password:hunter2}` reads as one key: the whole key is secret
            self.found.spans.append(_span(key))
            self.found.add_value(str(key.value))
            self.found.add_value(str(key.value).split(":", 1)[1])
        self._alias_texts(key)
        stack, seen, run_wide = [value], set(), {id(value)}
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.kind == "scalar":
                self._secret_scalar(node, id(node) in run_wide)
                continue
            self._alias_texts(node)
            items = node.items if node.kind == "seq" else [part for pair in node.pairs for part in pair]
            if node.kind == "seq" and id(node) in run_wide:
                run_wide.update(id(item) for item in items)  # list items: run-wide too
            stack.extend(items)

    def _secret_scalar(self, node: Node, run_wide: bool) -> None:
        value = str(node.value)
        if node.tag is None and is_reference(value):
            return  # a well-formed ${NAME} is shown
        trailing = self._trailing_comment(node)  # `password: #abc` too: YAML reads null, the author a password
        if not value and node.tag is None and node.plain and _span(node)[:2] == _span(node)[2:] and not trailing:
            return  # nothing written (JC208); an anchor alone (`password: &abc`) is written
        self.found.spans.append(_span(node))
        raw = _text(self.lines, node)
        if run_wide:
            self.found.add_value(value)
            self.found.add_value(raw)
            if node.tag:
                self.found.add_value(node.tag)
            if trailing:
                self.found.add_value(trailing)

    def _trailing_comment(self, node: Node) -> str:
        """`password: abc #def`: YAML reads a comment, the author most likely a password."""
        if not node.plain or node.line != node.end_line or node.line >= len(self.lines):
            return ""
        line = self.lines[node.line]
        rest = line[node.end_column:].strip()
        # `abc #def` reads as a password with ` #` in it; `abc  # a note` as a comment
        if not rest.startswith("#") or rest[1:2] in ("", " ", "\t"):
            return ""
        self.found.tails.append((node.line, node.end_column))
        return rest[1:]

    def _alias_texts(self, owner: Node) -> None:
        for use in self.aliases.get(id(owner), ()):
            self.found.spans.append((use.line, use.column, use.end_line, use.end_column))
            self.found.add_value(use.anchor)

    def _url_secrets(self, node: Node) -> None:
        value = node.value
        if not isinstance(value, str) or ("@" not in value and "=" not in value):
            return
        userinfo = url_userinfo(value)
        parts = [userinfo] if userinfo else []
        parts += [value[start:end].strip("\"'") for _, start, end in secret_query_values(value)]
        for part in parts:
            self.found.add_value(part)
            if ":" in part:
                self.found.add_value(part.split(":", 1)[1])
            self._locate(node, part)

    def _locate(self, node: Node, part: str) -> None:
        """Mask ``part`` where it stands in the node's first line (short ones are not run-wide)."""
        if not part or node.line >= len(self.lines):
            return
        at = self.lines[node.line].find(part, node.column)
        if at >= 0:
            self.found.spans.append((node.line, at, node.line, at + len(part)))


def _span(node: Node) -> Span:
    return (node.line, node.column, node.end_line, node.end_column)


def _text(lines: list[str], node: Node) -> str:
    if node.line >= len(lines):
        return ""
    if node.line == node.end_line:
        return lines[node.line][node.column:node.end_column]
    middle = lines[node.line + 1:node.end_line]
    return "\n".join([lines[node.line][node.column:], *middle])


# ---- comments ---------------------------------------------------------------------------------

def comment_secrets(lines: list[str], scalars: list[Node] | None) -> Iterator[CommentSecret]:
    """JC306 candidates: comments that assign a secret-named key a single blank-free value."""
    with_hash = {index for index, line in enumerate(lines) if "#" in line}
    covered = _scalar_ranges(scalars or [], with_hash, lines) if scalars is not None else {}
    for index in sorted(with_hash):
        start = _comment_start(lines[index], covered.get(index, []))
        if start is None:
            continue
        found = comment_assignment(lines[index][start + 1:])
        if found:
            key, value_at, value_end = found
            yield CommentSecret(index, start + 1 + value_at, start + 1 + value_end, key)


def _scalar_ranges(scalars: list[Node], wanted: set[int], lines: list[str]) -> dict[int, list[tuple[int, int]]]:
    covered: dict[int, list[tuple[int, int]]] = {}
    for node in scalars:
        for index in range(node.line, node.end_line + 1):
            if index in wanted:
                lo = node.column if index == node.line else 0
                hi = node.end_column if index == node.end_line else len(lines[index])
                covered.setdefault(index, []).append((lo, hi))
    return covered


def _comment_start(line: str, covered: list[tuple[int, int]]) -> int | None:
    position = line.find("#")
    while position >= 0:
        if (position == 0 or line[position - 1] in " \t") and not any(lo <= position < hi for lo, hi in covered):
            return position
        position = line.find("#", position + 1)
    return None


def comment_assignment(body: str) -> tuple[str, int, int] | None:
    """``(key, value start, value end)`` when the comment body ends in ``key: value`` or
    ``key=value`` with a secret-named key and a real value (SPEC JC306); read from the end."""
    text = body.rstrip()
    if not text:
        return None  # a suppression's reason is read too: `disable=JC303 -- token=abc` assigns a secret
    if text[-1] in "\"'":
        start = text.rfind(text[-1], 0, len(text) - 1)
        if start < 0:
            return None
        before, value_at = text[:start], start
    else:
        value_at = max(text.rfind(" "), text.rfind("\t")) + 1
        token = text[value_at:]
        glued = min((i for i in (token.find(":"), token.find("=")) if i > 0), default=-1)
        key = _key_before(token[:glued]) if glued > 0 else ""
        if key and is_secret_name(key) and _real_value(token[glued + 1:]):
            return key, value_at + glued + 1, len(text)
        before = text[:value_at]
    stripped = before.rstrip()
    if not stripped or stripped[-1] not in ":=":
        return None
    key = _key_before(stripped[:-1].rstrip())
    if not is_secret_name(key) or not _real_value(text[value_at:]):
        return None
    return key, value_at, len(text)


def _key_before(text: str, end: int | None = None) -> str:
    """The key that ends at ``end`` (quotes around it allowed), scanning back: no copy of the text."""
    end = len(text) if end is None else end
    while end > 0 and text[end - 1] in "\"'":
        end -= 1
    start = end
    while start > 0 and text[start - 1] in _KEY_CHARS:
        start -= 1
    return text[start:end]


def _unescaped_key(line: str, end: int) -> str:
    """The double-quoted key that ends at ``end``, its ``\\xNN``/``\\uNNNN``/``\\UNNNNNNNN`` escapes read."""
    while end > 0 and line[end - 1] == '"':
        end -= 1
    start = end
    while start > 0 and (line[start - 1] in _KEY_CHARS or line[start - 1] == "\\"):
        start -= 1
    return _ESCAPE.sub(lambda match: chr(int(match.group(match.lastindex or 1), 16)), line[start:end])


def _real_value(value: str) -> bool:
    inner = value.strip().strip("\"'").strip()
    if not inner or set(inner) == {"*"} or is_reference(inner):
        return False
    return not (inner.startswith("<") and inner.endswith(">"))


# ---- files that do not parse ------------------------------------------------------------------

def broken_file_secrets(lines: list[str]) -> FileSecrets:
    """Line by line: after a secret-named key, the rest of its line and the lines indented under it."""
    found = FileSecrets()
    under: int | None = None  # indentation of the secret key whose value continues below
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if under is not None and line.strip() and indent > under:
            found.tails.append((index, indent))  # the secret's next line, or a member under it
            found.values.add(line.strip())
        elif line.strip():
            under = None
        column = secret_key_tail(line)
        if column is None or is_reference(line[column:].split(" #")[0].strip().strip("\"'")):
            continue
        found.tails.append((index, column))
        found.add_value(line[column:])
        if under is None and not line.lstrip().startswith("#"):  # a comment has no lines under it
            under = indent
    return found


def secret_key_tail(line: str) -> int | None:
    """Column after the first `key:` (or glued `key:value`) whose key is secret-named, else None."""
    folded = line.casefold().replace("_", "").replace("-", "")
    escaped = "\\" in line  # a quoted key may spell its name with escapes: "pass\x77ord"
    if not escaped and not any(part in folded for part in SECRET_NAME_PARTS):
        return None  # most lines, at C speed
    colon = line.find(":")
    while colon >= 0:
        if is_secret_name(_key_before(line, colon)) or (escaped and is_secret_name(_unescaped_key(line, colon))):
            return colon + 1
        colon = line.find(":", colon + 1)
    return None
