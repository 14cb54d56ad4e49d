"""Jira verdicts against the fake Jira, Cloud and Data Center answering as each does (SPEC §5.1)."""

from __future__ import annotations

import json

import pytest

from fakes.jira import ALL_PERMISSIONS, Fault, JiraProject, JiraScenario, JiraUser
from tests.live_support import fake_jira, jira_connector, live, live_codes

TOKEN, PAT, DC_PASSWORD = "api-token-CANARY-1", "pat-CANARY-2", "dc-pw-CANARY-3"
ENV = {"JIRA_TOKEN": TOKEN, "JIRA_PAT": PAT, "JIRA_PASSWORD": DC_PASSWORD}
CLOUD_AUTH = "{type: basic, username: svc@acme.example, password: '${JIRA_TOKEN}'}"
PAT_AUTH = "{type: token, token: '${JIRA_PAT}'}"
DC_BASIC = "{type: basic, username: svc, password: '${JIRA_PASSWORD}'}"


@pytest.fixture
def connectors_file(write):
    def _file(*blocks: str):
        return write("connectors.yaml", "connectors:\n" + "".join(blocks))
    return _file


def jira_scenario(**changes) -> JiraScenario:
    everything = {"svc@acme.example": set(ALL_PERMISSIONS), "svc": set(ALL_PERMISSIONS)}
    base = JiraScenario(users=[JiraUser("svc@acme.example", TOKEN), JiraUser("svc", DC_PASSWORD, pats=(PAT,))],
                        projects=[JiraProject("PROJ", granted=everything, issues=[("PROJ-1", "someone")])])
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_cloud_basic_and_data_center_pat_pass_and_ask_for_the_permissions(connectors_file, tmp_path):
    with fake_jira(jira_scenario(), "cloud") as cloud, fake_jira(jira_scenario(), "data-center") as dc:
        path = connectors_file(jira_connector("Cloud", cloud.url, "cloud", CLOUD_AUTH, ["PROJ"]),
                               jira_connector("DC", dc.url, "data-center", PAT_AUTH, ["PROJ"]))
        result, findings, checks = live(path, env=ENV, tmp_path=tmp_path)
        for server in (cloud, dc):
            asked = server.requests("/rest/api/2/mypermissions")
            assert asked and all(e.query["permissions"] == [",".join(sorted(ALL_PERMISSIONS, key=[
                "BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS", "CREATE_ATTACHMENTS"].index))]
                for e in asked)
        assert dc.requests()[0].headers["Authorization"] == f"Bearer {PAT}"
    assert result.exit_code == 0 and findings == []
    assert list(checks["Cloud"]) == ["secrets", "login", "active", "permissions:PROJ"]
    assert "PROJ-1" in checks["Cloud"]["permissions:PROJ"][1]  # asked for an issue it did not report


def test_cloud_username_without_at_is_an_offline_error_and_not_contacted(connectors_file, tmp_path):
    with fake_jira(jira_scenario(), "cloud") as cloud:
        auth = "{type: basic, username: svc, password: '${JIRA_TOKEN}'}"
        _, findings, checks = live(connectors_file(jira_connector("Cloud", cloud.url, "cloud", auth)),
                                        env=ENV, tmp_path=tmp_path)
        assert cloud.requests() == []
    assert [f["code"] for f in findings] == ["JC204"]
    assert checks["Cloud"]["login"][0] == "skip" and "JC204" in checks["Cloud"]["login"][1]


def test_pat_sent_as_a_password_is_refused(connectors_file, tmp_path):
    with fake_jira(jira_scenario(), "data-center") as dc:
        auth = "{type: basic, username: svc, password: '${JIRA_PAT}'}"
        _, findings, checks = live(connectors_file(jira_connector("DC", dc.url, "data-center", auth)),
                                   env=ENV, tmp_path=tmp_path)
    assert live_codes(findings) == ["JC503"] and "type: token" in checks["DC"]["login"][1]


