"""A baseline (SPEC §8): findings recorded once and hidden afterwards, so only new ones fail.

A finding's fingerprint hashes its path (relative to the baseline file's folder), code,
connector name and the masked, stripped text of its line — not the line number, so it
survives lines moving — plus an occurrence index that tells apart lines reading alike
(the second `- REQ` of a connector is another finding than the first). Findings of one
code on one line share a fingerprint: the entry counts them. JC100, JC102 and JC103 are
never recorded and never hidden. The file is a JSON list of ``{"path", "code", "fingerprint"}``
entries (``"count"`` where it is more than 1), sorted.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jamacheck.finding import Finding
from jamacheck.rules.jc1_yaml import ALWAYS_REPORTED
from jamacheck.yaml.source import Source

Key = tuple[str, str, str]  # path relative to the baseline, code, fingerprint


class BaselineError(Exception):
    """The baseline file cannot be read or written (exit 2)."""


@dataclass(frozen=True)
class Applied:
    visible: list[Finding]
    hidden: int
    stale: list[Key]  # recorded entries of the files checked that matched nothing


def keys(findings: list[Finding], sources: dict[str, Source], folder: Path) -> list[Key]:
    """One key per finding, in the order given."""
    seen_lines: dict[tuple[str, str, str, str], list[int]] = {}
    result = []
    for finding in findings:
        path = _relative(finding.path, folder)
        text = _line_text(sources.get(finding.path), finding.line)
        group = (path, finding.code, finding.connector or "", text)
        lines = seen_lines.setdefault(group, [])
        if finding.line not in lines:
            lines.append(finding.line)
        occurrence = sorted(lines).index(finding.line)
        raw = "\0".join((*group, str(occurrence))).encode("utf-8", errors="surrogatepass")
        result.append((path, finding.code, hashlib.sha256(raw).hexdigest()[:32]))
    return result


def _relative(path: str, folder: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, folder)).as_posix()
    except ValueError:  # another drive
        return Path(absolute).as_posix()


def _line_text(source: Source | None, line: int) -> str:
    if source is None or not 1 <= line <= len(source.lines):
        return ""
    return source.masked_line(line - 1).strip()


def write(file: str, findings: list[Finding], sources: dict[str, Source]) -> int:
    """Record ``findings`` (the always-reported codes left out) in ``file``; return how many."""
    recorded = [finding for finding in findings if finding.code not in ALWAYS_REPORTED]
    counts = Counter(keys(sorted(recorded, key=lambda f: (f.path, f.line, f.column, f.code)), sources,
                          _folder(file)))
    entries = []
    for (path, code, fingerprint), count in sorted(counts.items()):
        entry: dict[str, object] = {"path": path, "code": code, "fingerprint": fingerprint}
        if count > 1:
            entry["count"] = count
        entries.append(entry)
    text = json.dumps(entries, indent=2, ensure_ascii=True) + "\n"
    try:
        Path(file).write_text(text, encoding="utf-8")
    except OSError as err:
        raise BaselineError(f"cannot write the baseline {file}: {err.strerror or err}") from None
    return len(recorded)


def _folder(file: str) -> Path:
    return Path(os.path.dirname(os.path.abspath(file)))


def load(file: str) -> Counter[Key]:
    """The recorded entries of ``file`` with their counts."""
    from jamacheck.reading import NotReadable, read_small_file

    try:
        data = read_small_file(file)  # a FIFO or a device is refused, never waited on
    except NotReadable as err:
        raise BaselineError(f"cannot read the baseline {file}: {err.reason}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise BaselineError(f"the baseline {file} is not JSON: {err}") from None
    entries = document
    if not isinstance(entries, list):
        raise BaselineError(f"the baseline {file} is not a list of entries: write it with --write-baseline")
    recorded: Counter[Key] = Counter()
    for number, entry in enumerate(entries, 1):
        if not _valid(entry):
            raise BaselineError(f"the baseline {file}: entry {number} is not "
                                '{"path", "code", "fingerprint"[, "count"]}')
        recorded[(entry["path"], entry["code"], entry["fingerprint"])] += entry.get("count", 1)
    return recorded


def _valid(entry: object) -> bool:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("path", "code", "fingerprint")):
        return False
    count = entry.get("count", 1)
    return isinstance(count, int) and not isinstance(count, bool) and count >= 1


def apply(file: str, recorded: Counter[Key], findings: list[Finding], sources: dict[str, Source],
          checked: list[str]) -> Applied:
    """Hide each finding that a recorded entry still covers; list the entries that cover nothing."""
    folder = _folder(file)
    left = Counter(recorded)
    order = sorted(range(len(findings)), key=lambda i: (findings[i].path, findings[i].line, findings[i].column))
    finding_keys = keys([findings[i] for i in order], sources, folder)
    hidden_at: set[int] = set()
    for index, key in zip(order, finding_keys, strict=True):
        if findings[index].code not in ALWAYS_REPORTED and left[key] > 0:
            left[key] -= 1
            hidden_at.add(index)
    visible = [finding for index, finding in enumerate(findings) if index not in hidden_at]
    files = {_relative(path, folder) for path in checked}
    stale = sorted(key for key, count in recorded.items() if left[key] == count and key[0] in files)
    return Applied(visible, len(hidden_at), stale)
