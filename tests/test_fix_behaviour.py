"""--fix guarantees beyond one rule: what is never written, how it is written, and how fixes
are reported (json `fix`, SARIF `fixes`, `rules`, `explain`, the pre-commit hook)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import ROOT
from tests.fix_support import apply_with, codes_after, run_cli, write_file

FIXABLE = """\
connectors:
  - name: Jama production
    application: jama-connect
    url: https://acme.jamacloud.com/
    verify_ssl: yes
    auth:
      type: basic
      username: svc
      password: s3cr3t-Pa55
"""
FIXED_SAFE = FIXABLE.replace(".com/", ".com").replace("verify_ssl: yes", "verify_ssl: true")


def test_fix_reports_what_remains_and_exit_code_follows_it(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "c.yaml", FIXABLE.encode())
    result = run_cli(folder, "check", "--fix", "--format", "json", "c.yaml")
    assert path.read_text() == FIXED_SAFE
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["JC301"]
    assert result.exit_code == 1
    assert "fixed 2 findings in 1 file" in result.stderr
    assert "s3cr3t-Pa55" not in result.output


def test_fix_with_only_warnings_left_exits_0(tmp_path: Path):
    folder = tmp_path / "repo"
    text = FIXABLE.replace("password: s3cr3t-Pa55", 'password: "${JAMA_PASSWORD}"')
    path = write_file(folder, "c.yaml", text.encode())
    result = run_cli(folder, "check", "--fix", "c.yaml")
    assert result.exit_code == 0
    assert path.read_text() == text.replace(".com/", ".com").replace("yes", "true")
    assert result.stdout.startswith("0 errors, 0 warnings")


def test_fix_keeps_the_mode_and_leaves_no_temporary_file(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "connectors/c.yaml", FIXABLE.encode())
    os.chmod(path, 0o640)
    run_cli(folder, "check", "--fix", "connectors")
    assert path.read_text() == FIXED_SAFE
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["c.yaml"]


def test_fix_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path: Path):
    folder = tmp_path / "repo"
    target = write_file(folder, "real/c.yaml", FIXABLE.encode())
    link = folder / "c.yaml"
    link.symlink_to(Path("real/c.yaml"))
    run_cli(folder, "check", "--fix", "c.yaml")
    assert link.is_symlink()
    assert target.read_text() == FIXED_SAFE


def test_a_file_with_jc100_jc102_or_jc103_is_never_modified(tmp_path: Path):
    folder = tmp_path / "repo"
    broken = {
        "syntax.yaml": b"connectors:\n  - name: [unclosed  # jamacheck: disable=JC303\n    verify_ssl: yes\n",
        "two.yaml": FIXABLE.encode() + b"---\n" + FIXABLE.encode(),
        "nul.yaml": FIXABLE.encode() + b"\x00",
        "latin1.yaml": FIXABLE.replace("svc", "sv\xe9").encode("latin-1"),
    }
    for name, data in broken.items():
        write_file(folder, name, data)
    result = run_cli(folder, "check", "--fix", "--unsafe-fixes", *broken)
    for name, data in broken.items():
        assert (folder / name).read_bytes() == data, name
    assert "fixed" not in result.stderr
    assert result.exit_code == 1


def test_fix_never_writes_a_file_that_is_not_a_connector_file(tmp_path: Path):
    folder = tmp_path / "repo"
    text = "versoin: 1\nsettings:\n  verify_ssl: yes\n"
    path = write_file(folder, "notes.yaml", text.encode())
    assert "JC202" in codes_after(folder, "notes.yaml")  # named explicitly: it is checked
    run_cli(folder, "check", "--fix", "notes.yaml")
    assert path.read_text() == text


def test_diff_with_nothing_to_fix_is_empty_and_exit_0(tmp_path: Path):
    folder = tmp_path / "repo"
    text = FIXABLE.replace(".com/", ".com").replace("yes", "true").replace("s3cr3t-Pa55", "${JAMA_PASSWORD}")
    write_file(folder, "c.yaml", text.encode())
    result = run_cli(folder, "check", "--diff", "c.yaml")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_diff_names_each_file_so_patch_and_git_apply_find_it(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/a.yaml", FIXABLE.encode())
    write_file(folder, "connectors/b.yaml", FIXABLE.replace("acme", "beta").replace("production", "b").encode())
    result = run_cli(folder, "check", "--diff", "connectors")
    headers = [line for line in result.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert headers == ["--- ./connectors/a.yaml", "+++ ./connectors/a.yaml",
                       "--- ./connectors/b.yaml", "+++ ./connectors/b.yaml"]
    assert "would fix 4 findings in 2 files" in result.stderr


@pytest.mark.parametrize("tool", ["git", "patch"])
def test_diff_of_a_file_whose_name_has_blanks_applies(tmp_path: Path, tool: str):
    """`patch` cuts a name at a blank unless a tab ends it (as git writes such names)."""
    text = FIXABLE.replace("s3cr3t-Pa55", "${JAMA_PASSWORD}").encode()
    name = "connectors/team one/prod côte.yaml"
    fixed = write_file(tmp_path / "fixed", name, text)
    run_cli(tmp_path / "fixed", "check", "--fix", "connectors")
    path = write_file(tmp_path / "diffed", name, text)
    result = run_cli(tmp_path / "diffed", "check", "--diff", "connectors")
    assert result.exit_code == 1
    apply_with(tool, tmp_path / "diffed", result.stdout_bytes)
    assert path.read_bytes() == fixed.read_bytes() != text


def test_json_findings_carry_fix_objects(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "c.yaml", FIXABLE.encode())
    result = run_cli(folder, "check", "--format", "json", "c.yaml")
    findings = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["JC403"]["fix"] == {"applicability": "safe", "edits": [
        {"line": 4, "column": 36, "end_line": 4, "end_column": 37, "replacement": ""}]}
    assert findings["JC104"]["fix"] == {"applicability": "safe", "edits": [
        {"line": 5, "column": 17, "end_line": 5, "end_column": 20, "replacement": "true"}]}
    assert findings["JC301"]["fix"] == {"applicability": "unsafe", "edits": [
        {"line": 9, "column": 17, "end_line": 9, "end_column": 28,
         "replacement": "${JAMA_PRODUCTION_PASSWORD}"}]}
    assert "s3cr3t-Pa55" not in result.stdout


def test_json_finding_without_a_fix_has_none(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "c.yaml", FIXABLE.replace("verify_ssl: yes", "verify_ssl: false").encode())
    result = run_cli(folder, "check", "--format", "json", "c.yaml")
    jc303 = next(f for f in json.loads(result.stdout)["findings"] if f["code"] == "JC303")
    assert jc303.get("fix") is None


def test_sarif_results_carry_fixes_and_validate(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "c.yaml", FIXABLE.encode())
    result = run_cli(folder, "check", "--format", "sarif", "c.yaml")
    document = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    fix = results["JC104"]["fixes"][0]
    assert fix["description"]["text"]
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "c.yaml"
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 5, "startColumn": 17, "endLine": 5, "endColumn": 20},
        "insertedContent": {"text": "true"}}]
    assert "fixes" in results["JC301"]  # unsafe fixes are offered too
    assert "fixes" not in results.get("JC303", {})
    assert "s3cr3t-Pa55" not in result.stdout


def test_rules_has_a_fix_column_and_explain_says_it():
    from tests.conftest import invoke

    lines = {line.split()[0]: line.split() for line in invoke("rules").stdout.splitlines()}
    expected = {"JC104": "safe", "JC403": "safe", "JC202": "safe", "JC204": "safe", "JC305": "safe",
                "JC001": "safe", "JC301": "unsafe", "JC304": "unsafe", "JC303": "none", "JC100": "none"}
    for code, fix in expected.items():
        assert fix in lines[code][:4], lines[code]
        text = invoke("explain", code).stdout
        assert f"Fix applicability: {fix}" in text, text
    markdown = invoke("rules", "--markdown").stdout.splitlines()
    assert markdown[0].split("|")[1:-1] == [" code ", " name ", " severity ", " fix ", " when "]


def test_pre_commit_hooks_define_jamacheck_fix():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    fix = hooks["jamacheck-fix"]
    assert fix["entry"].split() == ["jamacheck", "check", "--fix"]
    assert fix["files"] == hooks["jamacheck"]["files"]
    assert fix.get("require_serial") is True
    assert "stages" not in fix or "manual" not in fix["stages"]


def test_findings_hidden_by_the_baseline_are_not_fixed(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "c.yaml", FIXABLE.encode())
    assert run_cli(folder, "check", "--write-baseline", "base.json", "c.yaml").exit_code == 0
    text = FIXABLE + "  - name: Jama new\n    application: jama-connect\n    url: https://new.jamacloud.com/\n" \
                     "    auth: {type: oauth, client_id: x, client_secret: \"${NEW_SECRET}\"}\n"
    path.write_text(text)
    result = run_cli(folder, "check", "--fix", "--baseline", "base.json", "c.yaml")
    assert path.read_text() == FIXABLE + text[len(FIXABLE):].replace("new.jamacloud.com/", "new.jamacloud.com")
    assert "fixed 1 finding in 1 file" in result.stderr


def test_two_keys_meaning_the_same_key_are_not_renamed_into_a_duplicate(tmp_path: Path):
    """`verfy_ssl: true` and `verify_sl: false` both mean `verify_ssl`: renaming both would repeat the
    key (JC101) and let the last one win; which one was meant is not mechanical, so neither is renamed."""
    folder = tmp_path / "repo"
    text = """\
