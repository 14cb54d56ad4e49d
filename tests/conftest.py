"""Shared helpers: run the real CLI in-process and read its JSON findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

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
