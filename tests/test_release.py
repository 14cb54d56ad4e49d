"""Acceptance (issue 14): what a team adopting jamacheck does, end to end and offline.

- `python -m build` gives an sdist and a wheel (once per session); the wheel alone, in a fresh
  venv, checks `examples/`, and holds the package only (no tests, no fakes);
- `action.yml`'s steps run as GitHub would run them (its variables simulated) and write SARIF
  that validates against the SARIF 2.1.0 schema;
- every `sh` snippet of the README runs, in order, in a scratch clone of this repository and a
  scratch "your repository" beside it, and ends with the exit code the README states.

Slow (venvs, builds): marked `acceptance`, a separate step of .ci/run. Offline: pip reads only
the wheelhouse that .ci/run fills (`.wheelhouse`, or JAMACHECK_WHEELHOUSE).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml

from jamacheck import __version__
from tests.conftest import ROOT, VALID_CONNECTOR

pytestmark = pytest.mark.acceptance

WHEELHOUSE = Path(os.environ.get("JAMACHECK_WHEELHOUSE", ROOT / ".wheelhouse")).resolve()
OUTER_BIN = str(Path(sys.executable).parent)
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def offline_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The process environment, with pip reading only the wheelhouse and git allowed local submodules."""
    if not WHEELHOUSE.is_dir():
        message = f"needs the offline wheelhouse {WHEELHOUSE} (bash .ci/run fills it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "FORCE_COLOR", "JAMACHECK_DOCS_URL", "JAMACHECK_DEBUG")}
    env.update(GIT_ID, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE), PIP_DISABLE_PIP_VERSION_CHECK="1",
               PRE_COMMIT_HOME=str(tmp / "pre-commit-home"), NO_COLOR="1",
               # a submodule from a local path (the README's `git submodule add ../jamacheck`)
               GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="protocol.file.allow", GIT_CONFIG_VALUE_0="always")
    env.update(extra)
    return env


def run(command: list[str] | str, cwd: Path, env: dict[str, str], timeout: float = 600,
        shell: bool = False) -> subprocess.CompletedProcess[str]:
    args = ["bash", "-c", command] if shell else command
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def git(cwd: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ID})
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This tree as a clone would have it (tracked and new files, nothing ignored), committed."""
    target = tmp_path_factory.mktemp("snapshot") / "jamacheck"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "snapshot")
    return target


@pytest.fixture(scope="session")
def dists(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`python -m build` once per session (sdist, then the wheel built from it), offline."""
    tmp = tmp_path_factory.mktemp("build")
    source = tmp / "src"
    git(tmp, "clone", "-q", str(snapshot), str(source))
    done = run([sys.executable, "-m", "build", "--outdir", str(tmp / "dist"), str(source)], tmp, offline_env(tmp))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    built = {path.suffix if path.suffix == ".whl" else ".tar.gz": path for path in (tmp / "dist").iterdir()}
    assert set(built) == {".whl", ".tar.gz"}, built
    return built


# --- the wheel ---------------------------------------------------------------------------------


def test_build_gives_an_sdist_and_a_wheel_of_this_version(dists):
    assert dists[".whl"].name == f"jamacheck-{__version__}-py3-none-any.whl"
    assert dists[".tar.gz"].name == f"jamacheck-{__version__}.tar.gz"


def test_sdist_holds_the_package_source_and_no_half_test_suite(dists):
    with tarfile.open(dists[".tar.gz"]) as sdist:
        names = [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]
    assert "jamacheck/cli.py" in names and "jamacheck/schema/connector.schema.json" in names
    assert "CHANGELOG.md" in names and "README.md" in names
    assert not [name for name in names if name.startswith(("tests/", "fakes/"))], names


def test_wheel_holds_the_package_and_nothing_test_only(dists):
    names = zipfile.ZipFile(dists[".whl"]).namelist()
    assert all(name.startswith(("jamacheck/", f"jamacheck-{__version__}.dist-info/")) for name in names), names
    assert "jamacheck/schema/connector.schema.json" in names
    assert not [name for name in names if re.search(r"(^|/)(tests?|fakes|conftest\.py|test_)", name)]
    with zipfile.ZipFile(dists[".whl"]) as wheel:
        code = "\n".join(wheel.read(name).decode() for name in names if name.endswith(".py"))
    assert not re.search(r"^\s*(from|import) (fakes|tests)\b", code, re.M)


