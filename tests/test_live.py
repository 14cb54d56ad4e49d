"""Live checks against a real HTTP(S) server on 127.0.0.1 speaking the Jama REST API."""

from __future__ import annotations

import json
import time

import pytest

from fakes.jama import Fault, Project, User
from tests.conftest import invoke
from tests.live_support import (  # noqa: F401 - fast_retries is a fixture
    CLIENT_SECRET,
    NO_PROXIES,
    PASSWORD,
    ca_file,
    connector,
    fake,
    fast_retries,
    live,
    real_rate_limit,
    scenario,
)

pytestmark = pytest.mark.usefixtures("fast_retries")



def codes(findings):
    return sorted(f["code"] for f in findings if f["code"].startswith("JC5"))


def test_healthy_oauth_and_basic_pass_every_check(connectors_file, tmp_path):
    with fake(scenario()) as server:
        path = connectors_file(connector("OAuth", server.url, projects=["REQ", 42]),
                               connector("Basic", server.url.replace("127.0.0.1", "localhost"), "basic"))
        result, findings, checks = live(path, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert findings == []
    assert list(checks["OAuth"]) == ["secrets", "login", "license", "active", "admin", "read:REQ", "write:REQ",
                                     "read:42", "write:42"]
    assert all(status == "pass" for status, _ in checks["OAuth"].values())
    assert all(status == "pass" for status, _ in checks["Basic"].values())


@pytest.mark.parametrize("license_type", ["STAKEHOLDER", "FLOATING_COLLABORATOR", "RESERVED_COLLABORATOR",
                                          "FLOATING_REVIEWER", "RESERVED_REVIEWER", "NAMED_REVIEWER",
                                          "EXPIRING_TRIAL", "INACTIVE", "TEST_RUNNER", "SOMETHING_NEW"])
def test_non_creator_licences_are_jc505_when_a_server_answers_them(connectors_file, tmp_path, license_type):
    # Real Jama refuses them at login (401, see test_live_verdicts); a server that answers anyway:
    body = json.dumps({"meta": {"status": "OK"}, "data": {"id": 1, "username": "svc", "licenseType": license_type,
                                                         "active": True}}).encode()
    faults = {("GET", "/rest/v1/users/current"): [Fault(200, {"Content-Type": "application/json"}, body)]}
    with fake(scenario(faults=faults)) as server:
        result, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
    assert codes(findings) == ["JC505"]
    assert license_type in checks["A"]["license"][1]
    assert result.exit_code == 1


def test_creator_float_gets_401_and_login_failed_once(connectors_file, tmp_path):
    with fake(scenario(users=[User(1, "svc", PASSWORD, license="FLOATING")])) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests("/rest/v1/users/current")) == 1
    assert codes(findings) == ["JC503"]
    assert "Creator Float" in checks["A"]["login"][1]
    assert checks["A"]["license"][0] == "skip"


def test_refused_basic_login_is_never_retried(connectors_file, tmp_path):
    with fake(scenario(lockout_after=2)) as server:
        path = connectors_file(connector("A", server.url, "basic"))
        live(path, env={"JAMA_PASSWORD": "wrong"}, tmp_path=tmp_path)
        assert [entry[3] for entry in server.requests()] == [401]
        live(path, env={"JAMA_PASSWORD": "wrong"}, tmp_path=tmp_path)
        assert server.failed_logins["svc"] == 2  # one per run: the account is not hammered


def test_wrong_oauth_secret_is_jc503(connectors_file, tmp_path):
    with fake(scenario()) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url)),
                                   env={"JAMA_CLIENT_SECRET": "nope"}, tmp_path=tmp_path)
        assert len(server.requests("/rest/oauth/token")) == 1
    assert codes(findings) == ["JC503"] and "OAuth" in checks["A"]["login"][1]


def test_token_answer_without_access_token_is_jc503(connectors_file, tmp_path):
    faults = {("POST", "/rest/oauth/token"): [Fault(200, {"Content-Type": "application/json"},
                                                     b'{"token_type": "bearer"}')]}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url)), tmp_path=tmp_path)
    assert codes(findings) == ["JC503"]


