"""The `jamacheck-fix` pre-commit hook, installed offline by real pre-commit (acceptance)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, VALID_CONNECTOR

WHEELHOUSE = Path(os.environ.get("JAMACHECK_WHEELHOUSE", ROOT / ".wheelhouse"))


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.acceptance
@pytest.mark.skipif(not WHEELHOUSE.is_dir(), reason="needs the offline wheelhouse that .ci/run builds (.wheelhouse)")
def test_fix_hook_fixes_the_file_and_fails_once(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".git", ".wheelhouse", "*.egg-info",
                                                                   "__pycache__", ".pytest_cache", "build"))
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "snapshot")
    scratch = tmp_path / "scratch"
    (scratch / "connectors").mkdir(parents=True)
    fixable = scratch / "connectors" / "prod.yaml"
    fixable.write_bytes(VALID_CONNECTOR.replace("jamacloud.com", "jamacloud.com/").replace("\n", "\r\n").encode())
    _git(scratch, "init", "-q")
    _git(scratch, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INDEX": "1",
           "PIP_FIND_LINKS": str(WHEELHOUSE), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(checkout), "jamacheck-fix",
               "--files", "connectors/prod.yaml"]

    first = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 1, first.stdout + first.stderr  # pre-commit: the hook changed a file
    assert "files were modified by this hook" in first.stdout
    assert fixable.read_bytes() == VALID_CONNECTOR.replace("\n", "\r\n").encode()
    second = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
