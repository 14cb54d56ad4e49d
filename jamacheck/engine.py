"""One run: discover files, check each, run cross-file and live checks, then filter and stamp."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jamacheck import masking, suppressions
from jamacheck.config import Config
from jamacheck.context import FileContext
from jamacheck.discovery import Candidate, discover
from jamacheck.finding import Finding
from jamacheck.reading import NotReadable, read_regular_file
from jamacheck.rules.catalogue import BY_CODE, FILE_CHECKS, RUN_CHECKS
from jamacheck.rules.jc0_suppressions import UNUSED_SUPPRESSION
from jamacheck.rules.jc1_yaml import DUPLICATE_KEY, INVALID_DOCUMENT, UNREADABLE_FILE
from jamacheck.selection import Selection, ignored_for_file
from jamacheck.yaml.compose import Composed, LoadProblem, compose
from jamacheck.yaml.secrets import FileSecrets, broken_file_secrets, parsed_file_secrets
from jamacheck.yaml.source import Source, UnreadableFile, decode
from jamacheck.yaml.tree import to_document


@dataclass
class Settings:
    config: Config = field(default_factory=Config)
    selection: Selection = field(default_factory=Selection)
    strict: bool = False
    live: object | None = None  # jamacheck.live.LiveOptions when --live is given


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
    live: list = field(default_factory=list)
    live_requested: bool = False
    # one line per file whose check failed unexpectedly (stderr; the exit code is then 2)
    internal_errors: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def exit_code(self, strict: bool) -> int:
        failing = ("error", "warning") if strict else ("error",)
        return 1 if any(finding.severity in failing for finding in self.findings) else 0


class InternalError(Exception):
    """An unexpected failure, reported in one line naming the file (exit 2)."""


def run(paths: list[str], settings: Settings) -> Report:
    masking.RUN.clear()  # a new run: the secrets of an earlier run (tests run many) mask nothing
    candidates = discover(paths, settings.config.exclude, settings.config.root)
    results, summaries, internal_errors = [], [], []
    for candidate in candidates:
        try:
            result = check_file(candidate)
        except Exception as err:  # noqa: BLE001 - one line naming the file; the other files go on
            internal_errors.append(f"internal error while checking {candidate.path}: {type(err).__name__}")
            _debug(err)
            continue
        if result.context is not None:
            summaries.extend(result.context.summaries())
            if settings.live is None:
                result.context = None  # keep memory flat over thousands of files
        results.append(result)
    extra = [finding for check in RUN_CHECKS for finding in check(summaries)]
    live_results = []
    if settings.live is not None:
        from jamacheck.live import run_live  # httpx: only with --live

        contexts = [result.context for result in results if result.context]
        live_results, live_findings = run_live(contexts, settings.live)
        extra.extend(live_findings)
    findings = _finalise(results, extra, settings)
    sources = {result.path: result.source for result in results if result.source}
    return Report([result.path for result in results], findings, sources, live_results,
                  settings.live is not None, internal_errors)


def _debug(err: BaseException) -> None:
    """With JAMACHECK_DEBUG=1, the traceback of a file's internal error goes to stderr."""
    from jamacheck import debug

    if debug.enabled():
        import sys

        from jamacheck.escaping import escape_text

        sys.stderr.write(escape_text(masking.redact(debug.traceback_text(err)), keep_newlines=True))


def check_file(candidate: Candidate) -> FileResult:
    path = candidate.path
    try:
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


def _read(path: str) -> bytes:
    try:
        return read_regular_file(path)
    except NotReadable as err:
        raise UnreadableFile(f"cannot read the file: {err.reason}") from None


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


def _finalise(results: list[FileResult], extra: list[Finding], settings: Settings) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {}
    for finding in extra:
        by_path.setdefault(finding.path, []).append(finding)
    final: list[Finding] = []
    for result in results:
        final.extend(_final_for(result, by_path.get(result.path, []), settings))
    return final


def _final_for(result: FileResult, extra: list[Finding], settings: Settings) -> list[Finding]:
    """One file's findings after selection and suppressions, with JC001, stamped and sorted."""
    ran = _ran_for(result.path, settings)
    findings = [f for f in (*result.findings, *extra) if ran(f.code)]
    findings = suppressions.apply(findings, result.directives)
    unused = suppressions.unused(result.path, result.directives, lambda c: c != UNUSED_SUPPRESSION.code and ran(c),
                                 lambda c: c in BY_CODE)
    findings += suppressions.apply([f for f in unused if ran(UNUSED_SUPPRESSION.code)], result.directives)
    return sorted((_stamp(f, settings) for f in findings), key=lambda f: (f.line, f.column, f.code))


def _ran_for(path: str, settings: Settings):
    config = settings.config
    relative = _relative(path, config.root)

    def ran(code: str) -> bool:
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
    severity = settings.config.severity.get(finding.code) or BY_CODE[finding.code].severity
    return finding.with_severity(severity)
