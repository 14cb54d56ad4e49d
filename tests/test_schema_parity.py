"""The schema alone (in check-jsonschema) accepts and rejects what jamacheck's structural rules do."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, findings_of

SCHEMA = ROOT / "schemas" / "connector.schema.json"
# JC209 (duplicate-project) is about content, like JC3xx: the schema does not express it.
STRUCTURAL = re.compile(r"JC2(?!09)\d\d")
# Excepted by the contract: other YAML parsers read these differently (YAML 1.1 booleans, duplicate
# keys, documents), and files that are not YAML at all.
NOT_COMPARABLE = {"JC100", "JC101", "JC102", "JC103", "JC104"}
_YAML11_WORD = re.compile(r"(?i)(?<![\w\"'])(y|n|yes|no|on|off)(?![\w\"'])")

EXTRA_CASES = {
    "ok-minimal.yaml": "connectors:\n  - {name: a, application: jama-connect, url: 'https://a.example', auth: {type: oauth, client_id: c, client_secret: '${S}'}}\n",
    "ok-jira-dc.yaml": "connectors:\n  - {name: j, application: jira, deployment: data-center, url: 'https://j.example', auth: {type: token, token: '${T}'}, projects: [P, 3]}\n",
    "bad-saml.yaml": "connectors:\n  - {name: a, application: jama-connect, url: 'https://a.example', saml: true, auth: {type: basic, username: u, password: '${P}'}}\n",
    "bad-extra-root.yaml": "connectors:\n  - {name: a, application: jama-connect, url: 'https://a.example', auth: {type: oauth, client_id: c, client_secret: '${S}'}}\nextra: 1\n",
    "bad-url.yaml": "connectors:\n  - {name: a, application: jama-connect, url: 'https//a.example', auth: {type: oauth, client_id: c, client_secret: '${S}'}}\n",
    "bad-empty-groups.yaml": "connectors:\n  - {name: a, application: jama-connect, url: 'https://a.example', admin_groups: [], auth: {type: oauth, client_id: c, client_secret: '${S}'}}\n",
    "bad-unknown-app-extra.yaml": "connectors:\n  - {name: a, application: excel, url: 'https://a.example', auth: {}, colour: red}\n",
    "bad-version.yaml": "version: '1'\nconnectors:\n  - {name: a, application: jama-connect, url: 'https://a.example', auth: {type: oauth, client_id: c, client_secret: '${S}'}}\n",
}


def comparable_cases(tmp_path: Path) -> list[Path]:
    paths = []
    for case in sorted(CASES.glob("*.yaml")):
        text = case.read_text("utf-8", errors="replace")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        excepted = set(re.findall(r"# expect: (JC\d{3})", text)) & NOT_COMPARABLE
        # A tab within a line is valid YAML (libyaml reads it), but check-jsonschema's parser
        # (ruamel.yaml) refuses it: that is a YAML reader's difference, not the schema's.
        if excepted or _YAML11_WORD.search(body) or re.search(r"(?m)^---", text) or "\t" in text:
            continue
        paths.append(case)
    for name, text in EXTRA_CASES.items():
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    return paths


def check_jsonschema_verdicts(paths: list[Path]) -> dict[str, bool]:
    """Run check-jsonschema over all files at once: True where the schema accepts a file."""
    executable = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run([executable, "-o", "JSON", "--schemafile", str(SCHEMA), *map(str, paths)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["parse_errors"] == []
    rejected = {Path(error["filename"]).name for error in report["errors"]}
    return {path.name: path.name not in rejected for path in paths}


def test_schema_alone_gives_the_same_verdict(tmp_path):
    paths = comparable_cases(tmp_path)
    assert len(paths) >= 20
    verdicts = check_jsonschema_verdicts(paths)
    mismatches = {}
    for path in paths:
        structural_ok = not any(STRUCTURAL.fullmatch(code) for code, _, _ in findings_of(path))
        if verdicts[path.name] != structural_ok:
            mismatches[path.name] = {"schema_accepts": verdicts[path.name], "jamacheck_accepts": structural_ok}
    assert mismatches == {}
    assert True in verdicts.values() and False in verdicts.values()


@pytest.mark.parametrize("name", ["jama-basic.yaml", "jama-oauth.yaml", "jama-saml.yaml"])
def test_valid_examples_pass_the_schema_alone(name):
    import jsonschema
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "valid" / name).read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(data)


def test_every_property_has_a_description():
    schema = json.loads(SCHEMA.read_text())

    def walk(node, where):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if isinstance(prop, dict) and prop:
                    assert "description" in prop, f"{where}.{name}"
            for key, value in node.items():
                if key != "if":  # conditions name properties, they do not define them
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    walk(schema, "#")
