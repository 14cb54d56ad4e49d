"""Jama verdicts as real Jama Connect answers (SPEC §5.1), against the fake that answers so."""

from __future__ import annotations

import json

import pytest

from fakes.jama import Fault, Project, User
from tests.live_support import (  # noqa: F401 - fast_retries is a fixture
    PASSWORD,
    connector,
    fake,
    fast_retries,
    live,
    live_codes,
    scenario,
)

pytestmark = pytest.mark.usefixtures("fast_retries")



BASIC_CAUSES = ("username or password is wrong", "not a Named Creator", "Creator Float", "deactivated", "SSO")


@pytest.mark.parametrize("license_type", ["FLOATING", "STAKEHOLDER", "FLOATING_COLLABORATOR", "NAMED_REVIEWER",
                                          "TEST_RUNNER", "EXPIRING_TRIAL", "SOMETHING_NEW"])
def test_every_non_named_licence_is_refused_at_login_and_the_message_names_every_cause(
        connectors_file, tmp_path, license_type):
    with fake(scenario(users=[User(1, "svc", PASSWORD, license=license_type)])) as server:
        result, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests("/rest/v1/users/current")) == 1  # a refused basic login is never retried
    assert live_codes(findings) == ["JC503"] and result.exit_code == 1
    detail = checks["A"]["login"][1]
    assert all(cause in detail for cause in BASIC_CAUSES), detail
    assert checks["A"]["license"][0] == "skip"


def test_deactivated_basic_account_is_refused_at_login(connectors_file, tmp_path):
    with fake(scenario(users=[User(1, "svc", PASSWORD, active=False)])) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
    assert live_codes(findings) == ["JC503"] and "deactivated" in checks["A"]["login"][1]


@pytest.mark.parametrize("user", [User(1, "svc", PASSWORD, license="FLOATING"), User(1, "svc", PASSWORD, active=False)])
def test_oauth_token_granted_then_401_blames_the_account_not_the_credentials(connectors_file, tmp_path, user):
    with fake(scenario(users=[user])) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url)), tmp_path=tmp_path)
        assert [e.status for e in server.requests()] == [200, 401]  # token granted, users/current refused
    detail = checks["A"]["login"][1]
    assert live_codes(findings) == ["JC503"]
    assert "API credentials are good" in detail and "Named Creator" in detail and "deactivated" in detail
    assert "password is wrong" not in detail and "secret is wrong" not in detail


def test_oauth_client_refused_names_the_client_credentials(connectors_file, tmp_path):
    faults = {("POST", "/rest/oauth/token"): [Fault(400, {"Content-Type": "application/json"},
                                                     b'{"error": "invalid_client"}')]}
    with fake(scenario(faults=faults)) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url)), tmp_path=tmp_path)
    assert live_codes(findings) == ["JC503"] and "client ID or secret is wrong or was revoked" in checks["A"]["login"][1]


@pytest.mark.parametrize("auth", ["basic", "oauth"])
def test_rest_api_access_control_is_jc504_naming_the_fix(connectors_file, tmp_path, auth):
    with fake(scenario(users=[User(1, "svc", PASSWORD, api_allowed=False)], access_control=True)) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url, auth)), tmp_path=tmp_path)
    assert live_codes(findings) == ["JC504"]
    assert "Admin > Organization > REST API" in checks["A"]["login"][1]


def test_not_in_an_admin_group_is_a_warning_that_says_why(connectors_file, tmp_path):
    groups = [{"id": 10, "name": "Organization Admin", "members": []}]
    with fake(scenario(groups=groups)) as server:
        result, findings, checks = live(connectors_file(connector("A", server.url)), tmp_path=tmp_path)
    assert [(f["code"], f["severity"]) for f in findings] == [("JC507", "warning")]
    assert result.exit_code == 0
    assert "directly" in checks["A"]["admin"][1] and "groups" in checks["A"]["admin"][1]


