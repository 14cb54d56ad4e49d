"""Live checks (``--live``): each connector's chain against its instance, concurrently and politely.

Only this package imports httpx, and only when --live is given.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor, as_completed

from jamacheck.live import jama, jira
from jamacheck.live.http import Http, LiveError
from jamacheck.live.options import LiveOptions
from jamacheck.live.result import FAIL, PASS, SKIP, ConnectorResult
from jamacheck.live.session import Session, Unresolved, resolve
from jamacheck.references import is_reference
from jamacheck.rules.jc5_live import CONNECTION_FAILED, UNRESOLVED_SECRET
from jamacheck.urlparts import split

CHAINS = {"jama-connect": jama, "jira": jira}
AUTH_FIELDS = {("jama-connect", "basic"): ("username", "password"),
               ("jama-connect", "oauth"): ("client_id", "client_secret"),
               ("jira", "basic"): ("username", "password"), ("jira", "token"): ("token",)}


def run_live(contexts, options: LiveOptions):
    """Check every connector; return ``(results, findings)`` in file and connector order."""
    jobs = [(context, index, connector) for context in contexts for index, connector in context.connectors]
    http = Http(options)
    results: list[ConnectorResult] = [None] * len(jobs)  # type: ignore[list-item]
    try:
        with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
            futures = {pool.submit(check_connector, http, options, *job): n for n, job in enumerate(jobs)}
            for done, future in enumerate(as_completed(futures), 1):
                results[futures[future]] = future.result()
                _progress(options, done, len(jobs))
    finally:
        http.close()
    findings = [finding for result in results for finding in result.findings()]
    return results, findings


def _progress(options: LiveOptions, done: int, total: int) -> None:
    if options.progress and total > 1:
        end = "\n" if done == total else ""
        print(f"\rjamacheck: checked {done}/{total} connectors", end=end, file=sys.stderr, flush=True)


def check_connector(http: Http, options: LiveOptions, context, index: int, connector: dict) -> ConnectorResult:
    name = connector.get("name") if isinstance(connector.get("name"), str) else f"connectors[{index}]"
    line, column = context.document.position(("connectors", index), "key")
    result = ConnectorResult(name, context.path, line, column)
    application = connector.get("application")
    chain = CHAINS.get(application) if isinstance(application, str) else None
    names = chain.checks_for(connector, options.probe_write) if chain else ["secrets"]
    problem = _not_checkable(connector)
    if chain is None or problem:
        result.skip_rest(names, f"not checked: {problem or 'unknown application'}; fix the offline findings first")
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
    refusal = _transport_refusal(resolved["url"], options)
    if refusal:
        result.add("login", FAIL, refusal, CONNECTION_FAILED)
        result.skip_rest(names, "skipped: not connected")
        return result
    session = Session(http, options, resolved["url"].strip(), connector.get("verify_ssl", True) is not False)
    try:
        chain.run_chain(session, resolved, result, options.probe_write)
    except LiveError as err:  # a failure outside a named check: report it on the next one
        pending = [n for n in names if n not in {c.check for c in result.checks}]
        result.add(pending[0] if pending else "login", FAIL, err.detail, err.rule)
        result.skip_rest(names, "skipped after an earlier failure")
    for check in result.checks:  # every detail, whichever path produced it
        check.detail = session.redact(check.detail)
    result.checks.sort(key=lambda check: names.index(check.check) if check.check in names else len(names))
    return result


def _not_checkable(connector: dict) -> str | None:
    url, auth = connector.get("url"), connector.get("auth")
    if not isinstance(url, str) or not isinstance(auth, dict):
        return "no usable url or auth"
    key = (connector.get("application"), auth.get("type"))
    fields = AUTH_FIELDS.get(key) if all(isinstance(part, str) for part in key) else None
    if fields is None:
        return "unknown auth type"
    if any(not isinstance(auth.get(f), str) or not auth.get(f).strip() for f in fields):
        return "incomplete credentials"
    if not is_reference(url) and (split(url) is None or not split(url).hostname):
        return "invalid url"
    return None


def _transport_refusal(url: str, options: LiveOptions) -> str | None:
    parts = split(url.strip())
    if parts is None or not parts.hostname or parts.scheme.lower() not in ("http", "https"):
        return "the url (after resolving references) is not an absolute http(s) URL"
    if parts.scheme.lower() == "http" and not options.allow_insecure_http:
        return ("not connected: http:// would send the credentials in clear text; use https:// "
                "(or --allow-insecure-http for a local test server)")
    return None


__all__ = ["FAIL", "PASS", "SKIP", "LiveOptions", "run_live"]