def test_rest_access_control_is_jc504(connectors_file, tmp_path):
    users = [User(1, "svc", PASSWORD, api_allowed=False)]
    with fake(scenario(users=users, access_control=True)) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url)), tmp_path=tmp_path)
    assert codes(findings) == ["JC504"] and "not permitted to use the API" in checks["A"]["login"][1]


def test_inactive_user_is_jc506_when_a_server_answers_it(connectors_file, tmp_path):
    body = json.dumps({"meta": {"status": "OK"}, "data": {"id": 1, "username": "svc", "licenseType": "NAMED",
                                                         "active": False}}).encode()
    faults = {("GET", "/rest/v1/users/current"): [Fault(200, {"Content-Type": "application/json"}, body)]}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
    assert codes(findings) == ["JC506"]


def test_admin_membership(connectors_file, tmp_path):
    groups = [{"id": 10, "name": "Organization Admin", "members": []},
              {"id": 11, "name": "Interchange Admins", "members": [1]}]
    many = [{"id": 100 + n, "name": f"Group {n}", "members": []} for n in range(120)]  # three pages
    with fake(scenario(groups=many + groups)) as server:
        path = connectors_file(connector("Default", server.url),
                               connector("Named", server.url.replace("127.0.0.1", "localhost"),
                                         admin_groups=["interchange admins"]),
                               connector("Missing", server.url + "/", admin_groups=["Nope"]))
        _, findings, checks = live(path, "--ignore", "JC402,JC403", tmp_path=tmp_path)
    assert checks["Default"]["admin"][0] == "fail" and checks["Named"]["admin"][0] == "pass"
    assert "no group named 'Nope'" in checks["Missing"]["admin"][1]
    assert codes(findings) == ["JC507", "JC507"]


def test_unreadable_groups_are_unknown_not_a_guess(connectors_file, tmp_path):
    with fake(scenario(groups_readable=False)) as server:
        result, findings, checks = live(connectors_file(connector("A", server.url, projects=["REQ"])),
                                        tmp_path=tmp_path)
    assert checks["A"]["admin"][0] == "unknown"
    assert checks["A"]["read:REQ"][0] == "pass"  # unknown admin does not stop the project checks
    assert codes(findings) == ["JC508"] and result.exit_code == 0  # a warning


def test_project_access_and_write_probe(connectors_file, tmp_path):
    projects = [Project(20, "REQ", items=[{"id": 1, "locked": False}]),
                Project(42, "SYS", readers={"someone"}, items=[{"id": 2, "locked": False}]),
                Project(50, "RO", writers={"someone"}, items=[{"id": 3, "locked": False}]),
                Project(60, "LOCKED", items=[{"id": 7, "locked": True}])]
    with fake(scenario(projects=projects)) as server:
        path = connectors_file(connector("A", server.url, projects=["REQ", 42, "RO", "MISSING", "LOCKED"]))
        _, findings, checks = live(path, "--probe-write", tmp_path=tmp_path)
        assert projects[0].items[0]["locked"] is False  # locked, then unlocked again
        assert projects[3].items[0]["locked"] is True  # someone else's lock is never touched
    assert checks["A"]["read:REQ"][0] == "pass" and checks["A"]["write:REQ"][0] == "pass", checks["A"]["write:REQ"]
    assert checks["A"]["read:42"][0] == "fail" and checks["A"]["write:42"][0] == "skip"
    assert checks["A"]["read:RO"][0] == "pass" and checks["A"]["write:RO"][0] == "fail"
    assert "MISSING" in checks["A"]["read:MISSING"][1]
    assert checks["A"]["write:LOCKED"][0] == "pass" and "none was probed" in checks["A"]["write:LOCKED"][1]
    assert codes(findings) == ["JC509", "JC509", "JC509"]


