"""The rule catalogue: every rule, its documentation, and the ordered checks that emit findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from jamacheck.context import ConnectorSummary, FileContext
from jamacheck.finding import Finding
from jamacheck.rules import jc0_suppressions, jc1_yaml, jc2_structure, jc3_security, jc4_instances, jc5_live
from jamacheck.rules._rule import Rule
from jamacheck.schema.enumerations import normalise_enumerations
from jamacheck.schema.errors import check_structure
from jamacheck.yaml.booleans import normalise_booleans

FileCheck = Callable[[FileContext], Iterable[Finding]]
RunCheck = Callable[[Iterable[ConnectorSummary]], Iterator[Finding]]

ALL_RULES: tuple[Rule, ...] = tuple(sorted(
    (*jc0_suppressions.RULES, *jc1_yaml.RULES, *jc2_structure.RULES, *jc3_security.RULES,
     *jc4_instances.RULES, *jc5_live.RULES),
    key=lambda rule: rule.code,
))
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

# Every check that runs on one file, in order. JC104 comes first because it reads a spelled
# boolean (`"true"`, quoted) as the boolean it spells, so the schema and the rules after it
# judge the intended value; likewise an enumeration in another spelling (JC204: `Jira`,
# `OAuth`) is read as the value it spells; then the schema (JC201-JC208); then each rule's
# own check.
FILE_CHECKS: tuple[FileCheck, ...] = (
    normalise_booleans,
    normalise_enumerations,
    check_structure,
    *(rule.check for rule in ALL_RULES if rule.check),
)
# Checks over the connectors of every file of a run (cross-file rules), in code order.
RUN_CHECKS: tuple[RunCheck, ...] = tuple(rule.check_all for rule in ALL_RULES if rule.check_all)


def lookup(code_or_name: str) -> Rule | None:
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
