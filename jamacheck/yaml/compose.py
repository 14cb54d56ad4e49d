"""YAML text to a node tree that remembers where every key and value stands.

libyaml's C parser (when PyYAML has it) produces the events; composing them
here, iteratively, lets us bound nesting depth before anything recurses, see
every duplicate key (PyYAML keeps the last silently), and keep each key's
position for the findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from jamacheck.finding import Finding
from jamacheck.rules._rule import Rule
from jamacheck.rules.jc1_yaml import INVALID_DOCUMENT, UNREADABLE_FILE, YAML_SYNTAX
from jamacheck.yaml.parsers import PURE_PARSER, fast_parser, syntax_message
from jamacheck.yaml.source import Source

MAX_DEPTH = 100


# str for a scalar, [Node] for a sequence, [(key, value)] for a mapping; None before it is filled.
NodeValue = str | list["Node"] | list[tuple["Node", "Node"]] | None


@dataclass(eq=False, slots=True)
class Node:
    """A YAML node: ``kind`` is ``scalar``, ``map`` or ``seq`` (0-based positions)."""

    kind: str
    line: int
    column: int
    tag: str | None = None
    value: NodeValue = None
    plain: bool = False
    end_line: int = 0
    end_column: int = 0
    # A collection written in flow style, or a scalar inside one (a fix quotes `${X}` there).
    flow: bool = False

    @property
    def text(self) -> str:
        """A scalar's text."""
        assert isinstance(self.value, str), self.kind
        return self.value

    @property
    def items(self) -> list[Node]:
        """A sequence's items."""
        assert self.kind == "seq" and isinstance(self.value, list)
        return self.value  # type: ignore[return-value]  # kind "seq" holds nodes

    @property
    def pairs(self) -> list[tuple[Node, Node]]:
        """A mapping's ``(key, value)`` pairs, in source order."""
        assert self.kind == "map" and isinstance(self.value, list)
        return self.value  # type: ignore[return-value]  # kind "map" holds pairs


class LoadProblem(Exception):
    """The file cannot be checked further: ``rule``'s finding at a 0-based position."""

    def __init__(self, rule: Rule, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.rule, self.line, self.column, self.message = rule, line, column, message

    def finding(self, path: str) -> Finding:
        return self.rule.at(path, self.line + 1, self.column + 1, self.message)


@dataclass(frozen=True, slots=True)
class AliasUse:
    """Where an alias (``*name``) is written: ``owner`` is the key whose value it is, or the list
    it is an item of (masking needs the alias's own text when it stands for a secret)."""

    owner: Node
    anchor: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Composed:
    root: Node | None
    duplicate_keys: list[tuple[Node, Node]] = field(default_factory=list)  # (repeated, first)
    alias_uses: list[AliasUse] = field(default_factory=list)


def compose(source: Source, parser: type | None = None) -> Composed:
    """Build the single document of ``source``; raise LoadProblem for JC100/JC102/JC103."""
    parser = parser or fast_parser()
    composer = _Composer(source)
    try:
        for event in yaml.parse(source.text, Loader=parser):
            composer.feed(event)
    except (yaml.MarkedYAMLError, yaml.reader.ReaderError) as err:
        if parser is not PURE_PARSER:
            # The reference parser decides what a refused file's problem is, so the verdict,
            # its place and its words do not depend on libyaml (which also gives up near
            # 1,000 levels of nesting, before we see level 101).
            return compose(source, PURE_PARSER)
        raise _problem(source, composer, err) from None
    return composer.result()


def _problem(source: Source, composer: _Composer, err: yaml.YAMLError) -> LoadProblem:
    if isinstance(err, yaml.reader.ReaderError):
        line, column = _line_column(source.text, err.position)
        code = err.character if isinstance(err.character, int) else ord(err.character)
        return LoadProblem(YAML_SYNTAX, line, column, f"invalid YAML: {err.reason} (character {code:#06x})")
    assert isinstance(err, yaml.MarkedYAMLError)
    return _syntax_problem(source, err)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def _syntax_problem(source: Source, err: yaml.MarkedYAMLError) -> LoadProblem:
    line, column, message = syntax_message(err, source.lines)
    last = len(source.lines) - 1
    if line > last:  # end-of-stream problems are marked past the last line
        line, column = last, len(source.lines[last])
    return LoadProblem(YAML_SYNTAX, line, column, message)


class _Composer:
    def __init__(self, source: Source) -> None:
        self.alias_uses: list[AliasUse] = []
        self.stack: list[tuple[Node, list[Node]]] = []  # open collections and their pending key
        self.anchors: dict[str, Node] = {}
        self.documents: list[tuple[Node, int, int]] = []  # root, '---' line and column
        self.document_mark = (0, 0)
        self.duplicates: list[tuple[Node, Node]] = []

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.document_mark = (event.start_mark.line, event.start_mark.column)
            self.anchors = {}
        elif isinstance(event, yaml.ScalarEvent):
            node = Node("scalar", event.start_mark.line, event.start_mark.column,
                        _tag(event.tag), event.value, event.implicit[0] and not event.style,
                        event.end_mark.line, event.end_mark.column,
                        bool(self.stack) and self.stack[-1][0].flow)
            self._add(node, getattr(event, "anchor", None))
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
            self._note_alias(event)
            self._add(self.anchors[event.anchor], None)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, _ = self.stack.pop()
            node.end_line, node.end_column = event.end_mark.line, event.end_mark.column
            if node.kind == "map":
                self._find_duplicates(node)

    def _open(self, event: yaml.Event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise LoadProblem(UNREADABLE_FILE, event.start_mark.line, event.start_mark.column,
                              f"nesting is deeper than {MAX_DEPTH} levels")
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        node = Node(kind, event.start_mark.line, event.start_mark.column, _tag(event.tag), [],
                    flow=bool(event.flow_style))
        self._add(node, event.anchor)
        self.stack.append((node, []))

    def _add(self, node: Node, anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = node
        if not self.stack:
            self.documents.append((node, *self.document_mark))
            return
        parent, pending = self.stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending:
            key = pending.pop()
            parent.pairs.append((key, node))
        else:
            pending.append(node)

    def _note_alias(self, event: yaml.AliasEvent) -> None:
        if not self.stack:
            return
        parent, pending = self.stack[-1]
        owner = pending[-1] if parent.kind == "map" and pending else parent
        self.alias_uses.append(AliasUse(owner, event.anchor, event.start_mark.line, event.start_mark.column,
                                        event.end_mark.line, event.end_mark.column))

    def _find_duplicates(self, node: Node) -> None:
        seen: dict[str, Node] = {}
        for key, _ in node.pairs:
            if key.kind != "scalar" or (key.plain and key.text == "<<"):
                continue
            if key.text in seen:
                self.duplicates.append((key, seen[key.text]))
            else:
                seen[key.text] = key

    def result(self) -> Composed:
        documents = [doc for doc in self.documents if not _is_empty(doc[0])]
        if len(documents) > 1:
            _, line, column = documents[1]
            raise LoadProblem(INVALID_DOCUMENT, line, column,
                              "file holds several YAML documents; keep one document per file")
        return Composed(documents[0][0] if documents else None, self.duplicates, self.alias_uses)


def _tag(tag: str | None) -> str | None:
    return None if tag in (None, "!") else tag


def _is_empty(node: Node) -> bool:
    return node.kind == "scalar" and node.plain and node.value == "" and node.tag is None
