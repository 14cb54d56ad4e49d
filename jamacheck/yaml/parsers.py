"""Which YAML parser reads a file, so the verdict never depends on libyaml (SPEC §3.1).

libyaml (PyYAML's C parser) is fast and is used when PyYAML has it. PyYAML's pure-Python
scanner differs from it in known ways: it refuses a tab wherever the YAML spec allows one as
separation within a line (`key:<tab>value`, `value<tab># comment`, `a<tab>b`), ends a plain
scalar at `?` in flow context (`{url: https://host/x?a=1}`), and accepts escapes that are no
Unicode character (`"\\ud800"`); smaller ones are tabs after a tag and a block scalar
header ending in a comment (`|#`), tabs in a directive, and a BOM opening a line after the
first. ``PURE_PARSER`` is PyYAML's pure-Python loader taught
libyaml's rules for these. It is the reference: when the C parser refuses a file, the file is
read again with it, so the problem found, its place and its words are the same with and
without libyaml.
"""

from __future__ import annotations

import re

import yaml
from yaml.scanner import ScannerError

_BREAKS = "\r\n\x85\u2028\u2029"
_ENDS = "\0 \t" + _BREAKS
_SURROGATE = re.compile("[\ud800-\udfff]")


class PureParser(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types
    """PyYAML's pure-Python loader, reading tabs (and `?` in flow context) as libyaml does."""

    buffer: str  # the reader's text (the whole file: it is given as one str), then "\0"

    def forward(self, length: int = 1) -> None:
        """As PyYAML's reader, but a BOM after the first character takes a column, as in libyaml
        (the columns of findings and of masked secrets are the same with both parsers)."""
        if self.pointer + length + 1 >= len(self.buffer):
            self.update(length + 1)
        for _ in range(length):
            char = self.buffer[self.pointer]
            self.pointer += 1
            self.index += 1
            if char in "\n\x85\u2028\u2029" or (char == "\r" and self.buffer[self.pointer] != "\n"):
                self.line += 1
                self.column = 0
            elif char != "\ufeff" or self.index > 1:
                self.column += 1

    def scan_to_next_token(self) -> None:
        """As PyYAML's, but a tab separates tokens where no simple key may start (libyaml's rule):
        in flow context, or after a value on the same line; never as indentation. A BOM may open
        any line, not only the first."""
        while True:
            if self.column == 0 and self.peek() == "\ufeff":  # libyaml skips a BOM opening any line
                self.forward()
            while self.peek() == " " or (self.peek() == "\t" and (self.flow_level or not self._simple_key_allowed())):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0" + _BREAKS:
                    self.forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def scan_directive(self) -> yaml.DirectiveToken:
        """As PyYAML's, but blanks in a directive's line may be tabs (`%YAML<tab>1.1`), as in
        libyaml: they are read as spaces (one character for one, so every mark stays)."""
        end = self.pointer
        while self.buffer[end] not in "\0" + _BREAKS:
            end += 1
        line = self.buffer[self.pointer:end]
        if "\t" in line:
            self.buffer = self.buffer[:self.pointer] + line.replace("\t", " ") + self.buffer[end:]
        return super().scan_directive()

    def scan_plain(self) -> yaml.ScalarToken:
        """As PyYAML's, but in flow context `?` does not end a plain scalar (libyaml's rule), so
        `{url: https://acme.example/x?a=1}` is one value."""
        chunks: list[str] = []
        start_mark = end_mark = self.get_mark()
        indent = self.indent + 1
        spaces: list[str] | None = []
        while self.peek() != "#":
            length = self._plain_length()
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.ScalarToken("".join(chunks), True, start_mark, end_mark)

    def _plain_length(self) -> int:
        flow = ",[]{}" if self.flow_level else ""
        length = 0
        while True:
            char = self.peek(length)
            if char in _ENDS or (char == ":" and self.peek(length + 1) in _ENDS + flow) or char in flow:
                return length
            length += 1

    def scan_plain_spaces(self, indent: int, start_mark: yaml.Mark) -> list[str] | None:
        """As PyYAML's, but blanks between the words of a plain scalar may be tabs (libyaml's
        rule), except a tab that stands where the next line's indentation is."""
        length = 0
        while self.peek(length) in " \t":
            length += 1
        whitespaces = self.prefix(length)
        self.forward(length)
        if self.peek() not in _BREAKS:
            return [whitespaces] if whitespaces else []
        line_break = self.scan_line_break()
        self.allow_simple_key = True
        if self._at_document_marker():
            return None
        breaks = []
        while self.peek() in " \t" + _BREAKS:
            if self.peek() == "\t" and self.column < indent:
                raise ScannerError("while scanning a plain scalar", start_mark,
                                   "found a tab character that violates indentation", self.get_mark())
            if self.peek() in " \t":
                self.forward()
                continue
            breaks.append(self.scan_line_break())
            if self._at_document_marker():
                return None
        chunks = [line_break] if line_break != "\n" else ([] if breaks else [" "])
        return chunks + breaks

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: yaml.Mark) -> list[str]:
        """As PyYAML's, but an escape that is no Unicode character (a surrogate such as `\\ud800`,
        or past U+10FFFF) is refused, as libyaml refuses it."""
        try:
            chunks: list[str] | None = super().scan_flow_scalar_non_spaces(double, start_mark)
        except ValueError:  # chr() of a code past U+10FFFF
            chunks = None
        if chunks is None or any(_SURROGATE.search(chunk) for chunk in chunks):
            raise ScannerError("while parsing a quoted scalar", start_mark,
                               "found invalid Unicode character escape code", self.get_mark())
        return chunks

    def scan_block_scalar_indicators(self, start_mark: yaml.Mark) -> tuple[bool | None, int | None]:
        """As PyYAML's, but the header may end in a tab or a comment at once (`|#`), as in libyaml."""
        chomping: bool | None = None
        increment: int | None = None
        for _ in range(2):
            char = self.peek()
            if char in "+-" and chomping is None:
                chomping = char == "+"
            elif char in "0123456789" and increment is None:
                if char == "0":
                    raise ScannerError("while scanning a block scalar", start_mark,
                                       "expected indentation indicator in the range 1-9, but found 0", self.get_mark())
                increment = int(char)
            else:
                break
            self.forward()
        if self.peek() not in _ENDS + "#":
            raise ScannerError("while scanning a block scalar", start_mark,
                               f"expected chomping or indentation indicators, but found {self.peek()!r}", self.get_mark())
        return chomping, increment

    def scan_block_scalar_ignored_line(self, start_mark: yaml.Mark) -> None:
        """As PyYAML's, but blanks before the comment may be tabs."""
        while self.peek() in " \t":
            self.forward()
        if self.peek() == "#":
            while self.peek() not in "\0" + _BREAKS:
                self.forward()
        if self.peek() not in "\0" + _BREAKS:
            raise ScannerError("while scanning a block scalar", start_mark,
                               f"expected a comment or a line break, but found {self.peek()!r}", self.get_mark())
        self.scan_line_break()

    def scan_tag(self) -> yaml.TagToken:
        """As PyYAML's, but a tab may end a tag (`!custom<tab>value`), as in libyaml."""
        start_mark = self.get_mark()
        char = self.peek(1)
        if char == "<":
            self.forward(2)
            handle, suffix = None, self.scan_tag_uri("tag", start_mark)
            if self.peek() != ">":
                raise ScannerError("while parsing a tag", start_mark,
                                   f"expected '>', but found {self.peek()!r}", self.get_mark())
            self.forward()
        elif char in _ENDS:
            handle, suffix = None, "!"
            self.forward()
        else:
            length = 1
            while char not in _ENDS and char != "!":
                length += 1
                char = self.peek(length)
            if char == "!":
                handle = self.scan_tag_handle("tag", start_mark)
            else:
                handle = "!"
                self.forward()
            suffix = self.scan_tag_uri("tag", start_mark)
        if self.peek() not in _ENDS:
            raise ScannerError("while scanning a tag", start_mark,
                               f"expected ' ', but found {self.peek()!r}", self.get_mark())
        return yaml.TagToken((handle, suffix), start_mark, self.get_mark())

    def _simple_key_allowed(self) -> bool:
        return bool(self.allow_simple_key)

    def _at_document_marker(self) -> bool:
        return self.prefix(3) in ("---", "...") and self.peek(3) in _ENDS


PURE_PARSER = PureParser


def fast_parser() -> type:
    """libyaml's loader when PyYAML has it (looked up at each call), else the pure one."""
    return getattr(yaml, "CSafeLoader", None) or PURE_PARSER


def syntax_message(err: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str]:
    """JC100's 0-based position and message for a parser's problem, in words that name the fix."""
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    if _unclosed_quote(err) and err.context_mark is not None:
        opening = err.context_mark
        quote = _char_at(lines, opening.line, opening.column) or '"'
        return opening.line, opening.column, (
            f"invalid YAML: the quoted value that starts here is never closed: add the closing {quote}")
    if _char_at(lines, line, column) == "\t":
        return line, column, ("invalid YAML: a tab where YAML expects indentation: YAML indents with "
                              "spaces, never tabs; replace the tab with spaces")
    # Only the parser's own words: str(err) would quote the source line.
    words = [part for part in (err.problem, err.context) if part]
    return line, column, "invalid YAML: " + ", ".join(words) if words else "invalid YAML"


def _unclosed_quote(err: yaml.MarkedYAMLError) -> bool:
    return err.context == "while scanning a quoted scalar" and str(err.problem).startswith("found unexpected")


def _char_at(lines: list[str], line: int, column: int) -> str | None:
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return None
