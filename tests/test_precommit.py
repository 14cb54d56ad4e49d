"""The pre-commit hooks, run by real pre-commit against this checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, VALID_CONNECTOR

WHEELHOUSE = Path(os.environ.get("JAMACHECK_WHEELHOUSE", ROOT / ".wheelhouse"))


def test_hook_definitions():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"jamacheck", "jamacheck-fix", "jamacheck-live"}
    assert hooks["jamacheck-live"]["stages"] == ["manual"] and "--live" in hooks["jamacheck-live"]["entry"]
    assert "--live" not in hooks["jamacheck"]["entry"]
    files = re.compile(hooks["jamacheck"]["files"])
    for path in ("connectors/prod.yaml", "infra/connectors/a/b.yml", "jira.connector.yaml", "x/y.connector.yml"):
        assert files.search(path), path
    for path in ("config/app.yaml", "connectors.md", "connector.yaml.bak"):
        assert not files.search(path), path


def test_own_config_uses_only_local_hooks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert any("examples" in hook["entry"] for hook in config["repos"][0]["hooks"])


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.acceptance
@pytest.mark.skipif(not WHEELHOUSE.is_dir(), reason="needs the offline wheelhouse that .ci/run builds (.wheelhouse)")
def test_hook_passes_good_and_fails_bad_file(tmp_path):
    checkout = tmp_path / "checkout"  # a committed copy, so try-repo sees exactly this tree
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".git", ".wheelhouse", "*.egg-info",
                                                                   "__pycache__", ".pytest_cache", "build"))
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "snapshot")
    scratch = tmp_path / "scratch"
    (scratch / "connectors").mkdir(parents=True)
    (scratch / "connectors" / "good.yaml").write_text(VALID_CONNECTOR)
    (scratch / "connectors" / "bad.yaml").write_text(VALID_CONNECTOR.replace(
        "${JAMA_CLIENT_SECRET}", "plaintext").replace("Jama production", "Other"))
    _git(scratch, "init", "-q")
    _git(scratch, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INDEX": "1",
           "PIP_FIND_LINKS": str(WHEELHOUSE), "NO_COLOR": "1"}
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(checkout), "jamacheck"]

    good = subprocess.run([*pre_commit, "--files", "connectors/good.yaml"], cwd=scratch, env=env,
                          capture_output=True, text=True, timeout=600)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    bad = subprocess.run([*pre_commit, "--files", "connectors/bad.yaml"], cwd=scratch, env=env,
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "JC301" in bad.stdout and "plaintext" not in bad.stdout.replace("plaintext-secret", "")
