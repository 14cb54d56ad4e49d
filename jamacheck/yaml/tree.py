"""A composed node tree to plain data, with the position of every path.

The data is what the JSON Schema sees; ``Document.positions`` maps each path
(``("connectors", 0, "auth", "type")``) back to its key and value nodes so
every finding points at the exact place to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from jamacheck.rules.jc1_yaml import UNREADABLE_FILE, YAML_SYNTAX
from jamacheck.yaml.compose import MAX_DEPTH, LoadProblem, Node

MAX_ALIAS_NODES = 10_000
# YAML 1.1 booleans, any letter case; PyYAML alone misses y/n and mixed case.
TRUE_SPELLINGS = frozenset({"y", "yes", "on", "true"})
FALSE_SPELLINGS = frozenset({"n", "no", "off", "false"})
CANONICAL_BOOLEANS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STANDARD}{name}" for name in
                ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()

# Where a value stands in the data: keys and list indexes from the root.
JsonPath = tuple[str | int, ...]


@dataclass
class Entry:
    """Where a path stands: its key (None for a list item or the root) and value."""

    key: Node | None
    value: Node


@dataclass
class Document:
    data: Any
    lines: list[str] = field(default_factory=list)
    positions: dict[JsonPath, Entry] = field(default_factory=dict)

    def position(self, path: JsonPath, part: str = "value") -> tuple[int, int]:
        """1-based line and column of ``path``'s value (or its key, ``part="key"``).

        A path that does not exist (a missing field) falls back to the key of
        the nearest mapping that does, or to the ``- `` of a list item.
        """
        path = tuple(path)
        while path and path not in self.positions:
            path, part = path[:-1], "key"
        if not path:
            return (1, 1)
        entry = self.positions[path]
        if part == "key" and entry.key is not None:
            return (entry.key.line + 1, entry.key.column + 1)
        if part == "key" and isinstance(path[-1], int):
            return (entry.value.line + 1, item_column(self.lines, entry.value) + 1)
        return (entry.value.line + 1, entry.value.column + 1)

    def entry(self, path: JsonPath) -> Entry | None:
        return self.positions.get(tuple(path))

    def spelling(self, path: JsonPath) -> str | None:
        """The source text of a plain scalar at ``path`` (to tell ``yes`` from ``true``)."""
        entry = self.entry(path)
        if entry and entry.value.kind == "scalar" and entry.value.plain:
            return entry.value.text
        return None

    def is_quoted(self, path: JsonPath) -> bool:
        entry = self.entry(path)
        return bool(entry and entry.value.kind == "scalar" and not entry.value.plain)


def to_document(root: Node, lines: list[str]) -> Document:
    document = Document(None, lines)
    document.data = _Converter(document.positions).convert(root, (), None, 0, False)
    return document


class _Converter:
    def __init__(self, positions: dict[JsonPath, Entry]) -> None:
        self.positions = positions
        self.alias_nodes = 0
        self.seen: set[int] = set()

    def convert(self, node: Node, path: JsonPath, key: Node | None, depth: int, aliased: bool) -> Any:
        if depth > MAX_DEPTH:
            raise LoadProblem(UNREADABLE_FILE, node.line, node.column,
                              f"nesting is deeper than {MAX_DEPTH} levels (through aliases)")
        aliased = aliased or id(node) in self.seen
        self.seen.add(id(node))
        if aliased:
            self._count(1)
        self.positions[path] = Entry(key, node)  # a repeated key: the last one is used
        if node.kind == "scalar":
            return scalar_value(node)
        _check_collection_tag(node)
        if node.kind == "seq":
            return [self.convert(item, (*path, index), None, depth + 1, aliased)
                    for index, item in enumerate(node.items)]
        return self._mapping(node, path, depth, aliased)

    def _mapping(self, node: Node, path: JsonPath, depth: int, aliased: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: list[tuple[Node, Node]] = []
        for key, value in node.pairs:
            if key.kind == "scalar" and key.plain and key.text == "<<":
                merged.extend(self._merge_sources(value))
                continue
            name = key_name(key)
            result[name] = self.convert(value, (*path, name), key, depth + 1, aliased)
        for key, value in merged:  # explicit keys win over merged ones
            name = key_name(key)
            if name not in result:
                result[name] = self.convert(value, (*path, name), key, depth + 1, True)
        return result

    def _count(self, nodes: int) -> None:
        """Aliased and merged nodes count towards the limit before they are expanded (SPEC §9)."""
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise LoadProblem(UNREADABLE_FILE, 0, 0,
                              f"aliases and merge keys expand to more than {MAX_ALIAS_NODES:,} nodes")

    def _merge_sources(self, value: Node, depth: int = 0) -> list[tuple[Node, Node]]:
        """The pairs a merge key brings in, each counted as it is taken (a bomb stops at the limit)."""
        if depth > MAX_DEPTH:
            raise LoadProblem(UNREADABLE_FILE, value.line, value.column, "merge keys nest too deeply")
        sources = value.items if value.kind == "seq" else [value]
        pairs: list[tuple[Node, Node]] = []
        for source in sources:
            if source.kind != "map":
                raise LoadProblem(YAML_SYNTAX, source.line, source.column,
                                  "a merge key (<<) takes a mapping or a list of mappings")
            for key, item in source.pairs:
                if key.kind == "scalar" and key.plain and key.text == "<<":
                    pairs.extend(self._merge_sources(item, depth + 1))
                else:
                    self._count(1)
                    pairs.append((key, item))
        return pairs


def key_name(key: Node) -> str:
    """Keys are compared as written: ``yes:`` is the key "yes", not True."""
    if key.kind == "scalar":
        return key.text
    return "<mapping>" if key.kind == "map" else "<sequence>"


def scalar_value(node: Node) -> Any:
    """A scalar as a YAML 1.1 loader reads it (str, bool, int, float, None, date, bytes)."""
    if node.tag is None and not node.plain:
        return node.text
    if node.tag is None:
        lowered = node.text.lower()
        if lowered in TRUE_SPELLINGS:
            return True
        if lowered in FALSE_SPELLINGS:
            return False
        tag = _resolver.resolve(yaml.ScalarNode, node.value, (True, False))
    else:
        tag = node.tag
    if tag not in _SCALAR_TAGS:
        raise LoadProblem(YAML_SYNTAX, node.line, node.column, f"unsupported YAML tag {tag!r}")
    try:
        construct = _constructor.yaml_constructors[tag]
        return construct(_constructor, yaml.ScalarNode(tag, node.value))
    except (yaml.YAMLError, ValueError, OverflowError):
        if tag.endswith(("int", "float")):  # too many digits for int(); still a number
            return float("inf")
        raise LoadProblem(YAML_SYNTAX, node.line, node.column,
                          f"value cannot be read as {tag.rsplit(':', 1)[-1]}") from None


def _check_collection_tag(node: Node) -> None:
    if node.tag is not None and node.tag not in (f"{_STANDARD}map", f"{_STANDARD}seq"):
        raise LoadProblem(YAML_SYNTAX, node.line, node.column, f"unsupported YAML tag {node.tag!r}")


def item_column(lines: list[str], node: Node) -> int:
    """Column of the ``- `` that opens a block-sequence item, else the node's own column."""
    text = lines[node.line] if node.line < len(lines) else ""
    before = text[: node.column].rstrip()
    if before.endswith("-") and not before[:-1].strip("- "):
        return len(before) - 1
    return node.column