def test_429_with_retry_after_is_retried(connectors_file, tmp_path, monkeypatch):
    # The waits asked for, not slept (test_live_conduct measures real waits at the server).
    waits: list[float] = []
    monkeypatch.setattr("jamacheck.live.http.Http.sleep", lambda self, seconds: waits.append(seconds))
    faults = {("GET", "/rest/v1/users/current"): [Fault(429, {"Retry-After": "1"}), Fault(503, {"Retry-After": "0"})]}
    with fake(scenario(faults=faults)) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert [e[3] for e in server.requests("/rest/v1/users/current")] == [429, 503, 200]
    assert findings == [] and checks["A"]["login"][0] == "pass"
    assert waits == [1.0, 0.0]  # Retry-After honoured, in place of the 3 s / 5 s waits


def test_429_three_times_and_long_retry_after_are_jc510(connectors_file, tmp_path):
    faults = {("GET", "/rest/v1/users/current"): [Fault(429, {"Retry-After": "0"})] * 3}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests("/rest/v1/users/current")) == 3
    assert codes(findings) == ["JC510"] and "3 tries" in findings[0]["message"]
    faults = {("GET", "/rest/v1/users/current"): [Fault(429, {"Retry-After": "30"})]}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests("/rest/v1/users/current")) == 1
    assert codes(findings) == ["JC510"] and "30" in findings[0]["message"]


@pytest.mark.parametrize("fault, words", [
    (Fault(500, {"Content-Type": "application/json"}, b'{"meta": {"message": "boom"}}'), "500"),
    (Fault(200, kind="nonjson"), "not JSON"),
    (Fault(kind="truncated"), "cut short"),
    (Fault(302, {"Location": "https://sso.example/login?token=leak"}, kind="redirect"), "https://sso.example/login"),
])
def test_faults_are_jc510(connectors_file, tmp_path, fault, words):
    with fake(scenario(faults={("GET", "/rest/v1/users/current"): [fault]})) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests()) == 1  # no redirect followed, no retry of a 5xx other than 503
    assert codes(findings) == ["JC510"] and words in findings[0]["message"]
    assert "leak" not in findings[0]["message"]


def test_hang_is_a_timeout(connectors_file, tmp_path):
    faults = {("GET", "/rest/v1/users/current"): [Fault(kind="hang", seconds=3)]}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), "--timeout", "0.25",
                              tmp_path=tmp_path)
    assert codes(findings) == ["JC502"] and "timeout" in findings[0]["message"]


def test_tls_needs_a_trusted_ca(connectors_file, tmp_path):
    with fake(scenario()) as server:
        path = connectors_file(connector("A", server.url))
        _, findings, _ = live(path)  # no --ca-bundle: the throw-away CA is not trusted
        assert codes(findings) == ["JC502"] and "certificate" in findings[0]["message"]
        path = connectors_file(connector("A", server.url, verify_ssl=False))
        result, findings, _ = live(path)
    assert codes(findings) == [] and [f["code"] for f in findings] == ["JC303"]
    assert result.exit_code == 0


def test_ssl_cert_file_replaces_the_default_store(connectors_file, tmp_path):
    with fake(scenario()) as server:
        path = connectors_file(connector("A", server.url))
        _, findings, _ = live(path, env={"SSL_CERT_FILE": ca_file(tmp_path)})
    assert codes(findings) == []


def test_wrong_context_path_is_explained(connectors_file, tmp_path):
    with fake(scenario(context_path="/jama")) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url.rsplit("/jama", 1)[0], "basic")),
                              tmp_path=tmp_path)
    assert codes(findings) == ["JC510"] and "context path" in findings[0]["message"]


def test_context_path_and_trailing_slash_never_make_double_slashes(connectors_file, tmp_path):
    with fake(scenario(context_path="/jama")) as server:
        _, findings, checks = live(connectors_file(connector("A", server.url + "/", projects=["REQ"])),
                                   "--ignore", "JC403", tmp_path=tmp_path)
        assert all("//" not in entry[2] and entry[3] < 400 for entry in server.requests())
    assert codes(findings) == [] and checks["A"]["read:REQ"][0] == "pass"


