"""Helpers for live tests: fake Jama and Jira servers on 127.0.0.1 with real TLS, connector
files for them, and runs of the CLI (in-process, or as a process for time and memory bounds)."""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import trustme

from fakes.jama import FakeJama, Project, Scenario, User
from fakes.jira import FakeJira, JiraScenario
from tests.conftest import ROOT, invoke

PASSWORD = "pw-CANARY-b1a5"
CLIENT_SECRET = "cs-CANARY-9d2e"
ENV = {"JAMA_PASSWORD": PASSWORD, "JAMA_CLIENT_SECRET": CLIENT_SECRET}
# The machine's own proxy settings must not reach the fakes (tests set their own).
NO_PROXIES = {name: None for base in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
              for name in (base, base.lower())}

_AUTHORITY = trustme.CA()


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry waits of 3 s and 5 s, scaled down 50 times (the order and ratio stay), and no
    rate limit to wait for (the tests of the rate limit put it back)."""
    monkeypatch.setattr("jamacheck.live.http.RETRY_WAITS", (0.06, 0.1))
    monkeypatch.setattr("jamacheck.live.options.RATE_LIMIT", (10_000, 1.1))


def real_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jamacheck.live.options.RATE_LIMIT", (10, 1.1))


@functools.lru_cache(maxsize=1)
def _shared_ca_file() -> str:
    folder = tempfile.mkdtemp(prefix="jamacheck-test-ca-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = os.path.join(folder, "ca.pem")
    _AUTHORITY.cert_pem.write_to_path(path)
    return path


def ca_file(tmp_path: Any) -> str:
    """The test CA as a PEM file: also written to ``tmp_path/ca.pem``, but the path returned is one
    file for the whole process, so the client's TLS context (cached per CA file) is built once
    (a fresh file per test costs ~50 ms of CPU per run)."""
    _AUTHORITY.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    return _shared_ca_file()


@functools.lru_cache(maxsize=1)
def server_tls() -> ssl.SSLContext:
    """One server context for every fake (issuing a certificate each time costs ~5 ms)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    _AUTHORITY.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def scenario(**changes: Any) -> Scenario:
    base = Scenario(
        users=[User(1, "svc", PASSWORD)],
        clients={"interchange": (CLIENT_SECRET, "svc")},
        groups=[{"id": 10, "name": "Organization Admin", "members": [1]}],
        projects=[Project(20, "REQ"), Project(42, "SYS")],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


@contextlib.contextmanager
def fake(scenario_: Scenario, tls: bool = True) -> Iterator[FakeJama]:
    server = FakeJama(scenario_, tls=server_tls() if tls else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def fake_jira(scenario_: JiraScenario, deployment: str, tls: bool = True) -> Iterator[FakeJira]:
    server = FakeJira(scenario_, deployment, tls=server_tls() if tls else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def connector(name: str, url: str, auth: str = "oauth", **extra: Any) -> str:
    auth_text = {
        "oauth": "{type: oauth, client_id: interchange, client_secret: '${JAMA_CLIENT_SECRET}'}",
        "basic": "{type: basic, username: svc, password: '${JAMA_PASSWORD}'}",
    }.get(auth, auth)
    lines = [f"  - name: {name}", "    application: jama-connect", f"    url: {url}", f"    auth: {auth_text}"]
    lines += [f"    {key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def jira_connector(name: str, url: str, deployment: str, auth: str, projects: list[str] | None = None) -> str:
    lines = [f"  - name: {name}", "    application: jira", f"    deployment: {deployment}", f"    url: {url}",
             f"    auth: {auth}"]
    if projects is not None:
        lines.append(f"    projects: {json.dumps(projects)}")
    return "\n".join(lines) + "\n"


def live(path: Any, *args: str, env: dict[str, Any] | None = None, tmp_path: Any = None) -> tuple[Any, list[dict[str, Any]], dict[str, dict[str, tuple[str, str]]]]:
    """Run ``check --live --format json`` and return (exit code, findings, live results by name)."""
    ca = ["--ca-bundle", ca_file(tmp_path)] if tmp_path is not None else []
    result = invoke("check", "--live", "--format", "json", *ca, *args, str(path),
                    env={**NO_PROXIES, **ENV, **(env or {})})
    document = json.loads(result.stdout)
    checks = {item["connector"]: {c["check"]: (c["status"], c["detail"]) for c in item["checks"]}
              for item in document["live"]}
    return result, document["findings"], checks


def live_codes(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(f["code"] for f in findings if f["code"].startswith("JC5"))


def run_process(args: list[str], env: dict[str, str] | None = None, cwd: Any = None,
                timeout: float = 60, stdin_pipe: bool = False) -> subprocess.Popen[bytes]:
    """Start ``python -m jamacheck ARGS`` as a process (stdout/stderr to temporary files)."""
    environment = {k: v for k, v in os.environ.items() if k.lower() not in
                   {"https_proxy", "http_proxy", "all_proxy", "no_proxy"}}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(ROOT)
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
    process = subprocess.Popen([sys.executable, "-m", "jamacheck", *args], stdout=out, stderr=err,
                               env=environment, cwd=cwd)
    process.outputs = (out, err)  # type: ignore[attr-defined]
    return process


def finish(process: subprocess.Popen[bytes], timeout: float = 60) -> tuple[int, str, str, int]:
    """Wait for it (killed after ``timeout``): (exit code, stdout, stderr, peak memory in KiB)."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    texts = []
    for handle in process.outputs:  # type: ignore[attr-defined]
        handle.seek(0)
        texts.append(handle.read().decode(errors="replace"))
        handle.close()
    return process.returncode, texts[0], texts[1], usage.ru_maxrss
