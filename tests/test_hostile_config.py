"""Issue 9: configuration values of the wrong type are exit 2 naming the file and the key (SPEC §9)."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from jamacheck.cli import main

WRONG = {
    "tool = 5": "tool",
    "[tool]\njamacheck = 5": "tool.jamacheck",
    "[tool.jamacheck]\nselect = 5": "select",
    "[tool.jamacheck]\nselect = [5]": "select",
    "[tool.jamacheck]\nignore = {a = 1}": "ignore",
    "[tool.jamacheck]\nstrict = \"yes\"": "strict",
    "[tool.jamacheck]\nexclude = \"x\"": "exclude",
    "[tool.jamacheck]\nexclude = [[1]]": "exclude",
    "[tool.jamacheck]\nseverity = 5": "severity",
    "[tool.jamacheck]\nseverity = {JC303 = 5}": "severity",
    "[tool.jamacheck]\nseverity = {JC303 = [\"error\"]}": "severity",
    "[tool.jamacheck]\nper-file-ignores = 5": "per-file-ignores",
    "[tool.jamacheck]\nper-file-ignores = {\"*.yaml\" = 5}": "per-file-ignores",
    "[tool.jamacheck]\nper-file-ignores = {\"*.yaml\" = [{}]}": "per-file-ignores",
}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The CLI in-process, in ``cwd`` (a process each costs ~0.15 s of CPU). An exception that
    escapes is an internal error, which a process would report as one line: here the test fails."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("toml", sorted(WRONG))
def test_wrong_type_in_pyproject(toml, tmp_path):
    (tmp_path / "pyproject.toml").write_text(toml + "\n")
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    done = _run(["check", "c.yaml"], tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "pyproject.toml" in done.stderr and WRONG[toml] in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("toml", sorted(WRONG))
def test_wrong_type_in_explicit_config(toml, tmp_path):
    (tmp_path / "my.toml").write_text(toml + "\n")
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    done = _run(["check", "--config", "my.toml", "c.yaml"], tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "my.toml" in done.stderr, done.stderr


def test_env_file_that_is_not_utf8_or_text(tmp_path):
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    (tmp_path / "bin.env").write_bytes(b"PA=\xff\xfe\x00\n")
    done = _run(["check", "--live", "--env-file", "bin.env", "c.yaml"], tmp_path)
    assert done.returncode == 2 and "bin.env" in done.stderr and "Traceback" not in done.stderr


def test_internal_error_in_one_file_others_still_checked(tmp_path, monkeypatch):
    """SPEC §9: one stderr line naming the file and the kind of error; the rest is reported; exit 2."""
    import json

    import yaml

    from tests.conftest import invoke

    real_parse = yaml.parse

    def parse(stream, Loader=None):
        if "CRASH-HERE" in stream:
            raise ZeroDivisionError("quotes the file: CRASH-HERE hunter2-literal")
        return real_parse(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "parse", parse)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("connectors:\n  - name: CRASH-HERE\n    password: hunter2-literal\n")
    (tmp_path / "b.yaml").write_text("connectors:\n  - name: B\n    verify_ssl: no\n")
    result = invoke("check", "--format", "json", "a.yaml", "b.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "jamacheck: error: internal error while checking a.yaml: ZeroDivisionError"
    report = json.loads(result.stdout)
    assert report["files"] == ["b.yaml"] and {f["path"] for f in report["findings"]} == {"b.yaml"}
