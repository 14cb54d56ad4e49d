"""The command line. Parses options into Settings and hands over; no checking logic here."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from jamacheck import __version__
from jamacheck.report import FORMATS  # a tuple of names: importing it loads no format module

if TYPE_CHECKING:
    from jamacheck.engine import Report, Settings


def run_cli() -> None:
    """Console entry point: click's own errors exit 2; anything unexpected is one line, exit 2."""
    from jamacheck.interrupt import Interrupted, exit_interrupted, install

    install()  # Ctrl-C: exit 130 and one line, not click's "Aborted!" and exit 1
    try:
        main(standalone_mode=True)
    except (KeyboardInterrupt, Interrupted):
        exit_interrupted()
    except Exception as err:  # noqa: BLE001 - never a traceback (unless JAMACHECK_DEBUG=1)
        _stderr(f"jamacheck: internal error: {type(err).__name__}")
        _debug(err)
        sys.exit(2)


def _debug(err: BaseException) -> None:
    """With JAMACHECK_DEBUG=1, the traceback after the one line that names the error."""
    from jamacheck import debug

    if debug.enabled():
        from jamacheck import masking
        from jamacheck.escaping import escape_text

        click.echo(escape_text(masking.redact(debug.traceback_text(err)), keep_newlines=True), err=True, nl=False)


def _notes(lines: list[str]) -> None:
    sys.stdout.flush()  # the report first, then what was done
    for line in lines:
        _stderr(line)


def _stderr(line: str) -> None:
    """One line on stderr, masked and with control characters escaped (SPEC §6)."""
    from jamacheck import masking

    click.echo(masking.shown(line), err=True)


def _fail(message: str) -> NoReturn:
    _stderr(f"jamacheck: error: {message}")
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="jamacheck", message="%(prog)s %(version)s")
def main() -> None:
    """Check Jama Connect Interchange connector declarations (YAML)."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--live", is_flag=True, help="Also run the live checks against each instance.")
@click.option("--env-file", type=click.Path(), help="Extra environment for ${NAME} references (dotenv syntax).")
@click.option("--probe-write", is_flag=True, help="Live: prove write access by locking and unlocking one item per project.")
@click.option("--ca-bundle", type=click.Path(), help="Live: trust this CA (PEM) in addition to the default store.")
@click.option("--allow-insecure-http", is_flag=True, help="Live: allow sending credentials to an http:// URL.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--select", multiple=True, help="Comma-separated codes or prefixes to check (JC3, JC40); repeatable.")
@click.option("--ignore", multiple=True, help="Comma-separated codes or prefixes to skip; repeatable.")
@click.option("--strict", is_flag=True, default=None, help="Warnings also fail (exit 1).")
@click.option("--config", "config_file", type=click.Path(),
              help="Config file (default: the nearest .jamacheck.toml, jamacheck.toml or pyproject.toml "
                   "with [tool.jamacheck]).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Live: seconds per request.")
@click.option("--concurrency", type=click.IntRange(min=1, max=256), default=8, show_default=True,
              help="Live: connectors checked at once.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: FORCE_COLOR on, else NO_COLOR off, else on a terminal).")
@click.option("--show-source/--no-show-source", default=None,
              help="Show the offending line with a caret (default: on a terminal).")
@click.option("--statistics", is_flag=True, help="Text: one line per code with its count, instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Text: only the summary line (and the live table).")
@click.option("-v", "--verbose", is_flag=True, help="Also list the files skipped by discovery, and why (stderr).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also the unsafe fixes (JC301, JC304).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change nothing (exit 1 if any).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Hide the findings recorded in FILE.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record every current finding in FILE; exit 0.")
def check(paths: tuple[str, ...], output_format: str, output: str | None, select: tuple[str, ...],
          ignore: tuple[str, ...], strict: bool | None, config_file: str | None, color: bool | None,
          show_source: bool | None, statistics: bool, quiet: bool, verbose: bool, fix: bool,
          unsafe_fixes: bool, diff: bool, baseline: str | None, write_baseline: str | None,
          **live: Any) -> None:
    """Check connector files and folders (default: the current folder)."""
    from jamacheck.discovery import PathError
    from jamacheck.engine import InternalError
    from jamacheck.fix.command import CommandError, FixOptions, execute
    from jamacheck.report import RenderOptions, render

    if diff and live.get("live"):
        _fail("--diff cannot be combined with --live")
    if statistics and output_format != "text":
        _fail(f"--statistics applies to the text format, not --format {output_format}")
    settings = _settings(",".join(select), ",".join(ignore), strict, config_file, live)
    given = list(paths) or ["."]
    try:
        outcome = execute(given, settings, FixOptions(fix, unsafe_fixes, diff, baseline, write_baseline))
    except InternalError as err:
        _stderr(f"jamacheck: error: {err}")
        _debug(err)
        sys.exit(2)
    except (PathError, CommandError) as err:
        _fail(str(err))
    report = outcome.report
    _discovery_notes(report, given, verbose)
    if outcome.diff is not None:
        _write(outcome.diff, output, False)
        _notes(outcome.notes)
        sys.exit(outcome.exit_code)
    terminal = output is None and sys.stdout.isatty()
    color = _colour(color, terminal)
    options = RenderOptions(color=color, show_source=terminal if show_source is None else show_source,
                            statistics=statistics, quiet=quiet)
    text = render(output_format, report, options)
    _write(text, output, color)
    _notes(outcome.notes)  # after the report: what --fix did, the variables to set, stale baseline entries
    for line, error in report.internal_errors:  # the other files were checked and reported
        _stderr(f"jamacheck: error: {line}")
        _debug(error)
    if report.internal_errors:
        sys.exit(2)
    sys.exit(report.exit_code(settings.strict) if outcome.exit_code is None else outcome.exit_code)


def _discovery_notes(report: Report, given: list[str], verbose: bool) -> None:
    """``-v``: each file or folder discovery skipped, and why; a warning when nothing was checked."""
    if verbose:
        for path, reason in report.skipped:
            _stderr(f"jamacheck: skipped {path}: {reason}")
    if not report.files and not report.internal_errors:
        _stderr(f"jamacheck: warning: no connector files found in {', '.join(given)}")


def _colour(flag: bool | None, terminal: bool) -> bool:
    """--color/--no-color, else FORCE_COLOR (non-empty) on, else NO_COLOR (non-empty) off, else a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return terminal