@pytest.mark.parametrize("status", [401, 403])
def test_captcha_headers_name_the_captcha_on_a_401_too(connectors_file, tmp_path, status):
    headers = {"Content-Type": "application/json", "X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=x",
               "X-Seraph-LoginReason": "AUTHENTICATION_DENIED"}
    faults = {("GET", "/rest/api/2/myself"): [Fault(status, headers, b'{"errorMessages": [], "errors": {}}')]}
    with fake_jira(jira_scenario(faults=faults), "data-center") as dc:
        _, findings, checks = live(connectors_file(jira_connector("DC", dc.url, "data-center", DC_BASIC)),
                                   env=ENV, tmp_path=tmp_path)
    detail = checks["DC"]["login"][1]
    assert live_codes(findings) == ["JC503"] and "CAPTCHA" in detail and "password is wrong" not in detail


def test_captcha_is_named_with_its_fix_not_as_a_wrong_password(connectors_file, tmp_path):
    with fake_jira(jira_scenario(captcha_after=0), "data-center") as dc:
        _, findings, checks = live(connectors_file(jira_connector("DC", dc.url, "data-center", DC_BASIC)),
                                   env=ENV, tmp_path=tmp_path)
        assert len(dc.requests()) == 1
    detail = checks["DC"]["login"][1]
    assert live_codes(findings) == ["JC503"] and "CAPTCHA" in detail and "browser" in detail
    assert "password is wrong" not in detail


def test_jira_error_messages_are_quoted(connectors_file, tmp_path):
    with fake_jira(jira_scenario(), "cloud") as cloud:
        auth = "{type: basic, username: svc@acme.example, password: '${JIRA_PASSWORD}'}"
        _, findings, checks = live(connectors_file(jira_connector("Cloud", cloud.url, "cloud", auth)),
                                   env=ENV, tmp_path=tmp_path)
    assert live_codes(findings) == ["JC503"]
    assert "You are not authenticated." in checks["Cloud"]["login"][1]
    assert "id.atlassian.com" in checks["Cloud"]["login"][1]


def test_400_on_mypermissions_is_jc510_not_a_project_finding(connectors_file, tmp_path):
    body = json.dumps({"errorMessages": ["The 'permissions' query parameter is required."]}).encode()
    faults = {("GET", "/rest/api/2/mypermissions"): [Fault(400, {"Content-Type": "application/json"}, body)]}
    with fake_jira(jira_scenario(faults=faults), "cloud") as cloud:
        _, findings, checks = live(connectors_file(jira_connector("Cloud", cloud.url, "cloud", CLOUD_AUTH, ["PROJ"])),
                                   env=ENV, tmp_path=tmp_path)
    assert live_codes(findings) == ["JC510"]
    assert "permission query" in checks["Cloud"]["permissions:PROJ"][1]
    assert "parameter is required" in checks["Cloud"]["permissions:PROJ"][1]


@pytest.mark.parametrize("deployment, auth", [("cloud", CLOUD_AUTH), ("data-center", PAT_AUTH)])
def test_reporter_only_permissions_do_not_pass(connectors_file, tmp_path, deployment, auth):
    me = "svc@acme.example" if deployment == "cloud" else "svc"
    browse = {me: {"BROWSE_PROJECTS", "CREATE_ISSUES", "ADD_COMMENTS", "CREATE_ATTACHMENTS"}}
    projects = [JiraProject("OWN", granted=browse, reporter_only={"EDIT_ISSUES"}, issues=[("OWN-1", "someone")]),
                JiraProject("MINE", granted=browse, reporter_only={"EDIT_ISSUES"}, issues=[("MINE-1", me)]),
                JiraProject("GONE", browsable=False)]
    with fake_jira(jira_scenario(projects=projects), deployment) as server:
        path = connectors_file(jira_connector("J", server.url, deployment, auth, ["OWN", "MINE", "GONE"]))
        _, findings, checks = live(path, env=ENV, tmp_path=tmp_path)
        searched = [e.query["jql"][0] for e in server.requests("/rest/api/2/search")]
    assert searched[0] == "project=OWN AND reporter != currentUser()"
    assert checks["J"]["permissions:OWN"][0] == "fail" and "EDIT_ISSUES" in checks["J"]["permissions:OWN"][1]
    assert "OWN-1" in checks["J"]["permissions:OWN"][1]
    assert checks["J"]["permissions:MINE"][0] == "pass" and "project level" in checks["J"]["permissions:MINE"][1]
    assert checks["J"]["permissions:GONE"][0] == "fail" and "does not exist" in checks["J"]["permissions:GONE"][1]
    assert live_codes(findings) == ["JC509", "JC509"]