def test_wheel_alone_in_a_fresh_venv_checks_the_examples(dists, tmp_path):
    env = offline_env(tmp_path)
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env).returncode == 0
    done = run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                str(dists[".whl"])], tmp_path, env)
    assert done.returncode == 0, done.stderr
    elsewhere = tmp_path / "elsewhere"  # no source tree beside it to import from
    shutil.copytree(ROOT / "examples", elsewhere / "examples")
    jamacheck = str(venv / "bin" / "jamacheck")
    assert run([jamacheck, "--version"], elsewhere, env).stdout.strip() == f"jamacheck {__version__}"
    valid = run([jamacheck, "check", "examples/valid"], elsewhere, env)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    every = run([jamacheck, "check", "--format", "json", "examples/"], elsewhere, env)
    assert every.returncode == 1, every.stderr
    report = json.loads(every.stdout)
    assert {Path(path).parent.name for path in report["files"]} >= {"valid", "broken", "live"}
    assert {finding["code"] for finding in report["findings"]} >= {"JC301", "JC302", "JC304"}
    assert json.loads(run([jamacheck, "schema"], elsewhere, env).stdout)["$id"].startswith("urn:")
    imports = run([str(venv / "bin" / "python"), "-c", "import fakes"], elsewhere, env)
    assert imports.returncode != 0


# --- the hooks, with real pre-commit -------------------------------------------------------------