def test_unset_secret_is_jc501_and_sends_nothing(connectors_file, tmp_path, write):
    with fake(scenario()) as server:
        path = connectors_file(connector("A", server.url, "{type: basic, username: svc, password: '${UNSET_VAR}'}"))
        _, findings, checks = live(path, tmp_path=tmp_path)
        assert server.requests() == []
        write(".env", "# comment\nexport UNSET_VAR='" + PASSWORD + "'\n")
        _, findings_with_env, _ = live(path, "--env-file", ".env", tmp_path=tmp_path)
    assert codes(findings) == ["JC501"] and "UNSET_VAR" in checks["A"]["secrets"][1]
    assert checks["A"]["login"][0] == "skip"
    assert codes(findings_with_env) == []


def test_http_needs_allow_insecure_http(connectors_file):
    with fake(scenario(), tls=False) as server:
        path = connectors_file(connector("A", server.url, "basic"))
        _, findings, _ = live(path)
        assert server.requests() == []
        _, findings_allowed, _ = live(path, "--allow-insecure-http")
        assert len(server.requests()) > 0
    assert codes(findings) == [] and [f["code"] for f in findings] == ["JC304"]  # offline: not contacted
    assert codes(findings_allowed) == []


def test_connection_refused(connectors_file):
    with fake(scenario()) as server:
        url = server.url
    _, findings, _ = live(connectors_file(connector("A", url)))
    assert codes(findings) == ["JC502"] and "refused" in findings[0]["message"]


def test_one_failure_never_stops_the_others_and_findings_point_at_connectors(connectors_file, tmp_path):
    with fake(scenario()) as good, fake(scenario(users=[User(1, "svc", "other")])) as bad:
        path = connectors_file(connector("Good", good.url, "basic"), connector("Bad", bad.url, "basic"))
        _, findings, checks = live(path, tmp_path=tmp_path)
    assert all(status == "pass" for status, _ in checks["Good"].values())
    assert [(f["code"], f["line"], f["column"], f["connector"]) for f in findings] == [("JC503", 6, 3, "Bad")]


def test_server_echoing_credentials_leaks_nothing(connectors_file, tmp_path):
    faults = {("GET", "/rest/v1/usergroups"): [Fault(500, {"Content-Type": "application/json"},
                                                      json.dumps({"meta": {"message": f"x {PASSWORD} y"}}).encode())]}
    ca_file(tmp_path)
    with fake(scenario(echo_credentials=True, faults=faults, projects=[])) as server:
        path = connectors_file(connector("Basic", server.url, "basic", projects=["NOPE"]),
                               connector("OAuth", server.url.replace("127.0.0.1", "localhost"), projects=[999]))
        outputs = [invoke("check", "--live", "--ca-bundle", str(tmp_path / "ca.pem"), "--format", fmt,
                          "--show-source", str(path), env={**NO_PROXIES, "JAMA_PASSWORD": PASSWORD,
                                                           "JAMA_CLIENT_SECRET": CLIENT_SECRET}).output
                   for fmt in ("text", "json", "sarif", "github", "gitlab")]
    joined = "\n".join(outputs)
    assert "JC508" in joined or "JC510" in joined
    assert PASSWORD not in joined and CLIENT_SECRET not in joined
    assert "cHctQ0FOQVJZ" not in joined  # base64 of the password's start


def test_echoed_oauth_header_is_masked(connectors_file, tmp_path):
    ca = ca_file(tmp_path)
    with fake(scenario(echo_credentials=True, clients={"interchange": ("server-side", "svc")})) as server:
        path = connectors_file(connector("OAuth", server.url))
        result = invoke("check", "--live", "--ca-bundle", ca, "--format", "json", str(path),
                        env={**NO_PROXIES, "JAMA_CLIENT_SECRET": CLIENT_SECRET})
    import base64

    assert "JC503" in result.stdout and "bad credentials ****" in result.stdout  # it was echoed
    assert CLIENT_SECRET not in result.stdout
    assert base64.b64encode(f"interchange:{CLIENT_SECRET}".encode()).decode() not in result.stdout


