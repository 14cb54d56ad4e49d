"""Messages that lead to the fix (issue 12): each mistake named as itself, the real remedy.

Positions live in tests/cases/rule-*.yaml; these tests read the messages of the same
fixtures (and a few small files) through the CLI's JSON output.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import CASES, invoke


def messages(*args, env: dict | None = None) -> dict[tuple[str, int], list[str]]:
    result = invoke("check", "--format", "json", *args, env=env)
    assert result.exit_code in (0, 1), result.output
    found: dict[tuple[str, int], list[str]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        found.setdefault((finding["code"], finding["line"]), []).append(finding["message"])
    return found


def one(found: dict, code: str, line: int) -> str:
    assert len(found.get((code, line), [])) == 1, found
    return found[(code, line)][0]


JAMA = "    application: jama-connect\n    url: https://{host}.jamacloud.com\n"


def connector(name: str, body: str, host: str = "acme") -> str:
    return f"  - name: {name}\n" + JAMA.format(host=host) + body


# --- JC305: one message per mistake -----------------------------------------------------


def test_jc305_names_each_mistake():
    found = messages(CASES / "rule-jc305-mistakes.yaml")
    dollar = one(found, "JC305", 17)           # password: $JAMA_PASSWORD
    shell = one(found, "JC305", 16)            # ${JAMA_USER:-svc-interchange}
    question = one(found, "JC305", 23)         # ${CLIENT_ID?set it}
    ci = one(found, "JC305", 24)               # ${{ secrets.JAMA_CLIENT_SECRET }}
    digit = one(found, "JC305", 30)            # ${1USER}
    blank = one(found, "JC305", 31)            # ${JAMA PASSWORD}
    partial, lone = found[("JC305", 35)]       # ["prefix-${GROUP}", $]
    unclosed = one(found, "JC305", 38)         # ${JAMA_USER
    assert "braces" in dollar and "`${NAME}`" in dollar
    assert "`:-`" in shell and "shell" in shell and "set the variable" in shell
    assert "`?`" in question and "shell" in question
    assert "CI expression" in ci and "environment" in ci
    assert "not a valid variable name" in digit and "not a valid variable name" in blank
    assert "not closed" in unclosed and "`${JAMA_USER}`" in unclosed
    assert "whole value" in partial and "`$$`" in partial
    assert "`$$`" in lone
    every = [dollar, shell, ci, digit, partial, lone, unclosed]
    assert len(set(every)) == len(every)


def test_jc305_on_a_secret_keeps_the_value_out_of_the_message(write):
    path = write("c.yaml", "connectors:\n" + connector(
        "S", "    auth:\n      type: basic\n      username: svc\n      password: $hunter2x\n"))
    message = one(messages(path), "JC305", 8)
    assert "hunter2x" not in message
    assert "`${NAME}`" in message


def test_jc305_on_a_plain_field_suggests_the_reference(write):
    path = write("c.yaml", "connectors:\n" + connector(
        "S", "    auth:\n      type: oauth\n      client_id: $CLIENT_ID\n      client_secret: ${S}\n"))
    assert "`${CLIENT_ID}`" in one(messages(path), "JC305", 7)


# --- JC303: the real remedy, the spelling used ----------------------------------------------


@pytest.mark.parametrize("spelling", ["no", "false", "Off"])
def test_jc303_names_interchange_trust_store_and_quotes_the_spelling(write, spelling):
    path = write("c.yaml", "connectors:\n" + connector(
        "S", f"    verify_ssl: {spelling}\n    auth: {{type: oauth, client_id: c, client_secret: \"${{S}}\"}}\n"))
    message = one(messages(path), "JC303", 5)
    assert f"`verify_ssl: {spelling}`" in message
    assert "Interchange" in message and "trust store" in message
    assert "--ca-bundle" in message
    if spelling != "false":
        assert "verify_ssl: false" not in message


# --- JC402: no policy stated as fact --------------------------------------------------------


def test_jc402_suggests_a_suppression_with_a_reason_for_separate_accounts():
    found = messages(CASES / "rule-jc402-instance-identity.yaml")
    message = one(found, "JC402", 16)
    assert "Jama on-prem" in message and ":12" in message
    assert "service account" in message
    assert "disable=JC402" in message and "reason" in message


# --- JC202: indentation hints ---------------------------------------------------------------


def test_jc202_indentation_hints():
    found = messages(CASES / "rule-jc202-indentation.yaml")
    for line in (12, 13, 14):
        assert "indent it under `auth`" in one(found, "JC202", line)
    for line in (23, 24):
        assert "outdent it to the connector" in one(found, "JC202", line)
    auth = one(found, "JC208", 11)
    assert "remove the key" not in auth and "indent" in auth


def test_jc202_x_keys_belong_at_the_top_level():
    message = one(messages(CASES / "rule-x-keys-and-dollars.yaml"), "JC202", 16)
    assert "`x-team`" in message and "top level" in message


# --- JC100: what the parser means -----------------------------------------------------------


def test_jc100_tab_indentation_says_yaml_indents_with_spaces():
    for name in ("jc100-tab.yaml", "rule-jc100-tab-indentation.yaml"):
        found = messages(CASES / name)
        (message,) = [m for (code, _), ms in found.items() if code == "JC100" for m in ms]
        assert "YAML indents with spaces" in message, message
        assert "cannot start any token" not in message


def test_jc100_unclosed_quote_points_at_the_opening_quote():
    message = one(messages(CASES / "jc100-quote.yaml"), "JC100", 3)
    assert "quote" in message and "never closed" in message


# --- JC204: enumerations, Jira Cloud user name ------------------------------------------------


def test_jc204_enumeration_did_you_mean():
    found = messages(CASES / "rule-jc204-enumerations.yaml")
    assert "did you mean `jira`?" in one(found, "JC204", 17)
    assert "did you mean `data-center`?" in one(found, "JC204", 18)
    assert "did you mean `token`?" in one(found, "JC204", 21)
    assert "did you mean `jama-connect`?" in one(found, "JC204", 24)
    assert "did you mean `oauth`?" in one(found, "JC204", 28)
    assert "did you mean `jama-connect`?" in one(found, "JC204", 32)


def test_jc204_jira_cloud_username_is_an_email():
    message = one(messages(CASES / "rule-jc204-cloud-username.yaml"), "JC204", 7)
    assert "e-mail" in message and "username" in message


# --- JC209, JC403, JC404 ----------------------------------------------------------------------


def test_jc209_names_the_first_listing():
    found = messages(CASES / "rule-jc209-duplicate-project.yaml")
    assert "line 10" in one(found, "JC209", 12)
    assert "line 11" in one(found, "JC209", 14)


def test_jc403_writes_the_base_url():
    found = messages(CASES / "rule-jc403-wider.yaml")
    assert "`url: https://jama.acme.example/jama`" in one(found, "JC403", 14)
    assert "`url: https://acme.atlassian.net`" in one(found, "JC403", 28)
    assert "`url: https://acme.jamacloud.com`" in one(found, "JC403", 32)
    gateway = "`url: https://api.atlassian.com/ex/jira/11223344-a1b2-3b33-c444-def123456789`"
    assert gateway in one(found, "JC403", 37)


def test_jc404_names_host_and_application():
    found = messages(CASES / "rule-jc404-host-mismatch.yaml")
    assert "acme.jamacloud.com" in one(found, "JC404", 10) and "jira" in one(found, "JC404", 10)
    assert "data-center" in one(found, "JC404", 23)


# --- the catalogue ----------------------------------------------------------------------------


@pytest.mark.parametrize("code,name", [("JC209", "duplicate-project"), ("JC404", "application-host-mismatch")])
def test_new_rules_are_explained(code, name):
    result = invoke("explain", code)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{code} {name} (")
    for heading in ("What it does", "Why it matters", "Example", "Fix"):
        assert heading in result.stdout


def test_double_dollar_names_compare_as_the_text_they_stand_for(write):
    path = write("c.yaml", "connectors:\n"
                 + connector("Costs $$5", "    auth: {type: oauth, client_id: c, client_secret: \"${S}\"}\n", "one")
                 + connector("costs $5", "    auth: {type: oauth, client_id: c, client_secret: \"${S}\"}\n", "two"))
    found = messages(path)
    assert list(found) == [("JC401", 6)]


# --- JC208: what to write, by the field's kind -------------------------------------------------


def test_jc208_on_a_field_with_fixed_values_is_empty_not_none():
    found = messages(CASES / "rule-jc208-null-enumerations.yaml")
    for line in (8, 11, 15, 20, 27):
        message = one(found, "JC208", line)
        assert "None" not in message and "``" not in message
    assert "remove the key" in one(found, "JC208", 8)  # version: optional
    assert "remove the key" not in one(found, "JC208", 11)  # application: required


def test_jc208_never_advises_removing_a_required_key_or_names_a_list_item_a_key(write):
    path = write("c.yaml", "connectors:\n  - name:\n    application: jama-connect\n    url: ''\n"
                 "    projects: [~, A]\n    saml:\n    auth: {type: basic, username: ~, password: \"${P}\"}\n")
    found = messages(path)
    for line in (2, 4, 7):  # name, url, auth.username: required
        assert "remove the key" not in one(found, "JC208", line)
    assert "remove the item" in one(found, "JC208", 5)
    assert "remove the key" in one(found, "JC208", 6)  # saml: optional, the default applies
    assert "declare at least one connector" in one(messages(write("d.yaml", "connectors:\n")), "JC208", 1)


# --- JC305 and masking: a CI expression is named as such, whatever else the run masks ---------


def test_jc305_ci_expression_message_is_not_masked_by_another_ci_expression(write):
    path = write("c.yaml", "connectors:\n  - name: CI\n    application: jira\n    deployment: cloud\n"
                 "    url: https://ci.atlassian.net\n    auth:\n      type: basic\n"
                 "      username: ${{ secrets.USER }}\n      password: ${{ secrets.JIRA_API_TOKEN }}\n")
    found = messages(path)
    for line in (8, 9):
        message = one(found, "JC305", line)
        assert "CI expression" in message and "****" not in message, message
    assert "JIRA_API_TOKEN" not in one(found, "JC305", 9)


# --- JC401/JC402 through an `x-` anchor: the other connector is named by its own line ----------


def test_cross_file_findings_name_the_first_connector_not_the_anchor_it_uses(write):
    path = write("c.yaml", "x-jama: &jama\n  application: jama-connect\n  url: https://x.jamacloud.com\n"
                 "  auth: {type: oauth, client_id: c, client_secret: \"${S}\"}\n"
                 "connectors:\n  - <<: *jama\n    name: First\n  - <<: *jama\n    name: Second\n"
                 "  - name: Third\n    application: jama-connect\n    url: https://X.jamacloud.com/\n"
                 "    auth: {type: oauth, client_id: c, client_secret: \"${S}\"}\n")
    found = messages(path)
    assert "c.yaml:6 " in one(found, "JC402", 8)   # the `- ` line of First, not the anchor's line 3
    assert "c.yaml:6 " in one(found, "JC402", 12)


def test_jc204_version_quoted_or_boolean_is_named_as_written(write):
    head = "connectors: [{name: a, application: jira, deployment: data-center, url: https://v.example}]\n"
    quoted = one(messages(write("q.yaml", 'version: "1"\n' + head)), "JC204", 1)
    assert "did you mean `1`" not in quoted and "without quotes" in quoted and "`version: 1`" in quoted
    boolean = one(messages(write("b.yaml", "version: true\n" + head)), "JC204", 1)
    assert "True" not in boolean and "`true`" in boolean
