"""What `check` does with --fix, --diff, --unsafe-fixes, --baseline and --write-baseline.

The command line hands over here; this runs the checks (with the fix rounds when asked),
writes fixed files, applies or records the baseline, and says on stderr what it did.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from jamacheck.engine import Report, Settings, run
from jamacheck.finding import Finding

if TYPE_CHECKING:
    from collections import Counter

    from jamacheck.baseline import Key

VARIABLE_ADVICE = "set it in the environment, then rotate the old secret: it is in version control"


class CommandError(Exception):
    """The run cannot proceed (exit 2): an unreadable baseline, a file that cannot be written."""


@dataclass(frozen=True)
class FixOptions:
    fix: bool = False
    unsafe: bool = False
    diff: bool = False
    baseline: str | None = None
    write_baseline: str | None = None


@dataclass
class Outcome:
    report: Report
    notes: list[str] = field(default_factory=list)  # stderr lines, in order
    diff: str | None = None  # --diff: the text for stdout (instead of the report)
    exit_code: int | None = None  # when not the report's own


def _load_baseline(file: str) -> Counter[Key]:
    """The recorded entries (imported only when a baseline is used: hashlib costs start-up)."""
    from jamacheck import baseline as baselines

    try:
        return baselines.load(file)
    except baselines.BaselineError as err:
        from jamacheck.masking import shown

        raise CommandError(shown(str(err))) from None


def execute(paths: list[str], settings: Settings, options: FixOptions) -> Outcome:
    baseline_file = None if options.write_baseline else _baseline_file(options, settings)
    recorded = _load_baseline(baseline_file) if baseline_file else None

    def visible(report: Report) -> list[Finding]:
        if recorded is None or baseline_file is None:
            return report.findings
        from jamacheck import baseline as baselines

        return baselines.apply(baseline_file, recorded, report.findings, report.sources, report.files).visible

    if options.diff:
        return _diff(paths, settings, options, visible)
    outcome = _fix(paths, settings, options, visible) if options.fix else Outcome(run(paths, settings))
    if options.write_baseline:
        return _write_baseline(outcome, options.write_baseline)
    if recorded is not None and baseline_file is not None:
        from jamacheck import baseline as baselines

        report = outcome.report
        applied = baselines.apply(baseline_file, recorded, report.findings, report.sources, report.files)
        report.findings, report.hidden = applied.visible, applied.hidden
        from jamacheck.masking import shown

        outcome.notes.extend(f"jamacheck: warning: stale baseline entry: {shown(path)} {shown(code)} (fingerprint "
                             f"{shown(fingerprint[:12])}) matches no finding any more; remove it or write the "
                             "baseline again with --write-baseline" for path, code, fingerprint in applied.stale)
    return outcome


def _baseline_file(options: FixOptions, settings: Settings) -> str | None:
    if options.baseline:
        return options.baseline
    configured = getattr(settings.config, "baseline", None)
    return os.fspath(configured) if configured else None


def _diff(paths: list[str], settings: Settings, options: FixOptions,
          visible: Callable[[Report], list[Finding]]) -> Outcome:
    from jamacheck.fix.diff import diffs
    from jamacheck.fix.loop import fix_run

    result = fix_run(paths, replace(settings, live=None), options.unsafe, visible)
    text = "".join(diffs(result.files, result.before, result.report.sources))
    notes = [f"jamacheck: would fix {_count(result.findings, 'finding')} in {_count(len(result.files), 'file')}"
             ] if result.files else []
    return Outcome(result.report, notes, text, 1 if result.files else 0)


def _fix(paths: list[str], settings: Settings, options: FixOptions,
         visible: Callable[[Report], list[Finding]]) -> Outcome:
    from jamacheck.fix.loop import fix_run
    from jamacheck.fix.write import WriteError, write_atomically
    from jamacheck.masking import shown

    result = fix_run(paths, replace(settings, live=None), options.unsafe, visible)
    notes: list[str] = []
    for item in result.files:
        try:
            write_atomically(item.path, item.fixed)
        except WriteError as err:
            raise CommandError(str(err)) from None
        notes.extend(f"jamacheck: {shown(item.path)}: wrote ${{{name}}}: {VARIABLE_ADVICE}" for name in item.variables)
    if result.files:
        notes.insert(0, f"jamacheck: fixed {_count(result.findings, 'finding')} in "
                        f"{_count(len(result.files), 'file')}")
    report = run(paths, settings) if settings.live is not None else result.report
    return Outcome(report, notes)


def _write_baseline(outcome: Outcome, file: str) -> Outcome:
    from jamacheck.baseline import BaselineError, write

    try:
        count = write(file, outcome.report.findings, outcome.report.sources)
    except BaselineError as err:
        raise CommandError(str(err)) from None
    outcome.notes.append(f"jamacheck: recorded {_count(count, 'finding')} in the baseline {file}")
    outcome.exit_code = 0
    return outcome


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
