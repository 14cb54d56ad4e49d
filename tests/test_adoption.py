"""Adoption (issue 14): version, SARIF help links and security severities, schema `$id`,
hook definitions, --statistics, -q, colour rules, JAMACHECK_DEBUG. Fast: in-process CLI
or one short subprocess each."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from jamacheck.rules.catalogue import ALL_RULES
from tests.conftest import ROOT, invoke

BROKEN = ROOT / "examples" / "broken" / "broken.yaml"
VALID = ROOT / "examples" / "valid"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SECURITY = {"JC301": "9.0", "JC302": "9.0", "JC306": "9.0", "JC304": "7.5", "JC303": "5.0"}


def _readme() -> str:
    return (ROOT / "README.md").read_text("utf-8")


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, blanks to '-'."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def readme_anchors() -> set[str]:
    headings = re.findall(r"^#{1,6} +(.+?) *$", _readme(), re.M)
    return {github_slug(heading) for heading in headings}


def test_version_is_0_2_0():
    assert invoke("--version").stdout.strip() == "jamacheck 0.2.0"


@pytest.fixture(scope="module")
def sarif() -> dict:
    result = invoke("check", "--format", "sarif", str(BROKEN))
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_sarif_rules_link_to_their_readme_section(sarif):
    jsonschema.validate(sarif, json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text()),
                        cls=jsonschema.Draft7Validator)
    driver = sarif["runs"][0]["tool"]["driver"]
    anchors = readme_anchors()
    for rule in driver["rules"]:
        uri = urlsplit(rule["helpUri"])
        assert uri.scheme, rule["helpUri"]  # SARIF wants an absolute URI
        assert uri.fragment in anchors, (rule["id"], rule["helpUri"])
        assert uri.fragment.startswith(rule["id"].lower()), rule["helpUri"]
        assert rule["help"]["text"].strip()
    assert "pypi.org" not in json.dumps(driver)  # no package-index release exists
    assert len({rule["helpUri"] for rule in driver["rules"]}) == len(driver["rules"])


def test_sarif_security_rules_carry_tags_and_severity(sarif):
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert set(SECURITY) <= set(rules)
    for code, severity in SECURITY.items():
        properties = rules[code]["properties"]
        assert "security" in properties["tags"], code
        assert properties["security-severity"] == severity, code
    for code, rule in rules.items():
        if code not in SECURITY:
            properties = rule.get("properties", {})
            assert "security" not in properties.get("tags", []), code
            assert "security-severity" not in properties, code


def test_help_uri_follows_jamacheck_docs_url(tmp_path):
    result = invoke("check", "--format", "sarif", str(BROKEN),
                    env={"JAMACHECK_DOCS_URL": "https://git.acme.example/tools/jamacheck/-/blob/abc123/README.md"})
    driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
    jc301 = next(rule for rule in driver["rules"] if rule["id"] == "JC301")
    assert jc301["helpUri"].startswith("https://git.acme.example/tools/jamacheck/-/blob/abc123/README.md#jc301")


def test_readme_rules_table_links_every_code_to_its_section():
    table = invoke("rules", "--markdown").stdout
    anchors = readme_anchors()
    links = re.findall(r"\[(JC\d{3})\]\(#([^)]+)\)", table)
    assert [code for code, _ in links] == [rule.code for rule in ALL_RULES]
    for code, anchor in links:
        assert anchor in anchors and anchor.startswith(code.lower()), (code, anchor)


def test_schema_has_a_urn_id_and_every_copy_agrees():
    shipped = json.loads(invoke("schema").stdout)
    assert shipped["$id"].startswith("urn:")
    assert json.loads((ROOT / "schemas" / "connector.schema.json").read_text()) == shipped


def test_editor_hints_use_relative_paths_that_exist():
    readme = _readme()
    hints = re.findall(r"yaml-language-server: \$schema=(\S+)", readme)
    assert hints
    for hint in hints:
        assert not re.match(r"[a-z]+://", hint), hint  # a relative path, no placeholder host
    assert '"yaml.schemas"' in readme
    for example in sorted((ROOT / "examples").rglob("*.yaml")):
        for hint in re.findall(r"yaml-language-server: \$schema=(\S+)", example.read_text("utf-8")):
            assert (example.parent / hint).resolve().is_file(), (example, hint)


def test_readme_names_no_placeholder_host_release_or_tag():
    readme = _readme()
    assert "example.invalid" not in readme and "https://…" not in readme
    assert "pip install jamacheck" not in readme and "jamacheck==" not in readme
    assert not re.search(r"rev: v\d", readme)  # no release tag exists


def test_hooks_are_serial_and_match_the_contract_paths():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {"jamacheck", "jamacheck-live"} <= set(hooks)
    assert hooks["jamacheck-live"]["stages"] == ["manual"]
    for hook_id, hook in hooks.items():
        assert hook["require_serial"] is True, hook_id
        files = re.compile(hook["files"])
        for path in ("connectors/a.yaml", "connectors/x/y/b.yml", "ops/connectors/c.yaml",
                     "prod.connector.yaml", "deep/dir/qa.connector.yml"):
            assert files.search(path), (hook_id, path)


# --- --statistics and -q -------------------------------------------------------------


def _json_counts(*paths: Path) -> dict[str, int]:
    findings = json.loads(invoke("check", "--format", "json", *paths).stdout)["findings"]
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return counts


def test_statistics_prints_one_line_per_code_then_the_summary():
    result = invoke("check", "--statistics", "--no-color", BROKEN)
    assert result.exit_code == 1
    *lines, summary = result.stdout.splitlines()
    assert re.fullmatch(r"\d+ errors?, \d+ warnings? in 1 files?", summary)
    parsed = [re.fullmatch(r"\s*(\d+)\s+(JC\d{3})\s+\[([a-z-]+)\].*", line) for line in lines]
    assert all(parsed), lines
    counts = {match[2]: int(match[1]) for match in parsed}
    assert counts == _json_counts(BROKEN)
    order = [(-int(match[1]), match[2]) for match in parsed]
    assert order == sorted(order)  # most frequent first, then by code
    assert "broken.yaml:" not in result.stdout


def test_statistics_is_a_text_option():
    result = invoke("check", "--statistics", "--format", "json", BROKEN)
    assert result.exit_code == 2 and "--statistics" in result.stderr


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_prints_only_the_summary(flag):
    result = invoke("check", flag, "--show-source", BROKEN)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert re.fullmatch(r"\d+ errors?, \d+ warnings? in 1 files?\n", result.stdout)
    assert invoke("check", flag, VALID).exit_code == 0


# --- colour ------------------------------------------------------------------------------


def _run_cli(args: list[str], env: dict[str, str], tty: bool = False) -> tuple[int, str, str]:
    """Run `python -m jamacheck` in a subprocess; with tty=True its stdout is a pseudo-terminal."""
    base = {key: value for key, value in os.environ.items()
            if key not in ("FORCE_COLOR", "NO_COLOR", "JAMACHECK_DEBUG", "CLICOLOR_FORCE")}
    command = [sys.executable, "-m", "jamacheck", *args]
    if not tty:
        done = subprocess.run(command, env={**base, **env}, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout, done.stderr
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(command, env={**base, **env}, stdout=follower, stderr=subprocess.PIPE) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    os.close(leader)
    return process.returncode, b"".join(chunks).decode(), stderr


_NO_COLOUR_ENV = {"FORCE_COLOR": None, "NO_COLOR": None}  # CliRunner: None unsets a variable


@pytest.mark.parametrize(("env", "flags", "coloured"), [
    ({}, [], False),
    ({"FORCE_COLOR": "1"}, [], True),
    ({"FORCE_COLOR": ""}, [], False),           # empty means unset
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], True),  # FORCE_COLOR is read first
    ({"FORCE_COLOR": "1"}, ["--no-color"], False),
    ({"NO_COLOR": "1"}, ["--color"], True),
])
def test_colour_rules_off_a_terminal(env, flags, coloured):
    result = invoke("check", *flags, BROKEN, env={**_NO_COLOUR_ENV, **env})
    assert result.exit_code == 1
    assert bool(ANSI.search(result.stdout)) is coloured, result.stdout[:300]


@pytest.mark.parametrize(("env", "coloured"), [({}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": ""}, True)])
def test_colour_rules_on_a_terminal(env, coloured):
    code, stdout, stderr = _run_cli(["check", str(BROKEN)], env, tty=True)
    assert code == 1, stderr
    assert bool(ANSI.search(stdout)) is coloured, stdout[:300]


# --- JAMACHECK_DEBUG -------------------------------------------------------------------------

def _crash(stream: object, *args: object, **kwargs: object) -> None:
    text = stream if isinstance(stream, str) else ""
    raise RuntimeError("crashed on " + text[text.find("password"):][:60])


CRASH = "import yaml\nfrom tests.test_adoption import _crash\nyaml.parse = _crash\n"
SECRET_FILE = "connectors:\n  - name: a\n    auth: {type: basic, password: hunter2-literal}\n"


@pytest.mark.parametrize("debug", [None, "", "0", "true"])
def test_internal_error_is_one_line_without_debug(tmp_path, monkeypatch, debug):
    """The simplest honest internal error: the YAML parser raises (its message quotes the file)."""
    monkeypatch.setattr(yaml, "parse", _crash)
    connector = tmp_path / "connectors" / "a.yaml"
    connector.parent.mkdir()
    connector.write_text(SECRET_FILE)
    result = invoke("check", connector, env={"JAMACHECK_DEBUG": debug})
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # the other files: reported
    assert "a.yaml" in result.stderr and "hunter2-literal" not in result.stderr


def test_jamacheck_debug_adds_the_traceback(tmp_path):
    """End to end through `python -m jamacheck`, the parser made to raise by a sitecustomize."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(CRASH)
    connector = tmp_path / "connectors" / "a.yaml"
    connector.parent.mkdir()
    connector.write_text(SECRET_FILE)
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(ROOT)]), "JAMACHECK_DEBUG": "1"}
    code, _, stderr = _run_cli(["check", str(connector)], env)
    assert code == 2
    first = stderr.splitlines()[0]
    assert "a.yaml" in first and "Traceback" not in first  # the one line comes first
    assert "Traceback (most recent call last)" in stderr and "RuntimeError" in stderr
    assert "_crash" in stderr  # the frames are there
    assert "hunter2-literal" not in stderr  # a debug line is output too: no secret
