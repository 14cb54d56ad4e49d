"""Pieces of the live machinery that need no server: the rate limiter, error wording, env files."""

from __future__ import annotations

import socket
import ssl
import threading

import httpx
import pytest

from jamacheck.live.http import describe_connect_error
from jamacheck.live.options import OptionsError, read_env_file
from jamacheck.live.ratelimit import SlidingWindowLimiter
from tests.conftest import ROOT


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_limiter_holds_slots_until_a_window_after_the_answer():
    clock = FakeClock()
    limiter = SlidingWindowLimiter(2, 1.0, clock=clock)
    first, second = limiter.acquire(), limiter.acquire()
    blocked = threading.Event()

    def third():
        limiter.acquire()
        blocked.set()

    worker = threading.Thread(target=third, daemon=True)
    worker.start()
    assert not blocked.wait(0.05)  # two slots in use
    clock.now = 5.0
    limiter.release(first)  # answered at t=5: its slot is held until t=6
    assert not blocked.wait(0.05)
    clock.now = 6.0
    limiter.release(second)
    assert blocked.wait(2)


def test_connect_errors_are_named():
    def wrapped(cause):
        error = httpx.ConnectError("failed")
        error.__cause__ = cause
        return error

    dns = describe_connect_error(wrapped(socket.gaierror(-2, "Name or service not known")), "https://x.invalid")
    assert dns.startswith("DNS:")
    refused = describe_connect_error(wrapped(ConnectionRefusedError(111, "refused")), "https://h:1")
    assert refused.startswith("connection refused")
    verify = ssl.SSLCertVerificationError(1, "certificate verify failed")
    verify.verify_message = "certificate has expired"
    tls = describe_connect_error(wrapped(verify), "https://h")
    assert tls.startswith("TLS:") and "certificate has expired" in tls and "--ca-bundle" in tls


def test_env_file_syntax(tmp_path):
    path = tmp_path / ".env"
    path.write_text('# c\nA=1\nexport B = "two words"\nC=\'x#y\'\nD=plain # comment\n\n')
    assert read_env_file(str(path)) == {"A": "1", "B": "two words", "C": "x#y", "D": "plain"}
    path.write_text("not an assignment\n")
    with pytest.raises(OptionsError, match=":1: expected NAME=value"):
        read_env_file(str(path))


def test_live_codes_are_each_exercised_against_the_server():
    text = (ROOT / "tests" / "test_live.py").read_text()
    for code in [f"JC5{n:02d}" for n in range(1, 11)]:
        assert f'"{code}"' in text, code


def test_bad_ca_bundle_is_a_usage_error(tmp_path):
    from tests.conftest import invoke

    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate\n")
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    result = invoke("check", "--live", "--ca-bundle", str(bogus), str(tmp_path / "c.yaml"))
    assert result.exit_code == 2 and "no PEM certificate" in result.stderr
    result = invoke("check", "--live", "--env-file", str(tmp_path / "missing.env"), str(tmp_path / "c.yaml"))
    assert result.exit_code == 2 and "--env-file" in result.stderr


# --- interpretation, through httpx.MockTransport (no sockets) ---------------------------------

import gzip  # noqa: E402
import json  # noqa: E402

from jamacheck.discovery import Candidate  # noqa: E402
from jamacheck.engine import check_file  # noqa: E402
from jamacheck.live import run_live  # noqa: E402
from jamacheck.live.options import LiveOptions  # noqa: E402
from jamacheck.live.proxies import bypassed, proxy_environment, proxy_for  # noqa: E402
from jamacheck.live.session import base_url  # noqa: E402

BASIC = """connectors:
  - name: A
    application: jama-connect
    url: https://jama.example
    auth: {type: basic, username: svc, password: '${PW}'}
"""
USER = {"data": {"id": 1, "username": "svc", "licenseType": "NAMED", "active": True}}


def run_mock(handler, text: str = BASIC, sleep=None, **options):
    result = check_file(Candidate("c.yaml", text.encode()))
    settings = {"environment": {"PW": "secret-pw-1"}, "max_requests": 10 ** 6, "window_seconds": 0.001, **options}
    results, findings = run_live([result.context], LiveOptions(**settings), result.findings,
                                 transport=httpx.MockTransport(handler), sleep=sleep)
    return {c.check: (c.status, c.detail, c.rule.code if c.rule else None) for c in results[0].checks}, findings


def test_retries_wait_3_then_5_seconds_without_retry_after():
    waits: list[float] = []
    answers = iter([httpx.Response(429), httpx.Response(503), httpx.Response(200, json=USER)])

    def handler(request):
        if request.url.path == "/rest/v1/users/current":
            return next(answers)
        return httpx.Response(200, json={"data": []})

    checks, _ = run_mock(handler, sleep=waits.append)
    assert waits == [3.0, 5.0] and checks["login"][0] == "pass"


def test_long_retry_after_ends_the_retries_naming_the_wait():
    checks, _ = run_mock(lambda request: httpx.Response(429, headers={"Retry-After": "120"}), sleep=lambda s: None)
    assert checks["login"][2] == "JC510" and "120" in checks["login"][1]


@pytest.mark.parametrize("header", ["soon", "Wed, 21 Oct 2015 07:28:00", "nan"])
def test_an_unreadable_retry_after_is_named_as_such_not_as_a_wait(header):
    checks, _ = run_mock(lambda request: httpx.Response(429, headers={"Retry-After": header}), sleep=lambda s: None)
    detail = checks["login"][1]
    assert checks["login"][2] == "JC510" and "unreadable Retry-After" in detail and f"wait {header} s" not in detail


