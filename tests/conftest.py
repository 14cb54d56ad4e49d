"""Shared helpers: run the real CLI in-process and read its JSON findings."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from jamacheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"

VALID_CONNECTOR = """\
connectors:
  - name: Jama production
    application: jama-connect
    url: https://acme.jamacloud.com
    auth:
      type: oauth
      client_id: interchange
      client_secret: ${JAMA_CLIENT_SECRET}
"""


# Property tests (hypothesis). Each test names its example count with ``examples(n)``: half of n
# in the fast suite (profile "fast", which keeps the suite within 30 s on 2 cores), five times n
# in the second step of .ci/run, which sets JAMACHECK_HYPOTHESIS=thorough. A failing example is kept in .hypothesis/ and tried first next time.
settings.register_profile("fast", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=50)
settings.register_profile("thorough", settings.get_profile("fast"), max_examples=500)
settings.load_profile(os.environ.get("JAMACHECK_HYPOTHESIS", "fast"))


def examples(count: int) -> int:
    """``count`` scaled by the loaded profile (its max_examples against hypothesis's default of 100)."""
    return max(1, count * settings.default.max_examples // 100)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="tests/test_golden.py: write the output as the new golden files (review `git diff tests/golden`); "
                          "JAMACHECK_UPDATE_GOLDENS=1 does the same")


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests talk to 127.0.0.1 only: any other name fails to resolve, any other address to connect."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests do not resolve {host!r} (network blocked)")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise ConnectionRefusedError(f"tests do not connect to {address[0]!r} (network blocked)")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env, catch_exceptions=False)


def findings_of(*args: str, env: dict | None = None) -> list[tuple[str, int, int]]:
    result = invoke("check", "--format", "json", *args, env=env)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def write(tmp_path: Path, monkeypatch):
    """Write files under a temporary folder, which is also the working directory."""
    monkeypatch.chdir(tmp_path)

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return _write


@pytest.fixture
def connectors_file(write):
    """Write ``connectors.yaml`` from connector blocks (``live_support.connector`` and friends)."""
    def _file(*blocks: str):
        return write("connectors.yaml", "connectors:\n" + "".join(blocks))
    return _file
