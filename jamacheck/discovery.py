"""Which files a run checks: explicit files always, connector files found in folders."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset({"node_modules", "venv", "env", "__pycache__", "site-packages"})
_CONNECTOR_FILE = re.compile(rb"(?m)^(?:\xef\xbb\xbf)?connectors:")


class PathError(Exception):
    """A path given on the command line does not exist (exit 2)."""


@dataclass(frozen=True)
class Candidate:
    path: str  # as shown in reports: relative, with / separators
    data: bytes | None  # the bytes already read while discovering, if any


def discover(paths: list[str], exclude: tuple[str, ...] = (), root: Path | None = None) -> list[Candidate]:
    seen: set[str] = set()
    found: list[Candidate] = []
    for given in paths:
        if not os.path.exists(given):
            raise PathError(f"no such file or directory: {given}")
        entries = [(given, None)] if not os.path.isdir(given) else _walk(given, exclude, root)
        for path, data in entries:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                found.append(Candidate(display_path(path), data))
    return found


def display_path(path: str) -> str:
    shown = Path(path).as_posix()
    return shown[2:] if shown.startswith("./") else shown


def _walk(folder: str, exclude: tuple[str, ...], root: Path | None):
    files: list[str] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not _skip_dir(current, d) and not _excluded(os.path.join(current, d), exclude, root)]
        files.extend(os.path.join(current, name) for name in names if name.lower().endswith(YAML_SUFFIXES))
    files.sort(key=lambda path: Path(os.path.relpath(path, folder)).as_posix())
    for path in files:
        if _excluded(path, exclude, root):
            continue
        data = _read_quietly(path)
        if data is None or _CONNECTOR_FILE.search(data):
            yield path, data  # unreadable files are reported, never silently skipped


def _skip_dir(parent: str, name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS or os.path.exists(os.path.join(parent, name, "pyvenv.cfg"))


def _excluded(path: str, patterns: tuple[str, ...], root: Path | None) -> bool:
    if not patterns:
        return False
    candidates = {display_path(path), Path(path).name}
    if root is not None:
        with contextlib.suppress(ValueError):  # outside the configuration's folder
            candidates.add(Path(os.path.abspath(path)).relative_to(root).as_posix())
    return any(fnmatch.fnmatch(candidate, pattern.rstrip("/")) for candidate in candidates for pattern in patterns)


def _read_quietly(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None
