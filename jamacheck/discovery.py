"""Which files a run checks: explicit files always, connector files found in folders (SPEC §3.1, §4).

Only regular files are ever opened for reading (a FIFO would block, a device never ends); a
hard link, a symlink and a path spelled two ways are one file, checked once.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset({"node_modules"})  # a name alone skips nothing else (`env`, `site-packages`)
CONNECTORS_FOLDER = "connectors"
# A top-level key at the start of a line (after a BOM or a JSON `{`), quoted or not, blanks
# before the colon. Bounded quantifiers: linear on any line.
_TOP_LEVEL_KEY = re.compile(r"""(?m)^\ufeff?(?:\{[ \t]{0,80})?(["']?)([A-Za-z0-9_-]{9,11})\1[ \t]{0,80}:""")


class PathError(Exception):
    """A path given on the command line does not exist (exit 2)."""


@dataclass(frozen=True)
class Candidate:
    path: str  # as shown in reports: relative, with / separators
    data: bytes | None = None  # the bytes already read while discovering, if any
    problem: str | None = None  # why it cannot be read (JC103), found without reading it
    identity: object = None  # the file itself (see identity())


@dataclass
class Discovery:
    """Connector files in run order, and what discovery skipped and why (``-v``)."""

    files: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    identities: set[object] = field(default_factory=set)

    def add(self, path: str, data: bytes | None = None, problem: str | None = None) -> None:
        key = identity(path)
        if key not in self.identities:
            self.identities.add(key)
            self.files.append(Candidate(display_path(path), data, problem, key))


def discover(paths: list[str], exclude: tuple[str, ...] = (), root: Path | None = None) -> Discovery:
    """Expand ``paths``: files as given, folders in sorted path order, each file once."""
    found = Discovery()
    for given in paths:
        if not os.path.lexists(given):
            raise PathError(f"no such file or directory: {given}")
        if os.path.isdir(given):
            _walk(given, exclude, root, found)
        else:
            found.add(given, problem=not_regular(given))
    return found


def identity(path: str) -> object:
    """The file itself: device and inode (hard links, symlinks, spellings), else the real path."""
    try:
        info = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (info.st_dev, info.st_ino)


def display_path(path: str) -> str:
    shown = Path(path).as_posix()
    return shown[2:] if shown.startswith("./") else shown


def not_regular(path: str) -> str | None:
    """Why ``path`` must not be opened (JC103), or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return f"cannot read the file: {err.strerror or err}"
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    link = " (through a symlink)" if os.path.islink(path) else ""
    return f"the path is {kind}{link}, not a regular file: it was not read"


def read_regular(path: str) -> bytes:
    """At most MAX_BYTES + 1 bytes of a regular file; OSError for anything else (the one reader:
    ``jamacheck.reading.read_regular_file``)."""
    from jamacheck.reading import NotReadable, read_regular_file

    try:
        return read_regular_file(path)
    except NotReadable as err:
        raise OSError(0, err.reason) from None


def _walk(folder: str, exclude: tuple[str, ...], root: Path | None, found: Discovery) -> None:
    files: list[str] = []
    for current, dirs, names in os.walk(folder):
        kept = []
        for name in sorted(dirs):
            reason = _skip_dir(current, name) or _exclusion(os.path.join(current, name), exclude, root)
            if reason:
                found.skipped.append((display_path(os.path.join(current, name)) + "/", reason))
            else:
                kept.append(name)
        dirs[:] = kept
        files.extend(os.path.join(current, name) for name in names if name.lower().endswith(YAML_SUFFIXES))
    files.sort(key=lambda path: Path(os.path.relpath(path, folder)).as_posix())
    for path in files:
        _consider(path, _exclusion(path, exclude, root), found)


def _consider(path: str, excluded: str | None, found: Discovery) -> None:
    if excluded:
        found.skipped.append((display_path(path), excluded))
        return
    problem = not_regular(path)
    if problem is not None:
        found.add(path, problem=problem)  # reported (JC103), never opened
        return
    try:
        data = read_regular(path)
    except OSError as err:
        found.add(path, problem=f"cannot read the file: {err.strerror or err}")
        return
    if is_connector_file(path, data):
        found.add(path, data)
    else:
        found.skipped.append((display_path(path), "not a connector file: not under a `connectors` folder, "
                                                  "and no line declares a top-level `connectors:` key"))


def is_connector_file(path: str, data: bytes) -> bool:
    """SPEC §3.1: named as the pre-commit hook's `files` pattern matches (under `connectors/`, or
    `*.connector.yaml`), or a line declares a top-level `connectors` key or a near miss of it."""
    by_name = CONNECTORS_FOLDER in Path(path).parts[:-1] or Path(path).stem.lower().endswith(".connector")
    return by_name or declares_connectors(data)


def declares_connectors(data: bytes) -> bool:
    """A line declares a top-level key that is `connectors` or a near miss of it (SPEC §3.1)."""
    text = data.decode("utf-8", errors="replace")
    if any(is_near_connectors(match.group(2)) for match in _TOP_LEVEL_KEY.finditer(text)):
        return True
    return _json_top_level_keys_declare_connectors(text)


def _json_top_level_keys_declare_connectors(text: str) -> bool:
    """A JSON document written out with indentation (`{` alone on the first line, then
    `  "connectors": [`) declares its top-level keys on indented lines: read it as JSON."""
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return False
    import json

    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return False  # not JSON (YAML flow style, comments): the lines alone decide
    return isinstance(document, dict) and any(isinstance(key, str) and is_near_connectors(key) for key in document)


def is_near_connectors(key: str) -> bool:
    """`connectors` in any case, or one edit away (`connector`, `conectors`), not `collectors`."""
    return _within_one_edit(key.lower(), CONNECTORS_FOLDER)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            rest = index + 1
            return a[index:] == b[rest:] if len(a) < len(b) else a[rest:] == b[rest:]
    return True


def _skip_dir(parent: str, name: str) -> str | None:
    if name.startswith("."):
        return "hidden folder"
    if name in SKIPPED_DIRS:
        return f"{name} folder"
    if os.path.exists(os.path.join(parent, name, "pyvenv.cfg")):
        return "virtual environment (holds pyvenv.cfg)"
    return None


def _exclusion(path: str, patterns: tuple[str, ...], root: Path | None) -> str | None:
    if not patterns:
        return None
    candidates = {display_path(path), Path(path).name}
    if root is not None:
        with contextlib.suppress(ValueError):  # outside the configuration's folder
            candidates.add(Path(os.path.abspath(path)).relative_to(root).as_posix())
    for pattern in patterns:
        if any(fnmatch.fnmatch(candidate, pattern.rstrip("/")) for candidate in candidates):
            return f"excluded by the configuration's `exclude` ({pattern})"
    return None