connectors:
  - name: Jama production
    application: jama-connect
    url: https://acme.jamacloud.com
    verfy_ssl: true
    verify_sl: false
    auth: {type: basic, usrname: u, username2: v, pasword: "${JAMA_PASSWORD}"}
"""
    path = write_file(folder, "c.yaml", text.encode())
    result = run_cli(folder, "check", "--fix", "c.yaml")
    assert path.read_text() == text.replace("pasword", "password")
    assert "fixed 1 finding in 1 file" in result.stderr
    assert "JC101" not in codes_after(folder, "c.yaml")


def test_jc104_fix_drops_a_tag_that_would_keep_the_value_a_string(tmp_path: Path):
    """`saml: !!str "true"` written `!!str true` is still the string "true" (JC104 again): the tag
    goes, an anchor stays."""
    folder = tmp_path / "repo"
    text = """\
connectors:
  - name: Jama production
    application: jama-connect
    url: https://acme.jamacloud.com
    saml: !!str "true"
    verify_ssl: &tls !!str  'True'   # shared
    auth: {type: oauth, client_id: x, client_secret: "${JAMA_SECRET}"}
  - name: Jama staging
    application: jama-connect
    url: https://staging.jamacloud.com
    verify_ssl: ! "true"
    auth: {type: oauth, client_id: y, client_secret: "${JAMA_STAGING_SECRET}"}