def test_retry_after_http_date():
    import datetime
    from email.utils import format_datetime

    from jamacheck.live.http import retry_after_seconds

    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    assert 3 < retry_after_seconds(format_datetime(soon, usegmt=True)) <= 5
    assert retry_after_seconds("soon") == float("inf")
    assert retry_after_seconds("2") == 2


def test_rate_limit_is_shared_per_instance(connectors_file, tmp_path, monkeypatch):
    real_rate_limit(monkeypatch)
    with fake(scenario()) as server:
        blocks = [connector(f"C{n}", server.url, "basic", projects=["REQ"]) for n in range(3)]
        path = connectors_file(*blocks)
        _, findings, _ = live(path, "--concurrency", "8", "--ignore", "JC402", tmp_path=tmp_path)
        assert codes(findings) == []
        assert len(server.requests()) == 3 * 5  # users/current, usergroups, members, projects, items
        assert server.max_in_window(1.0) <= 10


def test_concurrent_instances_take_about_one_chain(connectors_file, tmp_path):
    servers = [fake(scenario(latency=0.2)) for _ in range(8)]
    started = [server.__enter__() for server in servers]
    try:
        path = connectors_file(*(connector(f"C{n}", s.url.replace("127.0.0.1", "localhost") if n % 2 else s.url, "basic")
                                 for n, s in enumerate(started)))
        begin = time.monotonic()
        _, findings, _ = live(path, "--concurrency", "8", tmp_path=tmp_path)
        elapsed = time.monotonic() - begin
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    assert codes(findings) == []
    chain = 3 * 0.2  # users/current, usergroups, usergroups/10/users
    assert elapsed < chain * 3, elapsed  # one chain's latency (plus overhead), not eight


def test_text_table_and_live_only_codes(connectors_file, tmp_path):
    with fake(scenario(users=[User(1, "svc", PASSWORD, license="STAKEHOLDER")])) as server:
        path = connectors_file(connector("Table", server.url, "basic"))
        result = invoke("check", "--live", "--ca-bundle", ca_file(tmp_path), str(path),
                        env={**NO_PROXIES, "JAMA_PASSWORD": PASSWORD})
    assert "Live checks" in result.stdout and "✗" in result.stdout
    assert "connectors.yaml:2) login: Jama refused the login (401)" in result.stdout
    offline = invoke("check", "--format", "json", str(path))
    assert "live" not in json.loads(offline.stdout)


def test_broken_connectors_are_skipped_not_crashed(write):
    write("c.yaml", "connectors:\n"
          "  - {name: {}, application: [], url: 3, auth: []}\n"
          "  - {name: xx, application: jama-connect, url: 'https://127.0.0.1:9', auth: {type: [basic]}}\n"
          "  - {name: yy, application: jira, url: 'https://127.0.0.1:9', auth: {type: token}, projects: [[1]]}\n"
          "  - just a string\n")
    result = invoke("check", "--live", "--format", "json", "c.yaml")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [item["connector"] for item in document["live"]] == ["connectors[0]", "xx", "yy"]
    for item in document["live"]:
        assert {check["status"] for check in item["checks"]} == {"skip"}


@pytest.mark.parametrize("flag", ["-q", None])
def test_text_output_starts_with_the_table_when_no_finding_comes_before_it(connectors_file, tmp_path, flag):
    with fake(scenario(users=[User(1, "svc", PASSWORD, license="STAKEHOLDER")])) as server:
        path = connectors_file(connector("Table", server.url, "basic"))
        args = [flag] if flag else ["--select", "JC1"]  # -q, or every finding deselected
        result = invoke("check", *args, "--live", "--ca-bundle", ca_file(tmp_path), str(path),
                        env={**NO_PROXIES, "JAMA_PASSWORD": PASSWORD})
    assert result.stdout.startswith("Live checks\n"), result.stdout
