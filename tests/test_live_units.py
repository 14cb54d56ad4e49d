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