def test_live_hook_runs_only_in_the_manual_stage(snapshot, tmp_path):
    repo = tmp_path / "repo"
    (repo / "connectors").mkdir(parents=True)
    (repo / "connectors" / "prod.yaml").write_text(VALID_CONNECTOR)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, capture_output=True, text=True).stdout.strip()
    config = {"repos": [{"repo": str(snapshot), "rev": head, "hooks": [{"id": "jamacheck"}, {"id": "jamacheck-live"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    env = offline_env(tmp_path)
    env.pop("JAMA_CLIENT_SECRET", None)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--files", "connectors/prod.yaml"]

    default = run(pre_commit, repo, env)
    assert default.returncode == 0, default.stdout + default.stderr
    assert re.search(r"^jamacheck \(.*Passed$", default.stdout, re.M) and "--live" not in default.stdout

    manual = run([*pre_commit, "--hook-stage", "manual"], repo, env)
    assert manual.returncode == 1, manual.stdout + manual.stderr
    assert re.search(r"^jamacheck --live.*Failed$", manual.stdout, re.M), manual.stdout
    assert "JC501" in manual.stdout  # the secret is not set: nothing was sent anywhere


# --- action.yml --------------------------------------------------------------------------------


@dataclass
class Runner:
    """Runs a composite action's steps as GitHub does: `${{ … }}` from simulated contexts,
    `bash --noprofile --norc -eo pipefail` per step, GITHUB_* variables and files."""

    action_path: Path
    workspace: Path
    temp: Path
    env: dict[str, str]
    github: dict[str, str]

    def run_steps(self, inputs: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
        action = yaml.safe_load((self.action_path / "action.yml").read_text())
        values = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        unknown = set(inputs) - set(action["inputs"])
        assert not unknown, unknown
        values.update({f"inputs.{name}": value for name, value in inputs.items()})
        values.update({f"github.{name}": value for name, value in self.github.items()})
        values.update({"github.action_path": str(self.action_path), "runner.temp": str(self.temp)})
        results = []
        for step in action["runs"]["steps"]:
            assert step.get("shell") == "bash", step
            script = self.temp / "step.sh"
            script.write_text(_expand(step["run"], values))
            env = {**self.env, **{key: _expand(str(value), values) for key, value in step.get("env", {}).items()}}
            done = run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], self.workspace, env)
            results.append(done)
            if done.returncode != 0:
                break
        return results


def _expand(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        expression = match[1].strip()
        assert expression in values, f"action.yml uses ${{{{ {expression} }}}}, which this test does not simulate"
        return values[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


@pytest.fixture
def runner(snapshot: Path, tmp_path: Path) -> Runner:
    action_path = tmp_path / "action"  # the action's own checkout
    git(tmp_path, "clone", "-q", str(snapshot), str(action_path))
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples", workspace / "connectors")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    files = {name: tmp_path / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
    for path in files.values():
        path.touch()
    env = offline_env(tmp_path, GITHUB_ACTIONS="true", CI="true", RUNNER_TEMP=str(temp), RUNNER_OS="Linux",
                      GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(action_path),
                      GITHUB_REPOSITORY="acme/connectors", GITHUB_SHA="0" * 40,
                      **{name: str(path) for name, path in files.items()})
    github = {"action_repository": "acme/jamacheck", "action_ref": "1a2b3c4d" * 5, "server_url": "https://github.com"}
    return Runner(action_path, workspace, temp, env, github)


def test_action_steps_annotate_and_write_valid_sarif(runner):
    install, check = runner.run_steps({"paths": "connectors/broken connectors/valid", "sarif-file": "out/jamacheck.sarif"})
    assert install.returncode == 0, install.stdout + install.stderr
    assert install.stdout.strip().endswith(f"jamacheck {__version__}")
    assert check.returncode == 1, check.stdout + check.stderr  # the broken example fails the step
    assert re.search(r"^::error file=connectors/broken/broken\.yaml,line=\d+,col=\d+,title=JC301 ", check.stdout, re.M)
    sarif = json.loads((runner.workspace / "out" / "jamacheck.sarif").read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()), cls=jsonschema.Draft7Validator)
    driver = sarif["runs"][0]["tool"]["driver"]
    readme = f"https://github.com/acme/jamacheck/blob/{'1a2b3c4d' * 5}/README.md"
    assert driver["informationUri"] == readme
    jc301 = next(rule for rule in driver["rules"] if rule["id"] == "JC301")
    assert jc301["helpUri"] == f"{readme}#jc301-plaintext-secret"
    assert jc301["properties"]["security-severity"] == "9.0"
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in sarif["runs"][0]["results"]}
    assert "connectors/broken/broken.yaml" in uris  # relative to the workspace, as code scanning wants
    assert all(uri.startswith("connectors/") for uri in uris), uris

    # The same installation, other inputs: a passing folder, args that pass through, and a local
    # action (`uses: ./tools/jamacheck`, a submodule) whose origin is on this server: help links
    # go to its README at its commit, without the user info of the origin's URL.
    runner.github["action_repository"] = runner.github["action_ref"] = ""
    git(runner.action_path, "remote", "set-url", "origin", "https://x-access-token:s3cr3t-t0ken@github.com/acme/jamacheck.git")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=runner.action_path, capture_output=True, text=True).stdout.strip()
    action = yaml.safe_load((runner.action_path / "action.yml").read_text())
    assert len(action["runs"]["steps"]) == 2
    *_, again = runner.run_steps({"paths": "connectors/valid", "args": "--strict --ignore JC403", "sarif-file": "again.sarif"})
    assert again.returncode == 0, again.stdout + again.stderr
    assert "::" not in again.stdout
    text = (runner.workspace / "again.sarif").read_text()
    assert "s3cr3t" not in text
    rules = json.loads(text)["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"].startswith(f"https://github.com/acme/jamacheck/blob/{commit}/README.md#")

    # elsewhere (another host, or no origin): the README's URN
    git(runner.action_path, "remote", "set-url", "origin", "https://git.acme.example/tools/jamacheck.git")
    *_, elsewhere = runner.run_steps({"paths": "connectors/valid", "sarif-file": "elsewhere.sarif"})
    assert elsewhere.returncode == 0, elsewhere.stderr
    rules = json.loads((runner.workspace / "elsewhere.sarif").read_text())["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"].startswith("urn:jamacheck:readme#")


# --- the README's snippets ------------------------------------------------------------------------

HEADER = re.compile(r"# (?:terminal \d, )?(from a clone of jamacheck|in your repository)\b[^:]*: "
                    r"(?:exits (\d)\b|keeps running)")


@dataclass
class Block:
    language: str
    text: str
    line: int  # of the opening fence
    end: int = 0  # of the closing fence


def readme_blocks() -> list[Block]:
    blocks, current, start, language, indent = [], None, 0, "", ""
    for number, line in enumerate((ROOT / "README.md").read_text("utf-8").splitlines(), 1):
        if current is None:
            opening = re.fullmatch(r"(\s*)```(\w*)\s*", line)
            if opening:
                indent, language, current, start = opening[1], opening[2], [], number
        elif re.fullmatch(r"\s*```\s*", line):
            blocks.append(Block(language, "\n".join(current) + "\n", start, number))
            current = None
        else:
            current.append(line[len(indent):] if line.startswith(indent) else line)
    return blocks


def test_every_shell_block_says_where_it_runs_and_how_it_ends():
    blocks = readme_blocks()
    shell = [block for block in blocks if block.language in ("sh", "bash", "shell", "console")]
    assert len(shell) >= 8
    for block in shell:
        assert block.language == "sh", block
        assert HEADER.match(block.text), f"README line {block.line}: {block.text.splitlines()[0]}"
    for block in blocks:  # commands hide nowhere else
        if block.language in ("", "text"):
            assert not re.search(r"^\$ |^(pip|pre-commit|python3?) ", block.text, re.M), block


@dataclass
class Places:
    clone: Path
    repo: Path
    clone_env: dict[str, str]
    repo_env: dict[str, str]


@pytest.fixture
def places(snapshot: Path, tmp_path: Path) -> Places:
    work = tmp_path / "work"
    work.mkdir()
    clone = work / "jamacheck"
    git(work, "clone", "-q", str(snapshot), str(clone))
    repo = work / "your-repository"
    shutil.copytree(ROOT / "examples" / "valid", repo / "connectors")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "connectors")
    base = offline_env(tmp_path)
    path = [entry for entry in base["PATH"].split(os.pathsep) if entry != OUTER_BIN]
    # Your repository: your own venv (the README's `pip install` goes there) and pre-commit.
    venv = tmp_path / "user-venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path, base).returncode == 0
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "pre-commit").symlink_to(Path(OUTER_BIN) / "pre-commit")
    repo_env = {**base, "VIRTUAL_ENV": str(venv), "PATH": os.pathsep.join([str(venv / "bin"), str(tools), *path])}
    # A clone "with '.[test]' installed": this test's own environment.
    clone_env = {**base, "PATH": os.pathsep.join([OUTER_BIN, *path])}
    return Places(clone, repo, clone_env, repo_env)


def test_every_readme_snippet_works_as_written(places):
    background: list[subprocess.Popen[str]] = []
    printed, after = None, 0  # what the last snippet printed, and its closing fence's line
    try:
        for block in readme_blocks():
            if block.language == "yaml" and block.text.startswith("# file: "):
                _write_file(block, places)
            elif block.language == "sh":
                printed, after = _run_snippet(block, places, background), block.end
                continue
            elif block.language == "text" and printed is not None and block.line <= after + 2:
                _shows(block, printed)  # right after it, no words between: its output
            printed = None
    finally:
        for process in background:  # its own session: the shell and the server it started
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
            if process.stdout:
                process.stdout.close()


def _write_file(block: Block, places: Places) -> None:
    name = block.text.split()[2]
    target = places.repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(block.text)
    document = yaml.safe_load(block.text)
    if name == ".gitlab-ci.yml":  # its script is shell too: run it
        for job in document.values():
            done = run("set -e\n" + "\n".join(job["script"]), places.repo, places.repo_env, shell=True)
            assert done.returncode == 0, f"README line {block.line}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    if name.startswith(".github/workflows/"):  # each local action it uses is there
        for job in document["jobs"].values():
            for step in job["steps"]:
                uses = step.get("uses", "")
                if uses.startswith("./"):
                    assert (places.repo / uses / "action.yml").is_file(), f"README line {block.line}: {uses}"


def _shows(block: Block, printed: str) -> None:
    """A `text` block right after a snippet (a blank line between) shows its output: each line is printed (a line that
    ends in `…` is a beginning; a line that is only `…` stands for lines left out)."""
    lines = printed.splitlines()
    for line in block.text.splitlines():
        if line.strip() == "…":
            continue
        if line.endswith("…"):
            assert any(out.startswith(line[:-1]) for out in lines), f"README line {block.line}: {line}\n{printed}"
        else:
            assert line in lines, f"README line {block.line}: {line!r} is not what the snippet printed:\n{printed}"


def _run_snippet(block: Block, places: Places, background: list[subprocess.Popen[str]]) -> str | None:
    header = HEADER.match(block.text)
    assert header, block
    if "(CI itself" in block.text.splitlines()[0]:
        # .ci/run is what runs these: itself, or the README's test command (`python -m pytest`),
        # which it runs against the same checkout.
        assert re.search(r"^bash \.ci/run\b|python -m pytest$", block.text, re.M), block
        assert "python -m pytest" in Path(ROOT, ".ci/run").read_text(encoding="utf-8")
        return None
    in_clone = header[1] == "from a clone of jamacheck"
    cwd, env = (places.clone, places.clone_env) if in_clone else (places.repo, places.repo_env)
    if header[2] is None:  # keeps running: start it, wait until it says it is ready
        process = subprocess.Popen(["bash", "-c", block.text], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        background.append(process)
        ready = process.stdout.readline() if process.stdout else ""
        assert ready and process.poll() is None, f"README line {block.line}: {ready}"
        return None
    done = run(block.text, cwd, env, shell=True)
    assert done.returncode == int(header[2]), (
        f"README line {block.line}: exit {done.returncode}, the README says {header[2]}\n"
        f"{block.text}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if "pre-commit run" in block.text:  # the hook ran (not "no files to check") and passed
        assert re.search(r"^jamacheck\b.*Passed$", done.stdout, re.M), done.stdout
    return done.stdout
