"""Golden files: the exact output of every format for a fixed set of connector files.

The inputs are tests/golden/input/ (structure errors, secrets, warnings, suppressions, cross-file
duplicates, a file that does not parse) and a live run against the fake Jama server (real TLS on
127.0.0.1) with passing and failing connectors. Only what must vary between runs is normalised:
the fake server's port and jamacheck's version. Paths are relative (the run's working folder is a
copy of the inputs), so no temporary path reaches the output.

When output changes on purpose, regenerate and review the diff:

    python -m pytest tests/test_golden.py --update-goldens
    git diff tests/golden
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from fakes.jama import Project, User
from jamacheck import __version__
from tests.conftest import invoke
from tests.live_support import CLIENT_SECRET, NO_PROXIES, PASSWORD, ca_file, fake, scenario

GOLDEN = Path(__file__).resolve().parent / "golden"
INPUT = GOLDEN / "input"
UPDATE_COMMAND = "python -m pytest tests/test_golden.py --update-goldens"

# The environment of every run: nothing of the caller's that changes output (colour, the docs
# address in SARIF, proxies) gets in.
QUIET_ENV: dict[str, str | None] = {"FORCE_COLOR": None, "NO_COLOR": None, "JAMACHECK_DOCS_URL": None,
                                    "JAMACHECK_DEBUG": None, **NO_PROXIES}

OFFLINE = {
    "text.txt": ["--format", "text"],
    "text-show-source.txt": ["--format", "text", "--show-source"],
    "json.json": ["--format", "json"],
    "sarif.json": ["--format", "sarif"],
    "github.txt": ["--format", "github"],
    "gitlab.json": ["--format", "gitlab"],
}

READER_PASSWORD = "rd-CANARY-4c71"
FLOAT_PASSWORD = "fl-CANARY-0e3b"
# Every literal secret in the inputs, and every secret the live run uses: none may be printed.
SECRETS = ("url-s3cret-77", "tok-s3cret-88", "cs-s3cret-99", "old-s3cret-66", "pat-s3cret-55",
           "broken-s3cret-44", PASSWORD, CLIENT_SECRET, READER_PASSWORD, FLOAT_PASSWORD)


# Secrets that main prints today, each with who is fixing it. A listed secret that no longer
# leaks fails the run too: remove it here when the fix lands (and regenerate the goldens).
KNOWN_LEAKS: dict[str, str] = {}


def assert_no_secret(name: str, output: str) -> None:
    leaked = {secret for secret in SECRETS if secret in output}
    expected = {secret for secret, where in KNOWN_LEAKS.items() if where == name}
    assert not leaked - expected, f"{name} prints a secret: {sorted(leaked - expected)}"
    assert not expected - leaked, f"{name} no longer leaks {sorted(expected - leaked)}: remove it from KNOWN_LEAKS"


def updating(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-goldens")) or os.environ.get("JAMACHECK_UPDATE_GOLDENS") == "1"


def compare(name: str, actual: str, config: pytest.Config) -> None:
    """Equal to tests/golden/NAME, or (when updating) written there."""
    path = GOLDEN / name
    if updating(config):
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return
    diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                        f"tests/golden/{name} (expected)", f"{name} (this run)"))
    pytest.fail(f"the output differs from tests/golden/{name}"
                f"{'' if path.exists() else ' (which does not exist)'}.\n"
                f"If the change is intended, regenerate every golden file and review the diff:\n\n"
                f"    {UPDATE_COMMAND}\n    git diff tests/golden\n\n{diff}", pytrace=False)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the inputs as the working folder: findings name relative paths only."""
    work = tmp_path / "work"
    shutil.copytree(INPUT, work)
    monkeypatch.chdir(work)
    return work


def normalise(text: str, output_name: str) -> str:
    """Only what must vary: the version in SARIF's driver (nothing else of the output)."""
    if output_name.startswith("sarif"):
        document = json.loads(text)
        driver = document["runs"][0]["tool"]["driver"]
        assert driver["version"] == driver["semanticVersion"] == __version__
        driver["version"] = driver["semanticVersion"] = "<version>"
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text


@pytest.mark.parametrize("name", sorted(OFFLINE))
def test_offline_formats(name: str, workdir: Path, request: pytest.FixtureRequest) -> None:
    result = invoke("check", *OFFLINE[name], "connectors", env=QUIET_ENV)
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    output = normalise(result.stdout, name)
    assert_no_secret(name, output)
    compare(name, output, request.config)


def live_scenario() -> Any:
    """Healthy `svc` (admin, every project); `svc-reader` (no admin group, cannot read SYS nor
    write REQ); `svc-float` (Creator Float: the REST API refuses its login)."""
    users = [User(1, "svc", PASSWORD), User(2, "svc-reader", READER_PASSWORD),
             User(3, "svc-float", FLOAT_PASSWORD, license="FLOATING")]
    projects = [Project(20, "REQ", writers={"svc"}), Project(42, "SYS", readers={"svc"})]
    return scenario(users=users, projects=projects)


def run_live(workdir: Path, *args: str) -> tuple[Any, str]:
    """`check --live` against the fake Jama, as https://127.0.0.1:PORT and https://localhost:PORT
    (two instances, so neither waits for the 10-requests-a-second budget)."""
    template = (workdir / "live" / "live.yaml").read_text("utf-8")
    with fake(live_scenario()) as server:
        port = server.url.rsplit(":", 1)[1]
        text = template.replace("{jama}", server.url).replace("{jama_by_name}", f"https://localhost:{port}")
        (workdir / "live" / "live.yaml").write_text(text, "utf-8")
        env = {**QUIET_ENV, "JAMA_CLIENT_SECRET": CLIENT_SECRET, "READER_PASSWORD": READER_PASSWORD,
               "FLOAT_PASSWORD": FLOAT_PASSWORD, "UNSET_PASSWORD": None}
        result = invoke("check", "--live", "--ca-bundle", ca_file(workdir), *args, "live/live.yaml", env=env)
    return result, port


@pytest.mark.parametrize("name", ["live-text.txt", "live-json.json"])
def test_live_formats(name: str, workdir: Path, request: pytest.FixtureRequest) -> None:
    output_format = "text" if name.endswith(".txt") else "json"
    result, port = run_live(workdir, "--format", output_format)
    assert result.exit_code == 1, result.output
    output = re.sub(rf"\b(127\.0\.0\.1|localhost):{port}\b", r"\1:<port>", result.stdout)
    assert_no_secret(name, output + result.stderr)
    compare(name, output, request.config)
