"""What a live check found for one connector: an ordered list of named checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jamacheck.finding import Finding
from jamacheck.rules._rule import Rule

PASS, FAIL, SKIP, UNKNOWN = "pass", "fail", "skip", "unknown"


@dataclass
class Check:
    check: str
    status: str
    detail: str = ""
    rule: Rule | None = None  # the finding a failure (or an unknown) reports


@dataclass
class ConnectorResult:
    connector: str
    path: str
    line: int
    column: int
    checks: list[Check] = field(default_factory=list)

    def add(self, check: str, status: str, detail: str = "", rule: Rule | None = None) -> Check:
        item = Check(check, status, detail, rule)
        self.checks.append(item)
        return item

    def skip_rest(self, names: list[str], why: str) -> None:
        done = {check.check for check in self.checks}
        for name in names:
            if name not in done:
                self.add(name, SKIP, why)

    def findings(self) -> list[Finding]:
        return [check.rule.at(self.path, self.line, self.column, f"live: {check.detail}", self.connector)
                for check in self.checks if check.rule]

    def as_dict(self) -> dict[str, Any]:
        return {"connector": self.connector, "path": self.path, "line": self.line,
                "checks": [{"check": c.check, "status": c.status, "detail": c.detail} for c in self.checks]}
