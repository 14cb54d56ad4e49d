"""The value every check produces: one problem at one place in one file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jamacheck.fix.model import Fix


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a 1-based ``line``/``column`` of ``path``.

    Checks create findings without a severity; the engine stamps it from the
    rule catalogue and the configuration, so users can re-level a rule.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    connector: str | None = None
    severity: str = ""
    fix: Fix | None = None  # what --fix would change (SPEC §8)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)