def _settings(select: str, ignore: str, strict: bool | None, config_file: str | None,
              live: dict[str, Any]) -> Settings:
    from jamacheck import config as config_module
    from jamacheck.engine import Settings
    from jamacheck.rules.catalogue import BY_CODE
    from jamacheck.selection import Selection

    known = frozenset(BY_CODE)
    try:
        config = config_module.load(config_file, known)
        cli_select = config_module.codes(select or "", "--select", known)
        cli_ignore = config_module.codes(ignore or "", "--ignore", known)
    except config_module.ConfigError as err:
        _fail(str(err))
    selection = Selection(((cli_select, cli_ignore), (config.select, config.ignore)))
    settings = Settings(config, selection, config.strict if strict is None else strict)
    if live.pop("live"):
        from jamacheck.live.options import LiveOptions, OptionsError

        try:
            settings.live = LiveOptions.from_cli(**live, progress=sys.stderr.isatty())
        except OptionsError as err:
            _fail(str(err))
    return settings


def _write(text: str, output: str | None, color: bool) -> None:
    if output is None:
        click.echo(text, nl=False, color=color)
        return
    try:
        with open(output, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text)
    except OSError as err:
        _fail(f"cannot write {output}: {err.strerror}")


@main.command("rules")
@click.option("--markdown", is_flag=True, help="Print the table as Markdown (as in the README).")
def list_rules(markdown: bool) -> None:
    """List every rule: code, name, default severity, summary."""
    from jamacheck.rules.catalogue import ALL_RULES

    if markdown:
        from jamacheck.docs import rules_markdown

        click.echo(rules_markdown(ALL_RULES), nl=False)
        return
    width = max(len(rule.name) for rule in ALL_RULES)
    for rule in ALL_RULES:
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {rule.fixable:<6}  {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule: what it does, why it matters, an example and the fix."""
    from jamacheck.rules.catalogue import lookup

    rule = lookup(code)
    if rule is None:
        _fail(f"no rule {code!r}: see `jamacheck rules`")
    click.echo(rule.explain(), nl=False)


@main.command()
def schema() -> None:
    """Print the connector JSON Schema (Draft 2020-12)."""
    from jamacheck.schema import schema_text

    click.echo(schema_text(), nl=False)
