"""Precedence of command line, configuration and suppression comments, as tables."""

from __future__ import annotations

import pytest

from jamacheck.selection import Selection
from tests.conftest import findings_of, invoke

# verify_ssl: false -> JC303 (warning); http:// -> JC304 (error); literal password -> JC301 (error)
CONNECTOR = """\
connectors:
  - name: Precedence
    application: jama-connect
    url: http://precedence.jamacloud.com
    verify_ssl: false
    auth: {type: basic, username: svc, password: literal}
"""


@pytest.mark.parametrize("cli_select, cli_ignore, cfg_select, cfg_ignore, code, enabled", [
    ((), (), (), (), "JC303", True),
    ((), ("JC3",), (), (), "JC303", False),
    (("JC303",), ("JC3",), (), (), "JC303", True),     # longer prefix wins
    (("JC3",), ("JC303",), (), (), "JC303", False),
    (("JC3",), ("JC3",), (), (), "JC303", False),      # tie: ignore wins
    (("JC2",), (), (), (), "JC303", False),            # select restricts
    ((), (), ("JC2",), (), "JC303", False),
    ((), (), (), ("JC303",), "JC303", False),
    (("JC303",), (), (), ("JC303",), "JC303", True),   # command line wins
    ((), ("JC303",), ("JC303",), (), "JC303", False),  # command line wins
    ((), ("JC4",), ("JC3",), (), "JC303", True),       # CLI says nothing of JC303: config decides
    ((), ("JC4",), ("JC3",), (), "JC201", False),
])
def test_selection_table(cli_select, cli_ignore, cfg_select, cfg_ignore, code, enabled):
    selection = Selection(((cli_select, cli_ignore), (cfg_select, cfg_ignore)))
    assert selection.enabled(code) is enabled


PYPROJECT = "[tool.jamacheck]\n{body}\n"


@pytest.mark.parametrize("config, args, expected_codes, exit_code", [
    ("", [], {"JC301", "JC303", "JC304"}, 1),
    ('ignore = ["JC303", "JC304"]', [], {"JC301"}, 1),
    ('ignore = ["JC30"]', ["--select", "JC303"], {"JC303"}, 0),
    ('select = ["JC303"]', [], {"JC303"}, 0),
    ('select = ["JC303"]\nstrict = true', [], {"JC303"}, 1),
    ('select = ["JC303"]', ["--strict"], {"JC303"}, 1),
    ('select = ["JC304"]\n[tool.jamacheck.severity]\nJC304 = "warning"', [], {"JC304"}, 0),
    ('select = ["JC303"]\n[tool.jamacheck.severity]\nJC303 = "error"', [], {"JC303"}, 1),
    ('[tool.jamacheck.per-file-ignores]\n"conn/*.yaml" = ["JC3"]', [], set(), 0),
    ('[tool.jamacheck.per-file-ignores]\n"other/*.yaml" = ["JC3"]', [], {"JC301", "JC303", "JC304"}, 1),
    ("", ["--ignore", "JC301,JC304"], {"JC303"}, 0),
])
def test_configuration_table(write, config, args, expected_codes, exit_code):
    write("pyproject.toml", PYPROJECT.format(body=config))
    write("conn/c.yaml", CONNECTOR)
    result = invoke("check", "--format", "json", *args, "conn")
    assert result.exit_code == exit_code, result.output
    assert {code for code, _, _ in findings_of(*args, "conn")} == expected_codes


def test_config_file_option_and_exclude(write):
    write("conn/c.yaml", CONNECTOR)
    write("conn/skipped/d.yaml", CONNECTOR)
    write("my.toml", 'exclude = ["conn/skipped"]\nignore = ["JC301"]\n')
    codes = findings_of("--config", "my.toml", "conn")
    assert sorted(codes) == [("JC303", 5, 17), ("JC304", 4, 10)]


@pytest.mark.parametrize("config, message", [
    ('selct = ["JC3"]', "unknown option 'selct'"),
    ('select = "JC3"', None),  # a comma-separated string is accepted
    ('select = ["XX1"]', "'XX1' is not a rule code or prefix"),
    ('select = ["JC9"]', "'JC9' is not a rule code or prefix"),
    ("strict = 1", "'strict' must be true or false"),
    ('[tool.jamacheck.severity]\nJC303 = "fatal"', "need a rule code"),
    ("[tool.jamacheck", "invalid config"),
])
def test_bad_configuration_is_one_line_and_exit_2(write, config, message):
    write("pyproject.toml", PYPROJECT.format(body=config))
    write("c.yaml", CONNECTOR)
    result = invoke("check", "c.yaml")
    if message is None:
        assert result.exit_code == 1
        return
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.output


def test_bad_command_line_codes_exit_2(write):
    write("c.yaml", CONNECTOR)
    result = invoke("check", "--select", "JC3,BOGUS", "c.yaml")
    assert result.exit_code == 2 and "BOGUS" in result.stderr


@pytest.mark.parametrize("comment_line, expected", [
    # (suppression added to the file, findings expected: code@line)
    ("    verify_ssl: false  # jamacheck: disable=JC303", {"JC301@6", "JC304@4"}),
    ("    verify_ssl: false  # jamacheck: disable=JC303,JC304", {"JC301@6", "JC304@4", "JC001@5"}),
    ("    verify_ssl: false  # jamacheck: disable=jc303", {"JC301@6", "JC304@4"}),
    ("    verify_ssl: false  # jamacheck: disable", {"JC301@6", "JC303@5", "JC304@4", "JC001@5"}),
    ("    verify_ssl: false  # jamacheck: disable=JC999", {"JC301@6", "JC303@5", "JC304@4", "JC001@5"}),
    ("    verify_ssl: false  # jamacheck: disable=JC501", {"JC301@6", "JC303@5", "JC304@4"}),
])
def test_line_suppression_table(write, comment_line, expected):
    lines = CONNECTOR.splitlines()
    lines[4] = comment_line
    write("c.yaml", "\n".join(lines) + "\n")
    assert {f"{code}@{line}" for code, line, _ in findings_of("c.yaml")} == expected


def test_own_line_suppression_applies_to_next_code_line(write):
    lines = CONNECTOR.splitlines()
    lines[4:4] = ["    # jamacheck: disable=JC303", "", "    # an ordinary comment"]
    write("c.yaml", "\n".join(lines) + "\n")
    assert {code for code, _, _ in findings_of("c.yaml")} == {"JC301", "JC304"}


def test_file_suppression_and_unused_when_ignored_by_select(write):
    write("c.yaml", "# jamacheck: disable-file=JC304,JC303\n" + CONNECTOR)
    assert {code for code, _, _ in findings_of("c.yaml")} == {"JC301"}
    # a code removed by --ignore did not run: its suppression is not unused
    assert {code for code, _, _ in findings_of("--ignore", "JC303", "c.yaml")} == {"JC301"}
    # but JC001 itself can be ignored too
    assert {code for code, _, _ in findings_of("--select", "JC301", "c.yaml")} == {"JC301"}


def test_suppression_can_silence_unused_suppression(write):
    write("c.yaml", CONNECTOR.replace("verify_ssl: false", "verify_ssl: true  # jamacheck: disable=JC303,JC001"))
    assert {code for code, _, _ in findings_of("c.yaml")} == {"JC301", "JC304"}
