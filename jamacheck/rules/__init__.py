"""The rule catalogue: every rule, its documentation, and its check (if it has one)."""

from __future__ import annotations

from jamacheck.rules import document, duplicates, live, secrets, structure, suppression, transport
from jamacheck.rules._rule import Rule

ALL_RULES: tuple[Rule, ...] = tuple(sorted(
    (*suppression.RULES, *document.RULES, *structure.RULES, *secrets.RULES, *transport.RULES,
     *duplicates.RULES, *live.RULES),
    key=lambda rule: rule.code,
))
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}
FILE_CHECKS = tuple(rule.check for rule in ALL_RULES if rule.check)
RUN_CHECKS = tuple(rule.check_all for rule in ALL_RULES if rule.check_all)


def lookup(code_or_name: str) -> Rule | None:
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
