"""The rule catalogue documents itself, and README, `rules` and `explain` read the same one."""

from __future__ import annotations

import re

import pytest

from jamacheck.rules.catalogue import ALL_RULES, BY_CODE
from tests.conftest import CASES, ROOT, invoke

SPEC_CODES = {"JC001", "JC002", *(f"JC10{i}" for i in range(5)), *(f"JC20{i}" for i in range(1, 10)),
              *(f"JC30{i}" for i in range(1, 7)), "JC401", "JC402", "JC403", "JC404",
              *(f"JC5{i:02d}" for i in range(1, 11))}


def test_catalogue_has_exactly_the_contract_codes():
    assert set(BY_CODE) == SPEC_CODES
    assert len({rule.name for rule in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_documents_itself(rule):
    assert re.fullmatch(r"JC\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert rule.severity in ("error", "warning")
    for part in (rule.summary, rule.what, rule.why, rule.example, rule.fix):
        assert len(part.strip()) > 10
    text = invoke("explain", rule.code).stdout
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        assert heading in text


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if not r.live], ids=lambda rule: rule.code)
def test_offline_rule_has_a_case_fixture(rule):
    expected = "".join(path.read_text("utf-8", errors="replace") for path in CASES.glob("*.yaml"))
    assert f"# expect: {rule.code} " in expected


def test_readme_rules_table_is_the_catalogue():
    table = invoke("rules", "--markdown").stdout.strip()
    readme = (ROOT / "README.md").read_text("utf-8")
    inside = readme.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    assert inside.strip() == table


def test_rules_lists_every_rule_in_order():
    lines = invoke("rules").stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(BY_CODE)


def test_explain_accepts_names_and_rejects_unknown():
    assert invoke("explain", "plaintext-secret").stdout.startswith("JC301 plaintext-secret (error)")
    assert invoke("explain", "jc301").exit_code == 0
    result = invoke("explain", "JC999")
    assert result.exit_code == 2 and "no rule" in result.stderr
