"""Helpers for live tests: a fake Jama on 127.0.0.1 with real TLS, and connector files for it."""

from __future__ import annotations

import contextlib
import json
import ssl

import trustme

from fakes.jama import FakeJama, Project, Scenario, User
from tests.conftest import invoke

PASSWORD = "pw-CANARY-b1a5"
CLIENT_SECRET = "cs-CANARY-9d2e"
ENV = {"JAMA_PASSWORD": PASSWORD, "JAMA_CLIENT_SECRET": CLIENT_SECRET}

_AUTHORITY = trustme.CA()


def ca_file(tmp_path) -> str:
    path = tmp_path / "ca.pem"
    _AUTHORITY.cert_pem.write_to_path(str(path))
    return str(path)


def server_tls() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    _AUTHORITY.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def scenario(**changes) -> Scenario:
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
def fake(scenario_: Scenario, tls: bool = True):
    server = FakeJama(scenario_, tls=server_tls() if tls else None)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def connector(name: str, url: str, auth: str = "oauth", **extra) -> str:
    auth_text = {
        "oauth": "{type: oauth, client_id: interchange, client_secret: '${JAMA_CLIENT_SECRET}'}",
        "basic": "{type: basic, username: svc, password: '${JAMA_PASSWORD}'}",
    }.get(auth, auth)
    lines = [f"  - name: {name}", "    application: jama-connect", f"    url: {url}", f"    auth: {auth_text}"]
    lines += [f"    {key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def live(path, *args, env=None, tmp_path=None):
    """Run ``check --live --format json`` and return (exit code, findings, live results by name)."""
    ca = ["--ca-bundle", ca_file(tmp_path)] if tmp_path is not None else []
    result = invoke("check", "--live", "--format", "json", *ca, *args, str(path), env={**ENV, **(env or {})})
    document = json.loads(result.stdout)
    checks = {item["connector"]: {c["check"]: (c["status"], c["detail"]) for c in item["checks"]}
              for item in document["live"]}
    return result, document["findings"], checks
