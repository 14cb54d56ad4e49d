"""Issue 12: configuration files, selection, always-reported codes, reasons, the summary line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import VALID_CONNECTOR, findings_of, invoke

# verify_ssl: false -> JC303 (warning); http:// -> JC304 (error); literal password -> JC301 (error)
CONNECTOR = """\
connectors:
  - name: Config
    application: jama-connect
    url: http://config.jamacloud.com
    verify_ssl: false
    auth: {type: basic, username: svc, password: literal-pw}
"""
TAB_AND_PASSWORD = "connectors:\n  - name: Tabbed\n\tpassword: literal-pw\n"


def _codes(*args: str) -> set[str]:
    return {code for code, _, _ in findings_of(*args)}


# ---- JC100, JC102, JC103 are always reported, at error severity -----------------------------

BROKEN = {
    "JC100": TAB_AND_PASSWORD,
    "JC102": "",
    "JC103": "connectors:\n  - name: \x00\n",
}
SILENCERS = {
    "select": (["--select", "JC301"], ""),
    "select-strict": (["--select", "JC301", "--strict"], ""),
    "ignore": (["--ignore", "{code}"], ""),
    "ignore-prefix": (["--ignore", "JC1"], ""),
    "config-ignore": ([], 'ignore = ["{code}"]'),
    "config-select": ([], 'select = ["JC4"]'),
    "config-severity": ([], '[severity]\n{code} = "warning"'),
    "per-file-ignores": ([], '[per-file-ignores]\n"connectors/*" = ["JC1"]'),
}


@pytest.mark.parametrize("code", sorted(BROKEN))
@pytest.mark.parametrize("how", sorted(SILENCERS))
def test_always_reported_at_error_severity(write, code, how):
    args, config = SILENCERS[how]
    write("connectors/broken.yaml", BROKEN[code])
    write("my.toml", config.format(code=code))
    result = invoke("check", "--format", "json", "--config", "my.toml",
                    *[arg.format(code=code) for arg in args], "connectors")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["severity"]) for f in findings] == [(code, "error")]


@pytest.mark.parametrize("code", sorted(BROKEN))
def test_always_reported_despite_a_suppression_comment(write, code):
    text = f"# jamacheck: disable-file={code}\n" + (BROKEN[code] or "\n")
    if code == "JC102":
        text = f"# jamacheck: disable-file={code}\n- a list\n"
    write("connectors/broken.yaml", text)
    codes = [c for c, _, _ in findings_of("connectors")]
    assert code in codes


# ---- repeated options add up -------------------------------------------------------------------

def test_repeated_select_and_ignore_add_up(write):
    write("conn/c.yaml", CONNECTOR)
    assert _codes("--select", "JC301", "--select", "JC303", "conn") == {"JC301", "JC303"}
    assert _codes("--ignore", "JC301", "--ignore", "JC303", "conn") == {"JC304"}
    assert _codes("--select", "JC301,JC304", "--select", "JC303", "--ignore", "JC304", "conn") == {"JC301", "JC303"}


# ---- configuration files -----------------------------------------------------------------------

@pytest.mark.parametrize("name, body", [
    (".jamacheck.toml", 'ignore = ["JC303"]\n'),
    ("jamacheck.toml", 'ignore = ["JC303"]\n'),
    ("pyproject.toml", '[tool.jamacheck]\nignore = ["JC303"]\n'),
])
def test_configuration_file_names(write, name, body):
    write(name, body)
    write("conn/c.yaml", CONNECTOR)
    assert _codes("conn") == {"JC301", "JC304"}


def test_configuration_file_precedence_in_one_folder(write):
    write(".jamacheck.toml", 'ignore = ["JC303"]\n')
    write("jamacheck.toml", 'ignore = ["JC304"]\n')
    write("pyproject.toml", '[tool.jamacheck]\nignore = ["JC301"]\n')
    write("conn/c.yaml", CONNECTOR)
    assert _codes("conn") == {"JC301", "JC304"}


def test_nearest_folder_upwards_and_pyproject_without_table(write, monkeypatch, tmp_path):
    write("jamacheck.toml", 'ignore = ["JC303"]\n')
    write("sub/pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.jamacheck]: look further up
    write("sub/conn/c.yaml", CONNECTOR)
    monkeypatch.chdir(tmp_path / "sub")
    assert _codes("conn") == {"JC301", "JC304"}
    write("sub/.jamacheck.toml", 'ignore = ["JC304"]\n')  # the nearest folder wins
    assert _codes("conn") == {"JC301", "JC303"}


# ---- suppression reasons and require-reason (JC002) --------------------------------------------

SUPPRESSED = """\
connectors:
  - name: Reasons
    application: jama-connect
    url: https://reasons.jamacloud.com
    verify_ssl: false  {comment}
    auth: {{type: basic, username: svc, password: "${{PW}}"}}
"""


@pytest.mark.parametrize("comment, require, expected", [
    ("# jamacheck: disable=JC303", False, []),
    ("# jamacheck: disable=JC303 -- internal CA, ticket PLAT-1519", False, []),
    ("# jamacheck: disable=JC303 # internal CA, JC304 is not a code here", False, []),
    ("# jamacheck: disable=JC303, JC304 -- two codes", False, [("JC001", 5, 24)]),
    ("# jamacheck: disable=JC303", True, [("JC002", 5, 24)]),
    ("# jamacheck: disable=JC303 --", True, [("JC002", 5, 24)]),
    ("# jamacheck: disable=JC303 -- internal CA, ticket PLAT-1519", True, []),
    ("# jamacheck: disable=JC303 # internal CA", True, []),
])
def test_suppression_reasons(write, comment, require, expected):
    write("conn/c.yaml", SUPPRESSED.format(comment=comment))
    if require:
        write(".jamacheck.toml", "require-reason = true\n")
    assert findings_of("conn") == expected


def test_require_reason_file_wide_and_message(write):
    write(".jamacheck.toml", "require-reason = true\n")
    write("conn/c.yaml", "# jamacheck: disable-file=JC303\n" + SUPPRESSED.format(comment=""))
    result = invoke("check", "--format", "json", "conn")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in findings] == [("JC002", 1, 1, "warning")]
    assert "--" in findings[0]["message"] and result.exit_code == 0


# ---- the summary line --------------------------------------------------------------------------

@pytest.mark.parametrize("files, expected", [
    ({}, "0 errors, 0 warnings in 0 files"),
    ({"a.yaml": VALID_CONNECTOR}, "0 errors, 0 warnings in 1 file"),
    ({"a.yaml": CONNECTOR.replace("literal-pw", "\"${PW}\"").replace("http:", "https:")},
     "0 errors, 1 warning in 1 file"),
    ({"a.yaml": CONNECTOR.replace("verify_ssl: false", "verify_ssl: true").replace("http:", "https:")},
     "1 error, 0 warnings in 1 file"),
    ({"a.yaml": CONNECTOR, "b.yaml": VALID_CONNECTOR}, "2 errors, 1 warning in 2 files"),
])
def test_summary_wording(write, files, expected):
    for name, text in files.items():
        write(f"conn/{name}", text)
    if not files:
        write("conn/readme.txt", "")
    result = invoke("check", "conn")
    assert result.stdout.splitlines()[-1] == expected