def test_the_request_cap_is_500_per_connector_and_makes_admin_unknown():
    seen: list[str] = []

    def handler(request):
        seen.append(request.url.path)
        if request.url.path == "/rest/v1/users/current":
            return httpx.Response(200, json=USER)
        if request.url.path == "/rest/v1/usergroups":
            start = int(request.url.params["startAt"])
            page = [{"id": start + n, "name": "Organization Admin"} for n in range(50)]
            return httpx.Response(200, json={"meta": {"pageInfo": {"totalResults": 10_000}}, "data": page})
        return httpx.Response(200, json={"data": []})

    checks, _ = run_mock(handler)
    assert len(seen) == 500
    assert checks["admin"][:1] == ("unknown",) and checks["admin"][2] == "JC508"


class Streamed(httpx.SyncByteStream):
    """A body that arrives as a stream, as from a socket (httpx decodes in-memory bodies itself)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self):
        for start in range(0, len(self.data), 65536):
            yield self.data[start:start + 65536]


def test_gzip_of_gzip_is_bounded_after_decompression():
    body = gzip.compress(gzip.compress(b" " * (6 * 1024 * 1024)))

    def handler(request):
        return httpx.Response(200, stream=Streamed(body), headers={"Content-Encoding": "gzip, gzip"})

    checks, _ = run_mock(handler)
    assert checks["login"][2] == "JC510" and "larger than 5 MiB" in checks["login"][1]
    small = gzip.compress(json.dumps(USER).encode())
    checks, _ = run_mock(lambda r: httpx.Response(200, stream=Streamed(small), headers={"Content-Encoding": "gzip"})
                         if r.url.path.endswith("current") else httpx.Response(200, json={"data": []}))
    assert checks["login"][0] == "pass"


def test_an_echoed_secret_of_another_connector_is_masked():
    text = BASIC + """  - name: B
    application: jama-connect
    url: https://other.example
    auth: {type: oauth, client_id: cid, client_secret: '${CS}'}
"""

    def handler(request):
        if request.url.host == "jama.example":  # echoes what it was sent, and B's secret
            return httpx.Response(401, json={"meta": {"message": "x"}})
        if request.url.path == "/rest/oauth/token":
            return httpx.Response(200, json={"access_token": "tok-CANARY-77", "token_type": "Bearer"})
        return httpx.Response(500, json={"meta": {"message": "boom secret-pw-1 tok-CANARY-77 cs-CANARY-5"}})

    result = check_file(Candidate("c.yaml", text.encode()))
    options = LiveOptions(environment={"PW": "secret-pw-1", "CS": "cs-CANARY-5"}, max_requests=100,
                          window_seconds=0.001)
    results, _ = run_live([result.context], options, result.findings, transport=httpx.MockTransport(handler))
    details = " ".join(c.detail for r in results for c in r.checks)
    assert "boom" in details and "secret-pw-1" not in details and "CANARY" not in details


def test_an_api_suffix_is_removed_and_credentials_go_as_declared():
    sent: list[str] = []

    def handler(request):
        sent.append(request.headers.get("Authorization", ""))
        return httpx.Response(401)

    text = BASIC.replace("url: https://jama.example", "url: '${URL}'")
    checks, _ = run_mock(handler, text, environment={"PW": "secret-pw-1", "URL": "https://jama.example/rest/v1/"})
    assert len(sent) == 1 and sent[0].startswith("Basic ") and checks["login"][2] == "JC503"
    checks, _ = run_mock(handler, text, environment={"PW": "secret-pw-1", "URL": "https://u:secret-pw-1@jama.example"})
    assert len(sent) == 1 and checks["login"][2] == "JC302" and "secret-pw-1" not in checks["login"][1]


def test_a_socks_proxy_is_jc502_not_a_crash(tmp_path):
    from jamacheck.live.http import Http, LiveError

    http = Http(LiveOptions(proxy_environment={"all_proxy": "socks5://u:proxy-pw-9@p:1080"}))
    with pytest.raises(LiveError) as caught:
        http.client("https://jama.example", True)
    assert caught.value.rule.code == "JC502" and "proxy-pw-9" not in caught.value.detail


def test_base_url_drops_user_info_and_api_or_page_suffixes():
    assert base_url("https://u:p@jama.example:8443/jama/rest/v1/?q=1#f") == "https://jama.example:8443/jama"
    assert base_url("https://jama.example/jama/login.req") == "https://jama.example/jama"
    assert base_url("https://acme.atlassian.net/jira/software/projects/X") == "https://acme.atlassian.net"
    assert base_url("https://api.atlassian.com/ex/jira/abc-123") == "https://api.atlassian.com/ex/jira/abc-123"
    assert base_url("https://jira.acme.example/jira/secure/Dashboard.jspa") == "https://jira.acme.example/jira"


def test_proxy_variables_as_curl_reads_them():
    env = proxy_environment({"HTTPS_PROXY": "proxy:3128", "https_proxy": "http://lower:1", "NO_PROXY": "x"})
    assert env == {"https_proxy": "http://lower:1", "no_proxy": "x"}
    assert proxy_for("https://jama.example", {"https_proxy": "proxy:3128"}) == "http://proxy:3128"
    assert proxy_for("http://jama.example", {"https_proxy": "p:1"}) is None
    assert proxy_for("http://jama.example", {"all_proxy": "http://p:1"}) == "http://p:1"
    assert bypassed("a.example.com", 443, "example.com") and bypassed("a.example.com", 443, ".example.com")
    assert not bypassed("badexample.com", 443, "example.com")
    assert bypassed("10.1.2.3", 443, "10.0.0.0/8") and bypassed("h", 8443, "h:8443") and not bypassed("h", 443, "h:8443")
    assert bypassed("anything", 443, "*")
