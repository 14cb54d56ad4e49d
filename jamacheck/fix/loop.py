"""--fix and --diff: apply the fixes of the reported findings, check again, repeat (bounded).

Each round applies, per file, the fixes whose edits do not overlap one already chosen
(identical fixes of several findings once), then the whole run is checked again on the
new text in memory, so overlapping fixes and fixes that only show after another one
(an application spelled `Jira` hides its auth type's mistakes) are done in later rounds.
A file with JC100, JC102 or JC103, a file that is not a connector file, or a file whose
text YAML and Python split into lines differently is never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from jamacheck import masking
from jamacheck.discovery import is_connector_file, read_regular
from jamacheck.engine import Report, Settings, run
from jamacheck.finding import Finding
from jamacheck.fix.model import SAFE, Fix
from jamacheck.fix.text import ODD_BREAKS, Lines, Spans, apply_spans, spans
from jamacheck.rules.jc1_yaml import INVALID_DOCUMENT, UNREADABLE_FILE, YAML_SYNTAX
from jamacheck.yaml.source import Source

MAX_ROUNDS = 10
BOM = b"\xef\xbb\xbf"
ALWAYS_REPORTED = frozenset(rule.code for rule in (YAML_SYNTAX, INVALID_DOCUMENT, UNREADABLE_FILE))


@dataclass
class FileFix:
    """What the fixes did to one file."""

    path: str
    original: bytes
    fixed: bytes
    findings: int = 0
    variables: list[str] = field(default_factory=list)  # JC301: ${NAME} written


@dataclass
class Outcome:
    report: Report  # the findings that remain after the fixes
    files: list[FileFix]  # the files whose bytes changed, in the run's order
    before: dict[str, Source]  # each file's text before the fixes (to mask its lines in a diff)

    @property
    def findings(self) -> int:
        return sum(item.findings for item in self.files)


def fix_run(paths: list[str], settings: Settings, unsafe: bool,
            visible: Callable[[Report], list[Finding]]) -> Outcome:
    """Fix what ``visible`` shows of each run's report, in memory; nothing is written here."""
    report = run(paths, settings)
    before = dict(report.sources)
    secrets = masking.RUN.values()  # each later run starts afresh: keep the secrets the fixes remove
    frozen = _broken(report) | {path for path in report.files if not _connector_file(path, report)}
    changes: dict[str, FileFix] = {}
    for _ in range(MAX_ROUNDS):
        if not _round(report, visible(report), unsafe, frozen, changes):
            break
        report = run(paths, settings, {path: item.fixed for path, item in changes.items()})
        failed = _broken(report)
        broken = [path for path in changes if path in failed]
        for path in broken:  # a fix must never break a file: keep it as it was
            del changes[path]
            frozen.add(path)
        if broken:
            report = run(paths, settings, {path: item.fixed for path, item in changes.items()})
    files = [changes[path] for path in report.files if path in changes and changes[path].fixed != changes[path].original]
    masking.RUN.add_all(secrets)
    return Outcome(report, files, before)


def _round(report: Report, findings: list[Finding], unsafe: bool, frozen: set[str],
           changes: dict[str, FileFix]) -> bool:
    """Apply one round of fixes; True when some file changed."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and (fix.applicability == SAFE or unsafe) and finding.path not in frozen:
            by_path.setdefault(finding.path, []).append(finding)
    changed = False
    for path, fixable in by_path.items():
        item = changes.get(path) or _start(path, report)
        if item is None:
            frozen.add(path)
            continue
        if _apply(item, fixable):
            changes[path] = item
            changed = True
    return changed


def _start(path: str, report: Report) -> FileFix | None:
    """The file's bytes as they were checked, or None when it must not be fixed."""
    source = report.sources.get(path)
    try:
        data = read_regular(path)  # at most 1 MiB + 1 bytes, regular files only
    except OSError:
        return None
    if source is None or _text(data) != source.text or any(char in ODD_BREAKS for char in source.text):
        return None  # changed since it was read, or lines that YAML and Python count differently
    return FileFix(path, data, data)


def _text(data: bytes) -> str | None:
    try:
        return data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _apply(item: FileFix, findings: list[Finding]) -> bool:
    text = _text(item.fixed)
    if text is None:
        return False
    lines = Lines(text)
    chosen = Spans()
    applied: dict[Fix, set[tuple[int, int, str, str]]] = {}  # each fix and the findings it removes (one per place)
    for finding in sorted(findings, key=lambda f: (f.line, f.column)):
        fix = finding.fix
        assert fix is not None
        if fix in applied:  # the same edits for another finding (an anchored value, one comment)
            applied[fix].add((finding.line, finding.column, finding.code, finding.message))
            continue
        try:
            wanted = spans(lines, fix.edits)
        except ValueError:
            continue
        if not _fits(chosen, wanted):
            continue  # the next round, after a new check, decides about it
        for span in wanted:
            chosen.add(span)
        applied[fix] = {(finding.line, finding.column, finding.code, finding.message)}
    if not chosen.chosen:
        return False
    bom = BOM if item.fixed.startswith(BOM) else b""
    item.fixed = bom + apply_spans(text, chosen.chosen).encode("utf-8")
    item.findings += len(set().union(*applied.values()))
    item.variables.extend(fix.variable for fix in applied if fix.variable)
    return True


def _fits(chosen: Spans, wanted: list[tuple[int, int, str]]) -> bool:
    """Do a fix's edits fit among the chosen ones (and among themselves)?"""
    ordered = sorted(wanted)
    inside = all(a[1] <= b[0] and a[0] != b[0] for a, b in pairwise(ordered))
    return inside and all(chosen.fits(start, end) for start, end, _ in ordered)


def _connector_file(path: str, report: Report) -> bool:
    source = report.sources.get(path)
    return source is not None and is_connector_file(path, source.text.encode("utf-8", errors="surrogateescape"))


def _broken(report: Report) -> set[str]:
    """The files with JC100, JC102 or JC103: nothing else was checked in them, and they are never written."""
    return {finding.path for finding in report.findings if finding.code in ALWAYS_REPORTED}
