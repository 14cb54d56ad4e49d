"""A rule of the catalogue: its code, name, default severity and its documentation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from textwrap import dedent, fill
from typing import TYPE_CHECKING

from jamacheck.finding import Finding
from jamacheck.fix.model import Fix

if TYPE_CHECKING:
    from jamacheck.context import ConnectorSummary


@dataclass(frozen=True)
class Rule:
    """One rule. ``what``/``why``/``example``/``fix`` are what ``jamacheck explain`` prints.

    ``check`` runs on one file (a FileContext); ``check_all`` runs once over the
    connectors of every file of a run (ConnectorSummary values: cross-file rules). Rules without either are emitted by the
    loader, the schema mapping or the live checks, and documented here.
    """

    code: str
    name: str
    severity: str
    summary: str
    what: str
    why: str
    example: str
    fix: str
    check: Callable[..., Iterator[Finding]] | None = None
    check_all: Callable[[Iterable[ConnectorSummary]], Iterator[Finding]] | None = None
    fixable: str = "none"  # "safe" | "unsafe" | "none": the applicability of its fix (SPEC §8)
    # GitHub code scanning's security severity (CVSS-like "0.0"-"10.0") for rules about
    # secrets and transport; None for the others. SARIF tags such rules "security".
    security_severity: str | None = None

    @property
    def live(self) -> bool:
        """JC5xx rules run only with ``--live``."""
        return self.code.startswith("JC5")

    def at(self, path: str, line: int, column: int, message: str, connector: str | None = None,
           fix: Fix | None = None) -> Finding:
        """This rule's finding at 1-based ``line``/``column`` of ``path`` (severity stamped later)."""
        return Finding(path, line, column, self.code, message, connector, fix=fix)

    def explain(self) -> str:
        parts = [
            f"{self.code} {self.name} ({self.severity})", "", self.summary, "",
            "What it does", _paragraph(self.what), "",
            "Why it matters", _paragraph(self.why), "",
            "Example", _block(self.example, indent="    "), "",
            "Fix", _block(self.fix, indent="    "), "",
            f"Fix applicability: {self.fixable}: {_APPLIES[self.fixable]}",
        ]
        return "\n".join(parts).rstrip() + "\n"


_APPLIES = {
    "safe": "`jamacheck check --fix` makes this change",
    "unsafe": "`jamacheck check --fix --unsafe-fixes` makes this change; review it before committing",
    "none": "no automatic fix; change the file by hand",
}


def _block(text: str, indent: str = "  ") -> str:
    return "\n".join(indent + line if line else "" for line in dedent(text).strip("\n").splitlines())


def _paragraph(text: str) -> str:
    return fill(text, width=88, initial_indent="  ", subsequent_indent="  ")
