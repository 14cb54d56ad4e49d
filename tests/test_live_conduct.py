"""How jamacheck behaves towards servers, proxies and credentials (SPEC §5 rules of conduct, bounds)."""

from __future__ import annotations

import base64
import builtins
import hashlib
import time

import pytest

from fakes.jama import Fault, User
from fakes.proxy import RecordingProxy
from tests.live_support import (  # noqa: F401 - fast_retries is a fixture
    PASSWORD,
    ca_file,
    connector,
    fake,
    fast_retries,
    finish,
    live,
    live_codes,
    run_process,
    scenario,
)

pytestmark = pytest.mark.usefixtures("fast_retries")



def test_header_trickle_ends_within_the_deadline(connectors_file, tmp_path):
    # a byte every 0.05 s: no read waits long, only a deadline on the whole request ends it
    faults = {("GET", "/rest/v1/users/current"): [Fault(kind="trickle", seconds=0.05)]}
    with fake(scenario(faults=faults)) as server:
        started = time.monotonic()
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")), "--timeout", "0.4",
                                   tmp_path=tmp_path)
        elapsed = time.monotonic() - started
    assert live_codes(findings) == ["JC502"] and "timeout" in checks["A"]["login"][1]
    assert elapsed < 3 * 0.4, elapsed


def test_body_bombs_stay_bounded_in_time_and_memory(connectors_file, tmp_path):
    """A 1 GiB gzip bomb, a gzip-of-gzip bomb and an endless body, in one process."""
    mib = 1024 * 1024
    bombs = {"A": [Fault(kind="gzip_bomb", size=1024 * mib)], "B": [Fault(kind="gzip_bomb", size=1024 * mib, layers=2)],
             "C": [Fault(kind="endless")]}
    servers = {name: fake(scenario(faults={("GET", "/rest/v1/users/current"): faults}), tls=False)
               for name, faults in bombs.items()}
    started = {name: server.__enter__() for name, server in servers.items()}
    try:
        path = connectors_file(*(connector(name, s.url, "basic") for name, s in started.items()))
        process = run_process(["check", "--live", "--allow-insecure-http", "--timeout", "5", "--format", "json",
                               str(path)], env={"JAMA_PASSWORD": PASSWORD})
        begin = time.monotonic()
        code, out, err, peak_kib = finish(process)
        elapsed = time.monotonic() - begin
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)
    assert code == 1, err
    assert out.count("larger than 5 MiB") == 6, out  # three findings, three live details
    assert peak_kib < 200 * 1024, peak_kib
    assert elapsed < 10, elapsed


def test_request_cap_makes_admin_unknown(connectors_file, tmp_path, monkeypatch):
    monkeypatch.setattr("jamacheck.live.http.MAX_REQUESTS", 8)
    groups = [{"id": n, "name": "Organization Admin", "members": []} for n in range(10_000)]
    with fake(scenario(groups=groups)) as server:
        result, findings, checks = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        assert len(server.requests()) == 8
    assert checks["A"]["admin"][0] == "unknown" and "8 requests" in checks["A"]["admin"][1]
    assert live_codes(findings) == ["JC508"] and result.exit_code == 0


def test_429_waits_3_then_5_seconds_scaled_measured_at_the_server(connectors_file, tmp_path):
    faults = {("GET", "/rest/v1/users/current"): [Fault(429), Fault(503)]}
    with fake(scenario(faults=faults)) as server:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), tmp_path=tmp_path)
        arrivals = [e.time for e in server.requests("/rest/v1/users/current")]
    assert findings == [] and len(arrivals) == 3
    first, second = arrivals[1] - arrivals[0], arrivals[2] - arrivals[1]
    assert 0.06 <= first < 2 and 0.1 <= second < 2, (first, second)  # RETRY_WAITS (3, 5) scaled by 1/50


def test_no_cookie_of_one_connector_goes_with_another(connectors_file, tmp_path):
    users = [User(1, "svc", PASSWORD), User(2, "svc2", PASSWORD)]
    with fake(scenario(users=users, groups=[{"id": 10, "name": "Organization Admin", "members": [1, 2]}])) as server:
        other = "{type: basic, username: svc2, password: '${JAMA_PASSWORD}'}"
        path = connectors_file(connector("A", server.url, "basic", projects=["REQ"]),
                               connector("B", server.url, other, projects=["REQ"]),
                               connector("C", server.url, projects=["REQ"]))
        _, findings, _ = live(path, "--ignore", "JC402", tmp_path=tmp_path)
        seen = server.requests("/rest/v1/")
    assert live_codes(findings) == []
    with_cookie = [e for e in seen if "Cookie" in e.headers]
    assert with_cookie  # each connector keeps its own session ...
    for entry in with_cookie:  # ... and never sends another's
        owner = hashlib.sha256(entry.headers["Authorization"].encode()).hexdigest()[:16]
        assert entry.headers["Cookie"].startswith(f"JSESSIONID={owner}."), entry


