"""One run: discover files, check each, run cross-file and live checks, then filter and stamp."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from jamacheck import masking, suppressions
from jamacheck.config import Config
from jamacheck.context import ConnectorSummary, FileContext
from jamacheck.discovery import Candidate, Discovery, PathError, discover, read_regular
from jamacheck.finding import Finding
from jamacheck.fix.suggest import RUN_NAMES
from jamacheck.rules.catalogue import BY_CODE, FILE_CHECKS, RUN_CHECKS
from jamacheck.rules.jc0_suppressions import UNUSED_SUPPRESSION
from jamacheck.rules.jc1_yaml import ALWAYS_REPORTED, DUPLICATE_KEY, INVALID_DOCUMENT, UNREADABLE_FILE
from jamacheck.selection import Selection, ignored_for_file
from jamacheck.yaml.compose import Composed, LoadProblem, compose
from jamacheck.yaml.file_secrets import FileSecrets, broken_file_secrets, parsed_file_secrets
from jamacheck.yaml.source import Source, UnreadableFile, decode
from jamacheck.yaml.tree import to_document

if TYPE_CHECKING:
    from jamacheck.live.options import LiveOptions
    from jamacheck.live.result import ConnectorResult


@dataclass
class Settings:
    config: Config = field(default_factory=Config)
    selection: Selection = field(default_factory=Selection)
    strict: bool = False
    live: LiveOptions | None = None  # when --live is given


@dataclass
class FileResult:
    path: str
    source: Source | None
    context: FileContext | None
    findings: list[Finding]
    directives: list[suppressions.Directive] = field(default_factory=list)


@dataclass
class Report:
    files: list[str]
    findings: list[Finding]
    sources: dict[str, Source]
    live: list[ConnectorResult] = field(default_factory=list)
    live_requested: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): discovery, for -v
    hidden: int | None = None  # findings a baseline hid (None: no baseline in use)
    # per file whose check failed unexpectedly: its stderr line and the error (the exit code is 2)
    internal_errors: list[tuple[str, BaseException]] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def exit_code(self, strict: bool) -> int:
        failing = ("error", "warning") if strict else ("error",)
        return 1 if any(finding.severity in failing for finding in self.findings) else 0


class InternalError(Exception):
    """An unexpected failure, reported in one line naming the file (exit 2)."""


def run(paths: list[str], settings: Settings, overrides: dict[str, bytes] | None = None) -> Report:
    """Check ``paths``; ``overrides`` gives the bytes to check instead of a file's (--fix rounds)."""
    masking.RUN.clear()  # a new run: the secrets of an earlier run (tests run many) mask nothing
    found = discover(paths, settings.config.exclude, settings.config.root)
    if overrides:
        found = replace(found, files=[replace(c, data=overrides[c.path]) if c.path in overrides else c
                                      for c in found.files])
    RUN_NAMES.start([functools.partial(_candidate_bytes, candidate) for candidate in found.files])
    results, summaries = [], []
    errors: list[tuple[str, BaseException]] = []
    for candidate in found.files:
        result = _checked(candidate, errors)
        if result is None:
            continue  # one stderr line names the file; the other files are still checked
        if result.context is not None:
            summaries.extend(result.context.summaries())
            if settings.live is None:
                result.context = None  # keep memory flat over thousands of files
        results.append(result)
    if settings.config.paths:
        summaries = _with_repository(found, summaries, settings, errors)
    extra = [finding for check in RUN_CHECKS for finding in check(summaries)]
    live_results: list[ConnectorResult] = []
    if settings.live is not None:
        from jamacheck.live import run_live  # httpx: only with --live

        contexts = [result.context for result in results if result.context]
        offline = [finding for result in results for finding in result.findings]  # before selection
        live_results, live_findings = run_live(contexts, settings.live, offline)
        extra.extend(live_findings)
    complete = bool(settings.config.paths) or all(os.path.isdir(path) for path in paths)
    findings = _finalise(results, extra, settings, complete)
    sources = {result.path: result.source for result in results if result.source}
    return Report([result.path for result in results], findings, sources, live_results,
                  settings.live is not None, found.skipped, internal_errors=errors)


def _checked(candidate: Candidate, errors: list[tuple[str, BaseException]]) -> FileResult | None:
    """The file's result, or None after an internal error (recorded in one line naming the file)."""
    try:
        return check_file(candidate)
    except Exception as err:  # noqa: BLE001 - never a traceback; the other files go on (SPEC §9)
        errors.append((f"internal error while checking {candidate.path}: {type(err).__name__}", err))
        return None


def _with_repository(found: Discovery, given: list[ConnectorSummary], settings: Settings,
                     errors: list[tuple[str, BaseException]]) -> list[ConnectorSummary]:
    """The given files' connectors among every connector under ``paths``, in a full run's order.

    Files under ``paths`` that were not given are read for context only: their connectors are
    marked not given, so cross-file rules report nothing in them (SPEC §4 ``paths``).
    """
    by_file: dict[str, list[ConnectorSummary]] = {}
    for summary in given:
        by_file.setdefault(summary.path, []).append(summary)
    try:
        repository = discover([os.path.relpath(path) for path in settings.config.paths],
                              settings.config.exclude, settings.config.root)
    except PathError as err:
        raise PathError(f"{err} (in `paths` of {settings.config.path})") from None
    keys = {candidate.identity: candidate.path for candidate in found.files}
    ordered: list[ConnectorSummary] = []
    for candidate in repository.files:
        if candidate.identity in keys:
            ordered.extend(by_file.pop(keys[candidate.identity], []))
            continue
        result = _checked(candidate, errors)
        context = result.context if result is not None else None
        if context is not None:
            ordered.extend(replace(summary, given=False) for summary in context.summaries())
    return ordered + [summary for summaries in by_file.values() for summary in summaries]


