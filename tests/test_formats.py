"""Every format carries the same findings; SARIF validates against the official schema."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from jamacheck.rules.catalogue import BY_CODE
from tests.conftest import CASES, ROOT, invoke

ALL_CASES = sorted(CASES.glob("*.yaml"))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    config = tmp_path_factory.mktemp("config") / "jamacheck.toml"
    config.write_text("require-reason = true\n")  # so every offline rule, JC002 too, is in the run

    def run(output_format):
        result = invoke("check", "--format", output_format, "--no-show-source", "--config", config, *ALL_CASES)
        assert result.exit_code == 1
        return result.stdout

    return {name: run(name) for name in ("text", "json", "sarif", "github", "gitlab")}


def _normalise(path: str) -> str:
    return path.replace("\\", "/").split("tests/cases/")[-1]


def from_json(text):
    return sorted((_normalise(f["path"]), f["line"], f["column"], f["code"], f["severity"])
                  for f in json.loads(text)["findings"])


def from_text(text):
    pattern = re.compile(r"^(.+?):(\d+):(\d+): (error|warning) (JC\d{3}) \[", re.M)
    return sorted((_normalise(p), int(l), int(c), code, sev) for p, l, c, sev, code in pattern.findall(text))


def from_sarif(text):
    run = json.loads(text)["runs"][0]
    return sorted((_normalise(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
                   r["locations"][0]["physicalLocation"]["region"]["startLine"],
                   r["locations"][0]["physicalLocation"]["region"]["startColumn"],
                   r["ruleId"], r["level"]) for r in run["results"])


def from_github(text):
    pattern = re.compile(r"^::(error|warning) file=(.+?),line=(\d+),col=(\d+),title=(JC\d{3}) ", re.M)
    return sorted((_normalise(p), int(l), int(c), code, sev) for sev, p, l, c, code in pattern.findall(text))


def from_gitlab(text):
    severities = {"major": "error", "minor": "warning"}
    items = json.loads(text)
    return sorted((_normalise(i["location"]["path"]), i["location"]["lines"]["begin"], None,
                   i["check_name"], severities[i["severity"]]) for i in items)


def test_every_format_carries_the_same_findings(outputs):
    reference = from_json(outputs["json"])
    assert len(reference) > 40
    assert from_text(outputs["text"]) == reference
    assert from_sarif(outputs["sarif"]) == reference
    assert from_github(outputs["github"]) == reference
    without_column = sorted((p, l, None, c, s) for p, l, _, c, s in reference)
    assert from_gitlab(outputs["gitlab"]) == without_column


def test_sarif_validates_against_the_official_schema(outputs):
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    document = json.loads(outputs["sarif"])
    jsonschema.validate(document, schema, cls=jsonschema.Draft7Validator)
    driver = document["runs"][0]["tool"]["driver"]
    rule_ids = {rule["id"] for rule in driver["rules"]}
    assert rule_ids == set(BY_CODE)
    results = document["runs"][0]["results"]
    assert {result["ruleId"] for result in results} <= rule_ids
    offline = {code for code in BY_CODE if not code.startswith("JC5")}
    assert {result["ruleId"] for result in results} == offline
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"] and rule["fullDescription"]["text"]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_gitlab_fingerprints_are_unique_and_survive_line_shifts(write):
    text = ("connectors:\n  - name: A\n    application: jama-connect\n    url: http://a.example\n"
            "    verify_ssl: false\n    auth: {type: basic, username: u, password: p}\n")
    write("c.yaml", text)
    first = json.loads(invoke("check", "--format", "gitlab", "c.yaml").stdout)
    write("c.yaml", "# a comment that moves every line\n\n" + text)
    second = json.loads(invoke("check", "--format", "gitlab", "c.yaml").stdout)
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    assert len({i["fingerprint"] for i in first}) == len(first) == 3
    assert [i["location"]["lines"]["begin"] for i in second] == [i["location"]["lines"]["begin"] + 2 for i in first]


def test_github_escapes_data_and_properties(write):
    from jamacheck.report.github_format import escape_data, escape_property

    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z%") == "x%3Ay%2Cz%25"
    write("odd,name:1.yaml", "connectors: []\n")
    output = invoke("check", "--format", "github", "odd,name:1.yaml").stdout
    assert output.startswith("::error file=odd%2Cname%3A1.yaml,line=1,col=13,title=JC208 empty-value::")


def test_json_has_the_contract_fields(write):
    write("c.yaml", "connectors:\n  - name: A\n    application: jama-connect\n    url: https://a.example\n"
                    "    auth: {type: oauth, client_id: x, client_secret: literal}\n")
    document = json.loads(invoke("check", "--format", "json", "c.yaml").stdout)
    assert document["version"] == 1 and document["files"] == ["c.yaml"]
    assert document["summary"] == {"errors": 1, "warnings": 0}
    assert "live" not in document
    (finding,) = document["findings"]
    assert finding == {"path": "c.yaml", "line": 5, "column": 54, "code": "JC301", "name": "plaintext-secret",
                       "severity": "error", "message": finding["message"], "connector": "A",
                       "fix": {"applicability": "unsafe", "edits": [
                           {"line": 5, "column": 54, "end_line": 5, "end_column": 61,
                            "replacement": '"${A_CLIENT_SECRET}"'}]}}