def test_connectors_with_offline_credential_errors_are_not_contacted(connectors_file, tmp_path):
    with fake(scenario()) as server:
        host = server.url.split("://", 1)[1]
        path = connectors_file(
            connector("Shell", server.url, "{type: basic, username: $USER, password: '${PW:-changeme}'}"),
            connector("Literal", server.url, "{type: basic, username: svc, password: hunter2-literal}"),
            connector("Userinfo", f"https://svc:{PASSWORD}@{host}", "basic"),
            connector("Resolved", "${JAMA_URL}", "basic"),
            connector("Good", server.url + "/rest/v1", "basic"))
        result, findings, checks = live(path, "--ignore", "JC402", env={"JAMA_URL": f"https://svc:x@{host}"},
                                        tmp_path=tmp_path)
        seen = server.requests()
    assert {e.headers["Authorization"] for e in seen} == {"Basic " + base64.b64encode(
        f"svc:{PASSWORD}".encode()).decode()}  # only the good connector's credentials
    assert all("/rest/v1/rest/v1" not in e.path for e in seen) and len(seen) >= 3
    for name, code in (("Shell", "JC305"), ("Literal", "JC301"), ("Userinfo", "JC302")):
        status, detail = checks[name]["login"]
        assert status == "skip" and code in detail, (name, detail)
    assert checks["Resolved"]["login"][0] == "fail" and "JC302" in [f["code"] for f in findings]
    assert all(status == "pass" for status, _ in checks["Good"].values())
    assert "hunter2-literal" not in result.output and PASSWORD not in result.output


def test_https_proxy_is_a_connect_tunnel_and_no_proxy_is_honoured(connectors_file, tmp_path):
    with fake(scenario()) as server, RecordingProxy() as proxy:
        path = connectors_file(connector("A", server.url, "basic"))
        _, findings, checks = live(path, env={"HTTPS_PROXY": proxy.url}, tmp_path=tmp_path)
        host = server.url.split("://", 1)[1]
        assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", host)]  # TLS end to end
        assert "Authorization" not in proxy.seen[0].headers
        assert all(status == "pass" for status, _ in checks["A"].values()) and findings == []
        before = len(server.requests())
        _, findings, _ = live(path, env={"https_proxy": proxy.url, "NO_PROXY": "localhost,127.0.0.0/8"},
                              tmp_path=tmp_path)
        assert len(proxy.seen) == 1 and len(server.requests()) > before and findings == []


def test_a_refusing_proxy_is_named_in_jc502(connectors_file, tmp_path):
    with fake(scenario()) as server, RecordingProxy(refuse=True) as proxy:
        proxy_url = proxy.url.replace("http://", "http://puser:proxy-CANARY@")
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")),
                                   env={"ALL_PROXY": proxy_url}, tmp_path=tmp_path)
        assert server.requests() == []
    detail = checks["A"]["login"][1]
    assert live_codes(findings) == ["JC502"] and proxy.url.split("://")[1] in detail and "proxy" in detail
    assert "proxy-CANARY" not in detail


def test_http_proxy_forwards_plain_http(connectors_file, tmp_path):
    with fake(scenario(), tls=False) as server, RecordingProxy() as proxy:
        _, findings, _ = live(connectors_file(connector("A", server.url, "basic")), "--allow-insecure-http",
                              env={"http_proxy": proxy.url}, tmp_path=tmp_path)
    assert [f["code"] for f in findings] == ["JC304"]  # the offline finding only: every live check passed
    assert proxy.seen and proxy.seen[0].target.startswith("http://127.0.0.1:")


def test_netrc_is_never_read(connectors_file, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text("machine 127.0.0.1 login evil password NETRC-CANARY\ndefault login evil "
                                 "password NETRC-CANARY\n")
    opened: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    with fake(scenario()) as server:
        path = connectors_file(connector("A", server.url), connector("B", server.url.replace("127.0.0.1", "localhost"),
                                                                       "basic"))
        _, findings, _ = live(path, env={"HOME": str(home), "NETRC": str(home / ".netrc")}, tmp_path=tmp_path)
        sent = [e.headers.get("Authorization", "") for e in server.requests()]
    assert findings == [] and not [name for name in opened if name.endswith(("/.netrc", "/_netrc"))]
    assert all("NETRC-CANARY" not in _decoded(value) and "evil" not in _decoded(value) for value in sent)


def _decoded(value: str) -> str:
    return base64.b64decode(value[6:]).decode() if value.startswith("Basic ") else value


def test_an_unreachable_proxy_is_named_not_the_instance(connectors_file, tmp_path):
    from fakes.server import free_port

    with fake(scenario()) as server:
        proxy = f"http://127.0.0.1:{free_port()}"
        _, findings, checks = live(connectors_file(connector("A", server.url, "basic")), env={"HTTPS_PROXY": proxy},
                                   tmp_path=tmp_path)
    assert live_codes(findings) == ["JC502"]
    assert checks["A"]["login"][1].startswith(f"cannot reach the proxy {proxy}: connection refused"), checks["A"]