"""
    path = write_file(folder, "c.yaml", text.encode())
    result = run_cli(folder, "check", "--fix", "c.yaml")
    assert path.read_text() == text.replace('!!str "true"', "true").replace("&tls !!str  'True'", "&tls true") \
        .replace('! "true"', "true")
    assert "fixed 3 findings in 1 file" in result.stderr
    assert "JC104" not in codes_after(folder, "c.yaml")


def test_a_near_miss_of_connectors_is_fixed_like_any_connector_file(tmp_path: Path):
    folder = tmp_path / "repo"
    body = FIXABLE.replace("password: s3cr3t-Pa55", 'password: "${JAMA_PASSWORD}"').split("\n", 1)[1]
    path = write_file(folder, "team.yaml", ("conectors:\n" + body).encode())
    named = write_file(folder, "prod.connector.yaml", ("connectors:\n" + body).encode())
    run_cli(folder, "check", "--fix", "team.yaml", "prod.connector.yaml")
    fixed = body.replace(".com/", ".com").replace("verify_ssl: yes", "verify_ssl: true")
    assert path.read_text() == "connectors:\n" + fixed
    assert named.read_text() == "connectors:\n" + fixed


def test_diff_cannot_be_combined_with_live(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "c.yaml", FIXABLE.encode())
    result = run_cli(folder, "check", "--diff", "--live", "c.yaml")
    assert result.exit_code == 2 and result.stderr.startswith("jamacheck: error: ")


def test_suppression_text_inside_a_scalar_is_never_edited(tmp_path: Path):
    folder = tmp_path / "repo"
    text = ('connectors:\n  - name: "A # jamacheck: disable=JC303"\n    application: jama-connect\n'
            '    url: https://a.jamacloud.com\n    auth: {type: oauth, client_id: x, client_secret: "${X}"}\n'
            '    admin_groups:\n      - |\n        G # jamacheck: disable=JC304\n'
            '      - "H # jamacheck: disable=JC304 -- x"\n')
    path = write_file(folder, "c.yaml", text.encode())
    assert "JC001" in codes_after(folder, "c.yaml")  # the comment parser reads lines, not YAML
    result = run_cli(folder, "check", "--diff", "c.yaml")
    assert result.stdout == "" and result.exit_code == 0
    run_cli(folder, "check", "--fix", "c.yaml")
    assert path.read_text() == text


def test_an_unsafe_jc305_fix_never_repeats_the_value_it_may_be_a_password(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "c.yaml", FIXABLE.replace("password: s3cr3t-Pa55", "password: $ecr3tPa55").encode())
    result = run_cli(folder, "check", "--format", "json", "c.yaml")
    jc305 = next(f for f in json.loads(result.stdout)["findings"] if f["code"] == "JC305")
    assert jc305["fix"] == {"applicability": "unsafe", "edits": [
        {"line": 9, "column": 18, "end_line": 9, "end_column": 18, "replacement": "{"},
        {"line": 9, "column": 27, "end_line": 9, "end_column": 27, "replacement": "}"}]}
    assert "ecr3tPa55" not in result.stdout


def test_an_unsafe_jc305_fix_in_a_flow_mapping_never_repeats_the_value_either(tmp_path: Path):
    """In a flow mapping `${NAME}` is quoted: `$ecr3t` to `"${ecr3t}"` is three insertions, not a
    replacement that spells the (maybe) password out in json `fix` or SARIF `fixes`."""
    folder = tmp_path / "repo"
    text = FIXABLE.replace("password: s3cr3t-Pa55", "password: $ecr3tPa55").replace(
        "    auth:\n      type: basic\n      username: svc\n      password: $ecr3tPa55\n",
        "    auth: {type: basic, username: svc, password: $ecr3tPa55}\n")
    write_file(folder, "c.yaml", text.encode())
    for output in ("json", "sarif"):
        result = run_cli(folder, "check", "--format", output, "c.yaml")
        assert "ecr3tPa55" not in result.stdout, output
    jc305 = next(f for f in json.loads(run_cli(folder, "check", "--format", "json", "c.yaml").stdout)["findings"]
                 if f["code"] == "JC305")
    assert [edit["replacement"] for edit in jc305["fix"]["edits"]] == ['"', "{", '}"']
    run_cli(folder, "check", "--fix", "--unsafe-fixes", "c.yaml")
    assert '    auth: {type: basic, username: svc, password: "${ecr3tPa55}"}\n' in (folder / "c.yaml").read_text()


def test_a_fix_that_would_break_the_file_is_not_written(tmp_path: Path, monkeypatch):
    from jamacheck.fix import suggest
    from jamacheck.fix.model import SAFE, Edit, Fix

    def breaking(context, json_path, value):  # a faulty fix: an unclosed flow sequence
        line, column = context.document.position(json_path)
        return Fix(SAFE, (Edit(line, column, line, column + 3, "[yes"),))

    monkeypatch.setattr(suggest, "boolean", breaking)
    folder = tmp_path / "repo"
    path = write_file(folder, "c.yaml", FIXABLE.encode())
    result = run_cli(folder, "check", "--fix", "--format", "json", "c.yaml")
    assert path.read_text() == FIXABLE
    assert "JC100" not in result.stdout and "fixed" not in result.stderr


def test_the_rule_fixtures_fix_idempotently_and_their_diff_applies(tmp_path: Path):
    """Every case fixture of the rules, fixed in one folder run: the diff (without the files whose
    hunks are masked) applies with git to the same bytes, and a second --fix changes nothing."""
    import re
    import shutil

    from tests.conftest import CASES
    from tests.fix_support import apply_with

    fixed_tree, diffed_tree = tmp_path / "fixed", tmp_path / "diffed"
    for tree in (fixed_tree, diffed_tree):
        (tree / "connectors").mkdir(parents=True)
        for case in CASES.glob("*.yaml"):
            shutil.copy(case, tree / "connectors" / case.name)
    diff = run_cli(diffed_tree, "check", "--diff", "--unsafe-fixes", "connectors").stdout_bytes
    run_cli(fixed_tree, "check", "--fix", "--unsafe-fixes", "connectors")
    sections = re.split(rb"(?m)^(?=--- )", diff)
    applicable = b"".join(s for s in sections if b"cannot be applied" not in s)
    skipped = {re.match(rb"--- \./(\S+)", s).group(1).decode() for s in sections if b"cannot be applied" in s}
    assert applicable.count(b"\n+++ ") >= 5  # many fixtures have a fix that shows no secret
    apply_with("git", diffed_tree, applicable)
    for path in sorted((fixed_tree / "connectors").iterdir()):
        name = f"connectors/{path.name}"
        if name not in skipped:
            assert (diffed_tree / name).read_bytes() == path.read_bytes(), name
    before = {path.name: path.read_bytes() for path in (fixed_tree / "connectors").iterdir()}
    again = run_cli(fixed_tree, "check", "--fix", "--unsafe-fixes", "connectors")
    assert {path.name: path.read_bytes() for path in (fixed_tree / "connectors").iterdir()} == before
    assert "fixed" not in again.stderr and "Traceback" not in again.output


def test_line_changes_rebuild_the_new_lines_and_stay_linear():
    """--diff on a file of thousands of alike connectors: no quadratic matcher (took minutes)."""
    import random

    from jamacheck.fix.diff import line_changes

    rng = random.Random(7)
    for _ in range(200):
        old = [rng.choice("abc") + "\n" for _ in range(rng.randint(0, 12))]
        new = list(old)
        for _ in range(rng.randint(0, 3)):
            if new and rng.random() < 0.5:
                new[rng.randrange(len(new))] = "x\n"
            elif new and rng.random() < 0.5:
                del new[rng.randrange(len(new))]
        rebuilt: list[str] = []
        at = 0
        for i1, i2, j1, j2 in line_changes(old, new):
            assert old[at:i1] == new[len(rebuilt):len(rebuilt) + i1 - at]
            rebuilt += old[at:i1] + new[j1:j2]
            at = i2
        assert rebuilt + old[at:] == new, (old, new)
        assert bool(line_changes(old, new)) == (old != new)
    many = ["    password: hunter2\n", "  - name: Jama\n"] * 20_000
    fixed = ["    password: ${JAMA_PASSWORD}\n" if line.startswith("    p") else line for line in many]
    assert len(line_changes(many, fixed)) == 20_000
