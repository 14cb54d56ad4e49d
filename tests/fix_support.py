"""Helpers for the fix tests: run --fix / --diff on files in a folder, apply a diff with git or patch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from click.testing import CliRunner

from jamacheck.cli import main


def run_cli(folder: Path, *args: str):
    """Run ``jamacheck`` in-process with ``folder`` as the working directory."""
    previous = os.getcwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    finally:
        os.chdir(previous)


def write_file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def codes_after(folder: Path, *paths: str) -> list[str]:
    result = run_cli(folder, "check", "--format", "json", *paths)
    assert result.exit_code in (0, 1), result.output
    return [finding["code"] for finding in json.loads(result.stdout)["findings"]]


def apply_with(tool: str, folder: Path, diff: bytes) -> None:
    """Apply ``diff`` in ``folder`` with ``git apply`` or ``patch -p0``; fail the test if refused.

    Pass the raw bytes (``result.stdout_bytes``): click's ``result.stdout`` turns CRLF into LF.
    """
    handle, name = tempfile.mkstemp(suffix=f".{tool}.diff")
    with os.fdopen(handle, "wb") as stream:
        stream.write(diff)
    if tool == "git":
        command = ["git", "apply", name]
    else:
        command = ["patch", "-p0", "--batch", "--silent", "-i", name]
    try:
        done = subprocess.run(command, cwd=folder, capture_output=True, timeout=60, check=False,
                              env={**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)})
    finally:
        os.unlink(name)
    assert done.returncode == 0, (tool, done.stdout, done.stderr, diff)


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