@pytest.mark.parametrize("path, body", [
    ("/rest/api/2/myself", [1]),
    ("/rest/api/2/myself", {"name": "svc", "active": "yes"}),
    ("/rest/api/2/mypermissions", {"BROWSE_PROJECTS": "yes"}),
    ("/rest/api/2/mypermissions", {"permissions": {"BROWSE_PROJECTS": "yes"}}),
    ("/rest/api/2/search", {"issues": [5]}),
])
def test_wrong_typed_jira_answers_are_jc510(connectors_file, tmp_path, path, body):
    faults = {("GET", path): [Fault(200, {"Content-Type": "application/json"}, json.dumps(body).encode())]}
    with fake_jira(jira_scenario(faults=faults), "data-center") as dc:
        result, findings, _ = live(connectors_file(jira_connector("DC", dc.url, "data-center", PAT_AUTH, ["PROJ"])),
                                   env=ENV, tmp_path=tmp_path)
    assert result.exit_code == 1 and live_codes(findings) == ["JC510"]


def test_jira_cloud_search_removed_410_uses_search_jql_and_an_issue_id(connectors_file, tmp_path):
    """Jira Cloud answers 410 on /rest/api/2/search since 2025 (Atlassian changelog CHANGE-2046):
    the unreported issue comes from /search/jql, which may name issues by id only."""
    ids_only = {("GET", "/rest/api/2/search/jql"): [Fault(200, {"Content-Type": "application/json"},
                                                          json.dumps({"issues": [{"id": "777"}]}).encode())]}
    with fake_jira(jira_scenario(), "cloud") as cloud, fake_jira(jira_scenario(faults=ids_only), "cloud") as bare:
        path = connectors_file(jira_connector("Cloud", cloud.url, "cloud", CLOUD_AUTH, ["PROJ"]),
                               jira_connector("Bare", bare.url, "cloud", CLOUD_AUTH, ["PROJ"]))
        _, findings, checks = live(path, env=ENV, tmp_path=tmp_path)
        assert [e.status for e in cloud.requests() if e.path == "/rest/api/2/search"] == [410]
        assert cloud.requests("/rest/api/2/search/jql")
        assert [e.query.get("issueId") for e in bare.requests("/rest/api/2/mypermissions")] == [["777"]]
    assert checks["Cloud"]["permissions:PROJ"][0] == "pass" and "PROJ-1" in checks["Cloud"]["permissions:PROJ"][1]
    assert checks["Bare"]["permissions:PROJ"][0] == "fail" and live_codes(findings) == ["JC509"]  # no such issue


def test_the_project_key_is_quoted_in_the_jql(connectors_file, tmp_path):
    with fake_jira(jira_scenario(), "data-center") as dc:
        path = connectors_file(jira_connector("DC", dc.url, "data-center", PAT_AUTH, ['PROJ" OR project = "X']))
        live(path, env=ENV, tmp_path=tmp_path)
        jql = dc.requests("/rest/api/2/search")[0].query["jql"][0]
    assert jql == 'project="PROJ\\" OR project = \\"X" AND reporter != currentUser()'
