"""Any bytes, any YAML: a finding or a one-line error, never a traceback or a hang."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from jamacheck.discovery import Candidate
from jamacheck.engine import Report, check_file
from jamacheck.report import FORMATS, RenderOptions, render
from jamacheck.rules.catalogue import BY_CODE
from tests.conftest import VALID_CONNECTOR, examples

# Cheap examples (bytes, punctuation) get more tries than structured documents, which cost ~15 ms each.
FUZZ = settings(max_examples=examples(100))


def _check(data: bytes):
    result = check_file(Candidate("fuzz.yaml", data))
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1
        assert result.source is None or finding.line <= len(result.source.lines)
    findings = [finding.with_severity(BY_CODE[finding.code].severity) for finding in result.findings]
    report = Report(["fuzz.yaml"], findings, {"fuzz.yaml": result.source} if result.source else {})
    for name in FORMATS:
        render(name, report, RenderOptions(color=True, show_source=True))
    return result


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(data):
    _check(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("connectors:-[]{}&*!|>'\"#\n\t ,?$%@`~xyz01")), max_size=200))
def test_yaml_punctuation_soup(text):
    _check(text.encode())


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(["${X}", "$X", "${", "https://a", "http://u:p@h/?token=1"]))
keys = st.sampled_from(["name", "application", "url", "verify_ssl", "saml", "auth", "type", "username",
                        "password", "client_id", "client_secret", "token", "projects", "admin_groups",
                        "deployment", "version", "connectors", "jama-connect", "jira", "basic", "oauth"])
values = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=4),
                                                          st.dictionaries(keys, children, max_size=5)),
                      max_leaves=20)


@settings(max_examples=examples(50))
@given(st.dictionaries(keys, values, max_size=4), st.lists(st.dictionaries(keys, values, max_size=8), max_size=3))
def test_structured_documents(root, connectors):
    root["connectors"] = connectors
    _check(json.dumps(root).encode())


def test_mutations_of_a_valid_file():
    lines = VALID_CONNECTOR.splitlines()
    for index in range(len(lines)):
        for replacement in ("", lines[index] + ":", "  " + lines[index], lines[index].replace(":", "")):
            mutated = lines[:index] + [replacement] + lines[index + 1:]
            _check("\n".join(mutated).encode())
