"""Settings from ``--config FILE`` or the nearest configuration file (SPEC §4).

In the working folder, then each folder above it, the first of ``.jamacheck.toml``,
``jamacheck.toml`` (keys at top level) or a ``pyproject.toml`` with ``[tool.jamacheck]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OPTIONS = ("select", "ignore", "strict", "exclude", "severity", "per-file-ignores", "require-reason", "paths", "baseline")
CONFIG_NAMES = (".jamacheck.toml", "jamacheck.toml")
_CODE_PREFIX = re.compile(r"^JC\d{0,3}$")


class ConfigError(Exception):
    """The configuration cannot be used (exit 2)."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    exclude: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    baseline: Path | None = None  # the baseline file, relative paths read from the config's folder
    require_reason: bool = False
    paths: tuple[str, ...] = ()  # absolute: every connector file of the repository (context)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration file at or above ``start``, and its jamacheck table."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name, _own_table(_read(folder / name), folder / name)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _tool_table(_read(pyproject), pyproject)
            if table is not None:  # a pyproject.toml without the table: look further up
                return pyproject, table
    return None


def load(explicit: str | None, known_codes: frozenset[str]) -> Config:
    if explicit:
        path = Path(explicit)
        table = _own_table(_read(path), path)
    else:
        found = find_config(Path.cwd())
        if found is None:
            return Config()
        path, table = found
    return _parse(table, path.resolve(), known_codes)


def _own_table(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """Keys at top level, or under ``[tool.jamacheck]`` (a pyproject.toml given to --config)."""
    if "tool" not in table:
        return table
    own = _tool_table(table, path)
    return table if own is None else own


def _tool_table(table: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """``[tool.jamacheck]``, or None; a `tool` or `tool.jamacheck` that is not a table is exit 2."""
    tool = table.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"invalid config {path}: 'tool' must be a table, not {_kind(tool)}")
    own = tool.get("jamacheck")
    if own is not None and not isinstance(own, dict):
        raise ConfigError(f"invalid config {path}: 'tool.jamacheck' must be a table, not {_kind(own)}")
    return own


def _kind(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list"}.get(type(value), type(value).__name__)


def _read(path: Path) -> dict[str, Any]:
    import tomllib

    from jamacheck.reading import NotReadable, read_small_file

    try:
        data = read_small_file(path)  # a FIFO or a device is refused, never waited on
    except NotReadable as err:
        raise ConfigError(f"cannot read config {path}: {err.reason}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigError(f"invalid config {path}: {err}") from None


def _parse(table: dict[str, Any], path: Path, known: frozenset[str]) -> Config:
    where = f"invalid config {path}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.jamacheck] must be a table")
    for key in table:
        if key not in OPTIONS:
            raise ConfigError(f"{where}: unknown option {key!r} (options: {', '.join(OPTIONS)})")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{where}: 'strict' must be true or false")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of code = \"error\" | \"warning\"")
    for code, level in severity.items():
        if code.upper() not in known or level not in ("error", "warning"):
            raise ConfigError(f"{where}: severity {code} = {level!r}: need a rule code and \"error\" or \"warning\"")
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ConfigError(f"{where}: 'baseline' must be a file name (a string)")
    require_reason = table.get("require-reason", False)
    if not isinstance(require_reason, bool):
        raise ConfigError(f"{where}: 'require-reason' must be true or false")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = [codes]")
    return Config(
        path=path,
        select=codes(table.get("select", []), f"{where}: 'select'", known),
        ignore=codes(table.get("ignore", []), f"{where}: 'ignore'", known),
        strict=strict,
        exclude=tuple(_strings(table.get("exclude", []), f"{where}: 'exclude'")),
        severity={code.upper(): level for code, level in severity.items()},
        per_file_ignores={glob: codes(value, f"{where}: per-file-ignores {glob!r}", known)
                          for glob, value in per_file.items()},
        baseline=path.parent / baseline if baseline else None,
        require_reason=require_reason,
        paths=tuple(str(path.parent / entry) for entry in _strings(table.get("paths", []), f"{where}: 'paths'")),
    )


def codes(value: object, where: str, known: frozenset[str]) -> tuple[str, ...]:
    """Validate a list (or comma-separated string) of rule codes or prefixes."""
    items = value.split(",") if isinstance(value, str) else _strings(value, where)
    result = []
    for item in (item.strip().upper() for item in items):
        if not item:
            continue
        if not _CODE_PREFIX.match(item) or not any(code.startswith(item) for code in known):
            raise ConfigError(f"{where}: {item!r} is not a rule code or prefix (e.g. JC303, JC3)")
        result.append(item)
    return tuple(result)


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value
