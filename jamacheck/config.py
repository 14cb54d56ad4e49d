"""Settings from ``[tool.jamacheck]`` (nearest pyproject.toml) or ``--config FILE``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

OPTIONS = ("select", "ignore", "strict", "exclude", "severity", "per-file-ignores", "baseline")
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

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(explicit: str | None, known_codes: frozenset[str]) -> Config:
    if explicit:
        path = Path(explicit)
        table = _read(path)
        table = table.get("tool", {}).get("jamacheck", table) if "tool" in table else table
    else:
        path = find_pyproject(Path.cwd())
        if path is None:
            return Config()
        table = _read(path).get("tool", {}).get("jamacheck")
        if table is None:
            return Config()
    return _parse(table, path.resolve(), known_codes)


def _read(path: Path) -> dict:
    import tomllib

    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read config {path}: {err.strerror}") from None
    except (ValueError, UnicodeDecodeError) as err:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigError(f"invalid config {path}: {err}") from None


def _parse(table: dict, path: Path, known: frozenset[str]) -> Config:
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
    )


def codes(value, where: str, known: frozenset[str]) -> tuple[str, ...]:
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


def _strings(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value
