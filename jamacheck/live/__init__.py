"""Live checks (``--live``): each connector's chain against its instance, concurrently and politely.

Only this package imports httpx, and only when --live is given.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from jamacheck.finding import Finding
from jamacheck.interrupt import Interrupted, exit_interrupted
from jamacheck.live import jama, jira, secrets
from jamacheck.live.http import Cancelled, Http, LiveError
from jamacheck.live.options import LiveOptions
from jamacheck.live.result import FAIL, PASS, SKIP, ConnectorResult
from jamacheck.live.session import Session, Unresolved, base_url, resolve
from jamacheck.live.vetting import not_contactable, resolved_url_problem
from jamacheck.rules.jc5_live import UNRESOLVED_SECRET

if TYPE_CHECKING:
    from jamacheck.context import FileContext

CHAINS: dict[str, Any] = {"jama-connect": jama, "jira": jira}
Job = tuple["FileContext", int, dict[str, Any]]


def run_live(contexts: Sequence[FileContext], options: LiveOptions, offline: Iterable[Finding] = (),
             transport: Any = None, sleep: Callable[[float], None] | None = None,
             ) -> tuple[list[ConnectorResult], list[Finding]]:
    """Check every connector; return ``(results, findings)`` in file and connector order.

    ``offline`` are the files' own findings (before selection): a connector with an offline
    error in its url or auth is not contacted. Ctrl-C: exit 130 within a second.
    """
    offline = list(offline)
    jobs: list[Job] = [(context, index, connector) for context in contexts for index, connector in context.connectors]
    http = Http(options, transport, sleep)
    results: list[ConnectorResult | None] = [None] * len(jobs)
    failures: list[Exception] = []
    pending: queue.Queue[int] = queue.Queue()
    for number in range(len(jobs)):
        pending.put(number)

    def work() -> None:
        while True:
            try:
                number = pending.get_nowait()
            except queue.Empty:
                return
            try:
                results[number] = check_connector(http, options, *jobs[number], offline)
            except Cancelled:
                return
            except Exception as err:  # noqa: BLE001 - a bug, not a server's doing: one line and exit 2, via the CLI
                failures.append(err)
                http.cancel()
                return
            _progress(options, sum(r is not None for r in results), len(jobs))

    workers = [threading.Thread(target=work, daemon=True) for _ in range(min(options.concurrency, len(jobs)))]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            while worker.is_alive():
                worker.join(0.05)
    except (KeyboardInterrupt, Interrupted):
        _interrupted(http)
    if failures:
        raise failures[0]
    done = [result for result in results if result is not None]
    return done, [finding for result in done for finding in result.findings()]


def _interrupted(http: Http) -> None:
    """Ctrl-C: stop every connector at its next request, unlock what --probe-write holds, exit 130."""
    from jamacheck.live.probe import unlock_all

    http.cancel()
    try:
        unlock_all()
    finally:
        exit_interrupted()


def _progress(options: LiveOptions, done: int, total: int) -> None:
    if options.progress and total > 1:
        end = "\n" if done == total else ""
        print(f"\rjamacheck: checked {done}/{total} connectors", end=end, file=sys.stderr, flush=True)


def check_connector(http: Http, options: LiveOptions, context: FileContext, index: int,
                    connector: dict[str, Any], offline: Sequence[Finding] = ()) -> ConnectorResult:
    raw_name = connector.get("name")
    name = raw_name if isinstance(raw_name, str) and raw_name.strip() else f"connectors[{index}]"
    line, column = context.document.position(("connectors", index), "key")
    result = ConnectorResult(name, context.path, line, column)
    application = connector.get("application")
    chain = CHAINS.get(application) if isinstance(application, str) else None
    names = chain.checks_for(connector, options.probe_write) if chain else ["secrets", "login"]
    problem = "unknown application" if chain is None else not_contactable(context, index, connector, offline, options)
    if problem:
        result.skip_rest(names, f"not contacted: {problem}")
        return result
    try:
        resolved = resolve(connector, options.environment)
    except Unresolved as missing:
        verb = "is" if len(missing.names) == 1 else "are"
        detail = (f"{', '.join(missing.names)} {verb} not set (or empty): export it or pass --env-file; "
                  "no request was sent")
        result.add("secrets", FAIL, detail, UNRESOLVED_SECRET)
        result.skip_rest(names, "skipped: a secret is not set")
        return result
    result.add("secrets", PASS, "every reference is set")
    _contact(http, options, connector, resolved, result, names)
    for check in result.checks:  # every detail, whichever path produced it
        check.detail = secrets.mask(check.detail)
    order = {check: n for n, check in enumerate(names)}
    result.checks.sort(key=lambda check: order.get(check.check, len(names)))
    return result


def _contact(http: Http, options: LiveOptions, connector: dict[str, Any], resolved: dict[str, Any],
             result: ConnectorResult, names: list[str]) -> None:
    refusal = resolved_url_problem(connector["url"], resolved["url"], options)
    if refusal:
        result.add("login", FAIL, refusal[1], refusal[0])
        result.skip_rest(names, "skipped: not contacted")
        return
    chain = CHAINS[connector["application"]]
    session: Session | None = None
    try:
        url = base_url(resolved["url"])
        session = Session(http, http.client(url, connector.get("verify_ssl", True) is not False), url)
        chain.run_chain(session, resolved, result, options.probe_write)
    except LiveError as err:  # a failure outside a named check: report it on the next one
        pending = [n for n in names if n not in {c.check for c in result.checks}]
        result.add(pending[0] if pending else "login", FAIL, err.detail, err.rule)
        result.skip_rest(names, "skipped after an earlier failure")
    finally:
        if session is not None:
            session.close()


__all__ = ["FAIL", "PASS", "SKIP", "LiveOptions", "run_live"]