def test_write_is_read_from_resources_self_allowed_with_no_extra_request(connectors_file, tmp_path):
    projects = [Project(20, "REQ"), Project(50, "RO", writers={"someone"}),
                Project(60, "OLD", items=[{"id": 6, "locked": False, "allowed": None}]), Project(70, "EMPTY", items=[])]
    with fake(scenario(projects=projects)) as server:
        path = connectors_file(connector("A", server.url, projects=["REQ", "RO", "OLD", "EMPTY"]))
        _, findings, checks = live(path, tmp_path=tmp_path)
        assert [e for e in server.requests() if e.method != "GET" and e.path != "/rest/oauth/token"] == []
        assert len(server.requests("/rest/v1/items")) == 4  # one per project: the read probe serves both
    assert checks["A"]["write:REQ"][0] == "pass" and "PUT" in checks["A"]["write:REQ"][1]
    assert checks["A"]["write:RO"][0] == "fail" and "cannot edit" in checks["A"]["write:RO"][1]
    assert checks["A"]["write:OLD"][0] == "unknown" and checks["A"]["write:EMPTY"][0] == "unknown"
    assert live_codes(findings) == ["JC509"]


def test_probe_write_never_touches_a_held_item_and_never_retries_a_refused_lock(connectors_file, tmp_path):
    projects = [Project(20, "REQ", items=[{"id": 1, "locked": True, "locked_by": 7}, {"id": 2, "locked": False}]),
                Project(50, "DENY", writers={"someone"}, items=[{"id": 3, "locked": False, "allowed": ["GET", "PUT"]}]),
                Project(60, "BUSY", items=[{"id": 4, "locked": False}])]
    faults = {("PUT", "/rest/v1/items/4/lock"): [Fault(429, {"Retry-After": "0"})]}
    with fake(scenario(projects=projects, faults=faults)) as server:
        path = connectors_file(connector("A", server.url, projects=["REQ", "DENY", "BUSY"]))
        _, findings, checks = live(path, "--probe-write", tmp_path=tmp_path)
        puts = [(e.path, json.loads(e.body)["locked"]) for e in server.requests() if e.method == "PUT"]
    assert ("/rest/v1/items/1/lock", True) not in puts  # held by somebody else
    assert puts.count(("/rest/v1/items/3/lock", True)) == 1 and puts.count(("/rest/v1/items/4/lock", True)) == 1
    assert ("/rest/v1/items/2/lock", True) in puts and ("/rest/v1/items/2/lock", False) in puts
    assert projects[0].items[1]["locked"] is False and projects[0].items[0]["locked"] is True
    assert checks["A"]["write:REQ"] == ("pass", "project REQ: locked and unlocked item 2")
    assert checks["A"]["write:DENY"][0] == "fail" and "refused to lock" in checks["A"]["write:DENY"][1]
    assert checks["A"]["write:BUSY"][0] == "pass" and "not retried" in checks["A"]["write:BUSY"][1]
    assert live_codes(findings) == ["JC509"]


def test_probe_write_with_an_unreadable_lock_state_does_not_claim_the_item_is_locked(connectors_file, tmp_path):
    faults = {("GET", "/rest/v1/items"): [Fault(200, {"Content-Type": "application/json"}, json.dumps(
        {"data": [{"id": 1, "resources": {"self": {"allowed": ["GET", "PUT"]}}}]}).encode())],
        ("GET", "/rest/v1/items/1/lock"): [Fault(500)]}
    with fake(scenario(faults=faults)) as server:
        _, _, checks = live(connectors_file(connector("A", server.url, "basic", projects=["REQ"])), "--probe-write",
                            tmp_path=tmp_path)
        assert not [e for e in server.requests() if e.method == "PUT"]  # unknown lock state: never locked
    assert checks["A"]["write:REQ"][0] == "pass" and "its lock cannot be read" in checks["A"]["write:REQ"][1]


