"""Every fixture in tests/cases says what it must emit (``# expect: CODE line:col``)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import CASES, ROOT, findings_of, invoke

_EXPECT = re.compile(r"^# expect: (JC\d{3}) (\d+):(\d+)$", re.M)
_CONFIG = re.compile(r"^# config: (.*)$", re.M)  # a configuration line the case runs with


def expected(path) -> Counter:
    text = path.read_text("utf-8", errors="replace")
    return Counter((code, int(line), int(column)) for code, line, column in _EXPECT.findall(text))


def case_files():
    return sorted(CASES.glob("*.yaml"))


@pytest.mark.parametrize("case", case_files(), ids=lambda path: path.stem)
def test_case_emits_exactly_what_it_expects(case, tmp_path):
    config = _CONFIG.findall(case.read_text("utf-8", errors="replace"))
    if config:
        (tmp_path / "case.toml").write_text("\n".join(config) + "\n")
    args = ("--config", tmp_path / "case.toml") if config else ()
    assert Counter(findings_of(*args, case)) == expected(case)


@pytest.mark.parametrize("example", sorted((ROOT / "examples" / "valid").glob("*.yaml")), ids=lambda p: p.name)
def test_valid_examples_pass(example):
    assert findings_of(example) == []


def test_valid_examples_pass_together():
    result = invoke("check", ROOT / "examples" / "valid")
    assert result.exit_code == 0, result.output


def test_broken_example_shows_several_rules():
    codes = {code for code, _, _ in findings_of(ROOT / "examples" / "broken")}
    assert len(codes) >= 8
