"""The data of a fix: edits and their applicability."""

from __future__ import annotations

from dataclasses import dataclass

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from ``line``:``column`` up to (not including) ``end_line``:``end_column``.

    Positions are 1-based, in characters, on the lines as YAML counts them (the same
    lines and columns as the findings).
    """

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "replacement": self.replacement}


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits that remove a finding. ``variable``: the environment variable a JC301 fix refers to."""

    applicability: str
    edits: tuple[Edit, ...]
    variable: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"applicability": self.applicability, "edits": [edit.as_dict() for edit in self.edits]}
