"""The shared helpers behind JC305 (references) and JC402/JC403/live (base URLs)."""

from __future__ import annotations

import pytest

from jamacheck.references import diagnose, is_reference, literal, looks_like_reference
from jamacheck.urlparts import base_url, instance_key


@pytest.mark.parametrize("value, attempted", [
    ("${NAME}", True), ("$NAME", True), ("x-${A}", True), ("$", True),
    ("$$Interchange-Admins", False), ("Costs $$5", False), ("$$${X", True), ("$$$X", True),
    ("plain", False), ("a$b", False),
])
def test_an_attempted_reference_after_reading_double_dollars(value, attempted):
    assert looks_like_reference(value) is attempted


def test_literal_reads_double_dollars():
    assert literal("$$Interchange-Admins") == "$Interchange-Admins"
    assert not is_reference("$${X}")


@pytest.mark.parametrize("value, words, fix", [
    ("$JAMA_PASSWORD", "needs braces", "${JAMA_PASSWORD}"),
    ("${X:-default}", "shell operators", "${X}"),
    ("${X:=y}", "shell operators", "${X}"),
    ("${#X}", "shell operators", "${X}"),
    ("${{ secrets.X }}", "CI expression", None),
    ("${BAD NAME}", "not a valid variable name", "${BAD_NAME}"),
    ("${1X}", "not a valid variable name", None),
    ("${X", "not closed", "${X}"),
    ("pre-${X}", "whole value", None),
    ("${X}-post", "whole value", None),
    ("$-x", "starts with `$`", None),
])
def test_diagnose_names_the_mistake(value, words, fix):
    mistake = diagnose(value)
    assert mistake is not None and words in mistake.words
    assert mistake.fix == fix


def test_diagnose_keeps_the_value_out_of_the_words():
    for value in ("$hunter2x", "${hunter2x", "${hunter 2x}", "${hunter2x:-y}"):
        mistake = diagnose(value)
        assert mistake is not None and "hunter" not in mistake.message(quote=False)


@pytest.mark.parametrize("url, base, problems", [
    ("https://acme.jamacloud.com", "https://acme.jamacloud.com", 0),
    ("https://acme.jamacloud.com/", "https://acme.jamacloud.com", 1),
    ("https://acme.jamacloud.com/perspective.req#/home", "https://acme.jamacloud.com", 2),
    ("https://u:p@jama.example:8443/jama/rest/v1/?q=1#f", "https://jama.example:8443/jama", 3),
    ("https://jama.example/jama/login.req", "https://jama.example/jama", 1),
    ("https://jama.example/jama", "https://jama.example/jama", 0),
    ("https://acme.atlassian.net/jira/software/projects/X", "https://acme.atlassian.net", 1),
    ("https://api.atlassian.com/ex/jira/abc-123", "https://api.atlassian.com/ex/jira/abc-123", 0),
    ("https://api.atlassian.com/ex/jira/abc-123/rest/api/2", "https://api.atlassian.com/ex/jira/abc-123", 1),
    ("https://jira.acme.example/jira/secure/Dashboard.jspa", "https://jira.acme.example/jira", 1),
    ("https://[::1]:8443/jama/", "https://[::1]:8443/jama", 1),
])
def test_base_url(url, base, problems):
    result = base_url(url)
    assert result is not None
    assert (result.url, len(result.problems)) == (base, problems)


def test_instance_identity_ignores_case_default_port_and_page_parts():
    same = ["https://jama.acme.example/jama", "HTTPS://JAMA.acme.example:443/jama/rest/v1",
            "https://jama.acme.example/jama/login.req", "https://jama.acme.example/jama/"]
    assert len({instance_key(url) for url in same}) == 1
    assert instance_key("https://jama.acme.example/jama2") != instance_key(same[0])
    assert instance_key("not a url") is None
