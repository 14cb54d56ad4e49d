"""JC401-JC403: one connector per name and per instance, each at the instance's base URL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jamacheck.context import ConnectorSummary, FileContext
from jamacheck.finding import Finding
from jamacheck.references import is_reference
from jamacheck.rules._rule import Rule
from jamacheck.urlparts import instance_key, page_path, split


def _repeats(connectors: Iterable[ConnectorSummary], key_of) -> Iterator[tuple[ConnectorSummary, ConnectorSummary]]:
    """``(later, first)`` for each connector whose ``key_of`` was already seen."""
    first: dict = {}
    for connector in connectors:
        key = key_of(connector)
        if key is None:
            continue
        if key in first:
            yield connector, first[key]
        else:
            first[key] = connector


def _name_key(connector: ConnectorSummary):
    name = connector.name
    return name.strip().casefold() if isinstance(name, str) and name.strip() else None


def _instance_key(connector: ConnectorSummary):
    url, application = connector.url, connector.application
    if not isinstance(url, str) or is_reference(url) or not isinstance(application, str):
        return None
    key = instance_key(url)
    return (application, *key) if key else None


def check_duplicate_names(connectors: Iterable[ConnectorSummary]) -> Iterator[Finding]:
    for later, first in _repeats(connectors, _name_key):
        yield DUPLICATE_CONNECTOR_NAME.at(later.path, *later.name_at, (
            f"connector name is already used at {first.path}:{first.name_at[0]}: names must be unique "
            "(compared without case); rename one"), later.display_name)


def check_duplicate_instances(connectors: Iterable[ConnectorSummary]) -> Iterator[Finding]:
    for later, first in _repeats(connectors, _instance_key):
        yield DUPLICATE_INSTANCE.at(later.path, *later.url_at, (
            f"connector {first.name!r} at {first.path}:{first.url_at[0]} already points at this "
            "instance: one connector serves every integration with it; reuse that one"), later.display_name)


def check_base_url(context: FileContext) -> Iterator[Finding]:
    for path, url in context.literal_urls():
        parts = split(url)
        if parts is None or not parts.hostname:
            continue
        problems = []
        base_path = parts.path
        page = page_path(parts.path)
        if page:
            problems.append(f"an API or page path (`/{page[0]}…`)")
            base_path = page[1]
        elif parts.path.endswith("/"):
            problems.append("a trailing slash")
            base_path = parts.path.rstrip("/")
        if parts.query:
            problems.append("a query")
        if parts.fragment or url.rstrip().endswith("#"):
            problems.append("a fragment")
        if problems:
            host = parts.netloc.rpartition("@")[2]  # never repeat user info
            base = f"{parts.scheme}://{host}{base_path.rstrip('/')}"
            yield context.finding(URL_NOT_BASE, path, (
                f"`url` has {' and '.join(problems)}; it must be the instance's base URL: "
                f"write `url: {base}`"))


DUPLICATE_CONNECTOR_NAME = Rule(
    "JC401", "duplicate-connector-name", "error", "Two connectors share a name.",
    what="Reports every connector whose name (trimmed, compared without case) was already used "
         "by an earlier connector in any file of the run, naming the first one's file and line. "
         "Files are ordered as given, folders expanded in sorted path order.",
    why="Interchange picks connectors by name when integrations are set up; two with one name "
        "make it a guess which credentials an integration uses.",
    example="""
        # connectors/prod.yaml
          - name: Jama production
        # connectors/legacy.yaml
          - name: jama production
        """,
    fix="""
        # connectors/legacy.yaml
          - name: Jama production (legacy)
        """,
    check_all=check_duplicate_names,
)

DUPLICATE_INSTANCE = Rule(
    "JC402", "duplicate-instance", "warning",
    "Two connectors of one application point at the same instance.",
    what="Reports a connector whose application and URL (scheme, host, port and path, compared "
         "after normalising case, default port and trailing slash) match an earlier connector's.",
    why="Interchange's documentation: one connector serves every integration that uses the same "
        "instance. A second one doubles the credentials to rotate and the load on Jama's shared "
        "10 requests/s limit.",
    example="""
          - name: Jama for Jira sync
            application: jama-connect
            url: https://acme.jamacloud.com
          - name: Jama for Excel
            application: jama-connect
            url: HTTPS://ACME.jamacloud.com:443/
        """,
    fix="""
          - name: Jama production   # one connector, used by both integrations
            application: jama-connect
            url: https://acme.jamacloud.com
        """,
    check_all=check_duplicate_instances,
)

URL_NOT_BASE = Rule(
    "JC403", "url-not-base", "warning",
    "The URL has a query, fragment, trailing slash, or an API or page path.",
    what="Reports a `url` that is not the instance's base URL: a trailing slash, a query, a "
         "fragment, or a path copied from a browser or the API docs (`/rest/…`, "
         "`/perspective.req`, `/api-docs`, `/secure/…`, `/browse/…`). A context path of a "
         "self-hosted instance (`https://host/jama`) is fine.",
    why="Interchange and the REST clients append `/rest/v1/…` to the URL: a trailing slash gives "
        "`//rest`, which Jama answers with 404 since 8.10, and a page path gives nonsense.",
    example="""
          url: https://acme.jamacloud.com/perspective.req#/home
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
    check=check_base_url,
)

RULES = (DUPLICATE_CONNECTOR_NAME, DUPLICATE_INSTANCE, URL_NOT_BASE)