def check_file(candidate: Candidate) -> FileResult:
    path = candidate.path
    try:
        if candidate.problem is not None:
            raise UnreadableFile(candidate.problem)
        data = candidate.data if candidate.data is not None else _read(path)
        source = Source(decode(data))
    except UnreadableFile as err:
        return FileResult(path, None, None, [UNREADABLE_FILE.at(path, 1, 1, str(err))])
    directives = suppressions.parse(source.lines)
    try:
        composed = compose(source)
    except LoadProblem as problem:
        source = _with_secrets(source, broken_file_secrets(source.lines))
        return FileResult(path, source, None, [problem.finding(path)], directives)
    source = _with_secrets(source, parsed_file_secrets(source.lines, composed))
    try:
        context, findings = _load(path, source, composed)
    except LoadProblem as problem:
        return FileResult(path, source, None, [problem.finding(path)], directives)
    for check in FILE_CHECKS:
        findings.extend(check(context))
    return FileResult(path, source, context, findings, directives)


def _candidate_bytes(candidate: Candidate) -> bytes | None:
    """A file's bytes for the run-wide ``${NAME}`` names (None when it cannot be read)."""
    if candidate.problem is not None:
        return None
    try:
        return candidate.data if candidate.data is not None else _read(candidate.path)
    except UnreadableFile:
        return None


def _read(path: str) -> bytes:
    try:
        return read_regular(path)
    except OSError as err:
        raise UnreadableFile(f"cannot read the file: {err.strerror or err}") from None


def _with_secrets(source: Source, secrets: FileSecrets) -> Source:
    """The file's secrets: masked where they stand in this file, and in every output of the run."""
    masking.RUN.add_all(secrets.values)
    return source.with_secrets(tuple(secrets.spans), tuple(secrets.tails), tuple(secrets.comments))


def _load(path: str, source: Source, composed: Composed) -> tuple[FileContext, list[Finding]]:
    root = composed.root
    if root is None:
        raise LoadProblem(INVALID_DOCUMENT, 0, 0, "file is empty: a connector file holds `connectors:` with a list")
    if root.kind != "map":
        kind = {"seq": "a list", "scalar": "a scalar"}[root.kind]
        raise LoadProblem(INVALID_DOCUMENT, 0, 0, f"the document is {kind}, not a mapping: start it with `connectors:`")
    context = FileContext(path, source, to_document(root, source.lines))
    duplicates = [
        DUPLICATE_KEY.at(path, key.line + 1, key.column + 1,
                f"key `{key.value}` is repeated (first at line {first.line + 1}); YAML keeps only the "
                "last one: remove one of them")
        for key, first in composed.duplicate_keys
    ]
    return context, duplicates


def _finalise(results: list[FileResult], extra: list[Finding], settings: Settings, complete: bool) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {}
    for finding in extra:
        by_path.setdefault(finding.path, []).append(finding)
    final: list[Finding] = []
    for result in results:
        final.extend(_final_for(result, by_path.get(result.path, []), settings, complete))
    return final


def _final_for(result: FileResult, extra: list[Finding], settings: Settings, complete: bool) -> list[Finding]:
    """One file's findings after selection and suppressions, with JC001/JC002, stamped and sorted."""
    ran = _ran_for(result.path, settings)
    findings = _unique(f for f in (*result.findings, *extra) if ran(f.code))
    findings, used = suppressions.apply(findings, result.directives, _silenceable)
    if not any(finding.code in ALWAYS_REPORTED for finding in findings):  # else nothing else was checked
        notes = _notes(result, used, ran, settings, complete)
        findings += suppressions.apply([f for f in notes if ran(f.code)], result.directives, _silenceable)[0]
    return sorted((_stamp(f, settings) for f in findings), key=lambda f: (f.line, f.column, f.code))


def _notes(result: FileResult, used: suppressions.Used, ran: Callable[[str], bool], settings: Settings,
           complete: bool) -> list[Finding]:
    """JC001 and JC002 on the file's suppression comments.

    A cross-file code counts as unused only when every connector file was seen (a folder run,
    or ``paths`` configured): in a partial run it may serve a file that was not given.
    """
    def counts(code: str) -> bool:
        return code != UNUSED_SUPPRESSION.code and ran(code) and (complete or BY_CODE[code].check_all is None)

    lines = result.source.lines if result.source is not None else None
    notes = suppressions.unused(result.path, result.directives, used, counts, lambda c: c in BY_CODE, lines)
    if settings.config.require_reason:
        notes += suppressions.without_reason(result.path, result.directives)
    return notes


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Identical findings once: a mistake in an anchored block shared by several connectors."""
    seen: set[tuple[int, int, str, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.line, finding.column, finding.code, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _silenceable(code: str) -> bool:
    return code not in ALWAYS_REPORTED


def _ran_for(path: str, settings: Settings) -> Callable[[str], bool]:
    config = settings.config
    relative = _relative(path, config.root)

    def ran(code: str) -> bool:
        if code in ALWAYS_REPORTED:
            return True
        if settings.live is None and code in BY_CODE and BY_CODE[code].live:
            return False
        if not settings.selection.enabled(code):
            return False
        return not ignored_for_file(path, code, config.per_file_ignores, relative)

    return ran


def _relative(path: str, root: Path) -> str | None:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return None


def _stamp(finding: Finding, settings: Settings) -> Finding:
    if finding.code in ALWAYS_REPORTED:
        return finding.with_severity("error")
    severity = settings.config.severity.get(finding.code) or BY_CODE[finding.code].severity
    return finding.with_severity(severity)
