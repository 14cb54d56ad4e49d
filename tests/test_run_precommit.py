"""Issue 12: a real `git commit` through the installed pre-commit hook, with `paths` configured.

pre-commit passes only the changed files; `paths` gives the run the repository's connector set,
so a duplicate of an unchanged file fails the hook and a `disable-file=JC402` that serves the
changed file is not reported unused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

WHEELHOUSE = Path(os.environ.get("JAMACHECK_WHEELHOUSE", ROOT / ".wheelhouse"))
# Real git and pre-commit installing the hook into its own venv: seconds of wall time, so a step of
# its own in .ci/run (pytest -m acceptance), not the fast suite.
pytestmark = [pytest.mark.acceptance,
              pytest.mark.skipif(not WHEELHOUSE.is_dir(),
                                 reason="needs the offline wheelhouse that .ci/run builds (.wheelhouse)")]


def connector(name: str, host: str, head: str = "") -> str:
    return (f"{head}connectors:\n  - name: {name}\n    application: jama-connect\n"
            f"    url: https://{host}.jamacloud.com\n"
            "    auth: {type: oauth, client_id: interchange, client_secret: \"${JAMA_SECRET}\"}\n")


def _git(repo: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                          cwd=repo, env=env, check=check, capture_output=True, text=True, timeout=600)


def _snapshot(tmp_path: Path) -> tuple[Path, str]:
    """This checkout, committed, so pre-commit installs exactly this tree as the hook repository."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(".git", ".wheelhouse", "*.egg-info",
                                                                   "__pycache__", ".pytest_cache", "build"))
    _git(checkout, "init", "-q")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-qm", "snapshot")
    return checkout, _git(checkout, "rev-parse", "HEAD").stdout.strip()


def test_commit_hook_with_paths_sees_the_whole_repository(tmp_path):
    checkout, rev = _snapshot(tmp_path)
    repo = tmp_path / "connectors-repo"
    (repo / "connectors").mkdir(parents=True)
    (repo / "connectors" / "prod.yaml").write_text(connector("Jama production", "acme"))
    (repo / "connectors" / "test.yaml").write_text(connector("Jama test", "acme-test"))
    (repo / ".jamacheck.toml").write_text('paths = ["connectors"]\n')
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {checkout}\n    rev: {rev}\n    hooks:\n"
        "      - id: jamacheck\n        args: [--strict]\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_INDEX": "1",
           "PIP_FIND_LINKS": str(WHEELHOUSE), "NO_COLOR": "1"}
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the team's connectors")
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env, check=True,
                   capture_output=True, timeout=600)

    # A new file that sorts before prod.yaml and reuses its name: the hook fails the commit.
    (repo / "connectors" / "a-new.yaml").write_text(connector("jama PRODUCTION", "acme-new"))
    _git(repo, "add", "connectors/a-new.yaml")
    refused = _git(repo, "commit", "-m", "add a duplicate", env=env, check=False)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "JC401" in output and "connectors/prod.yaml:2" in output, output
    _git(repo, "rm", "-q", "--cached", "connectors/a-new.yaml")
    (repo / "connectors" / "a-new.yaml").unlink()

    # A changed file whose suppression serves it against an unchanged file: not JC001, commit passes.
    (repo / "connectors" / "test.yaml").write_text(connector(
        "Jama test (team B account)", "acme", "# jamacheck: disable-file=JC402 -- team B's own account\n"))
    _git(repo, "add", "connectors/test.yaml")
    accepted = _git(repo, "commit", "-m", "team B account", env=env, check=False)
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert "jamacheck" in output and "Passed" in output, output
    assert "JC001" not in output