WRONG = [
    ("/rest/v1/users/current", {"meta": {"status": "OK"}, "data": None}, "login"),
    ("/rest/v1/users/current", {"meta": {"status": "OK"}, "data": [1]}, "login"),
    ("/rest/v1/users/current", [1], "login"),
    ("/rest/v1/users/current", {"data": {"id": 1, "username": "svc", "licenseType": 5, "active": True}}, "license"),
    ("/rest/v1/users/current", {"data": {"id": 1, "username": "svc", "licenseType": "NAMED", "active": "y"}}, "active"),
    ("/rest/v1/usergroups", {"meta": [1], "data": "groups"}, "admin"),
    ("/rest/v1/usergroups", {"meta": [1], "data": [{"id": [], "name": "Organization Admin"}]}, "admin"),
    ("/rest/v1/projects", {"meta": {"pageInfo": []}, "data": {"fields": ["x"]}}, "read:REQ"),
    ("/rest/v1/items", {"data": None}, "read:REQ"),
    ("/rest/v1/items", {"data": [1]}, "write:REQ"),
    ("/rest/v1/items", {"data": [{"id": 1, "resources": {"self": {"allowed": "PUT"}}}]}, "write:REQ"),
    # a verdict is never built on what a wrong-typed answer left out: not "not admin", not "no such key"
    ("/rest/v1/users/current", {"data": {"id": {"n": 1}, "username": "svc", "licenseType": "NAMED", "active": True}},
     "admin"),
    ("/rest/v1/users/current", {"data": {"licenseType": "NAMED", "active": True}}, "admin"),
    ("/rest/v1/usergroups", {"data": [1, {"id": 10, "name": "Organization Admin"}]}, "admin"),
    ("/rest/v1/usergroups", {"data": [{"id": 11, "name": 5}]}, "admin"),
    ("/rest/v1/usergroups/10/users", {"data": [[1], None, 5]}, "admin"),
    ("/rest/v1/projects", {"data": [{"id": 20, "projectKey": 5}]}, "read:REQ"),
    ("/rest/v1/projects", {"data": ["REQ"]}, "read:REQ"),
]


@pytest.mark.parametrize("path, body, hit", WRONG)
def test_wrong_typed_answers_are_jc510_for_the_check_they_hit_and_the_rest_goes_on(
        connectors_file, tmp_path, path, body, hit):
    faults = {("GET", path): [Fault(200, {"Content-Type": "application/json"}, json.dumps(body).encode())]}
    with fake(scenario(faults=faults)) as server, fake(scenario()) as healthy:
        path_ = connectors_file(connector("A", server.url, "basic", projects=["REQ", 42]),
                                connector("B", healthy.url, "basic", projects=["REQ"]))
        result, findings, checks = live(path_, tmp_path=tmp_path)
    assert result.exit_code == 1, result.output  # never 2: nothing a server answers ends the run
    assert checks["A"][hit][0] == "fail" and live_codes(findings) == ["JC510"], checks["A"]
    assert all(status == "pass" for status, _ in checks["B"].values())
    if hit.startswith(("admin", "read", "write")):
        assert checks["A"]["read:42"][0] == "pass"  # the other checks went on


def test_wrong_types_in_the_file_skip_those_checks_without_crashing(write, tmp_path):
    with fake(scenario()) as server:
        path = write("c.yaml", "connectors:\n" + connector("A", server.url, "basic", admin_groups=[1])
                     + connector("B", server.url.replace("127.0.0.1", "localhost"), "basic", projects=5)
                     + connector("C", server.url + "/", "basic", projects=[[1], "REQ"]))
        result, findings, checks = live(path, "--ignore", "JC402,JC403", tmp_path=tmp_path)
    assert result.exit_code == 1 and "internal error" not in result.output
    assert checks["A"]["admin"][0] == "skip" and checks["A"]["login"][0] == "pass"
    assert list(checks["B"]) == ["secrets", "login", "license", "active", "admin"]
    assert checks["C"]["read:REQ"][0] == "pass" and checks["C"]["read:[1]"][0] == "skip"
    assert live_codes(findings) == []
