"""JC401-JC404: one connector per name and per instance, each at the base URL of a host that fits."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator

from jamacheck.context import ConnectorSummary, FileContext
from jamacheck.finding import Finding
from jamacheck.fix import suggest
from jamacheck.references import is_reference, literal
from jamacheck.rules._rule import Rule
from jamacheck.urlparts import (
    JAMA_CLOUD_DOMAINS,
    JIRA_CLOUD_DOMAINS,
    base_url,
    host_name,
    in_domains,
    instance_key,
    split,
)


def _repeats(connectors: Iterable[ConnectorSummary], key_of: Callable[[ConnectorSummary], Hashable | None],
             ) -> Iterator[tuple[ConnectorSummary, ConnectorSummary]]:
    """``(later, first)`` for each connector whose ``key_of`` was already seen."""
    first: dict[Hashable, ConnectorSummary] = {}
    for connector in connectors:
        key = key_of(connector)
        if key is None:
            continue
        if key in first:
            yield connector, first[key]
        else:
            first[key] = connector


def _name_key(connector: ConnectorSummary) -> str | None:
    name = connector.name
    if not isinstance(name, str) or not name.strip() or is_reference(name):
        return None  # a ${NAME} is only known at deployment (SPEC §2.2)
    return literal(name).strip().casefold()  # `$$` is a literal `$`


def _instance_key(connector: ConnectorSummary) -> tuple[object, ...] | None:
    url, application = connector.url, connector.application
    if not isinstance(url, str) or is_reference(url) or not isinstance(application, str):
        return None
    key = instance_key(url)
    return (application, *key) if key else None


def _placed(later: ConnectorSummary, first: ConnectorSummary,
            field: str) -> Iterator[tuple[ConnectorSummary, ConnectorSummary, tuple[int, int]]]:
    """Where a repeat is reported: ``(connector, the other one it names, position)``, or nothing.

    At the later connector's ``field``, or its ``- `` line when that value is an alias of the
    first one's (the same node). With ``paths``, a later connector read for context only hands
    the finding to the first one when that is in a given file; otherwise it is not this run's.
    """
    at = getattr(later, field)
    if later.given:
        shared = later.path == first.path and at == getattr(first, field)
        yield later, first, later.item_at if shared else at
    elif first.given:
        yield first, later, getattr(first, field)


def _line(connector: ConnectorSummary, field: str) -> int:
    """The line that names ``connector``: its ``field``'s, or its ``- `` line when that value stands
    before the connector (an alias of an anchor under an `x-` key or in an earlier connector)."""
    at: tuple[int, int] = getattr(connector, field)
    return (at if at >= connector.item_at else connector.item_at)[0]


def check_duplicate_names(connectors: Iterable[ConnectorSummary]) -> Iterator[Finding]:
    for pair in _repeats(connectors, _name_key):
        for later, first, at in _placed(*pair, "name_at"):  # later: the connector reported
            yield DUPLICATE_CONNECTOR_NAME.at(later.path, *at, (
                f"connector name is also used at {first.path}:{_line(first, 'name_at')}: names must be unique "
                "(compared without case); rename one"), later.display_name)


def check_duplicate_instances(connectors: Iterable[ConnectorSummary]) -> Iterator[Finding]:
    for pair in _repeats(connectors, _instance_key):
        for later, first, at in _placed(*pair, "url_at"):  # later: the connector reported
            yield DUPLICATE_INSTANCE.at(later.path, *at, (
                f"connector {first.name!r} at {first.path}:{_line(first, 'url_at')} also points at this "
                "instance: one connector can serve every integration with it, so consider reusing that one; "
                "where separate service accounts are intended, suppress this with a reason "
                "(`# jamacheck: disable=JC402 -- separate service account for …`)"), later.display_name)


def check_base_url(context: FileContext) -> Iterator[Finding]:
    for path, url in context.literal_urls():
        base = base_url(url)
        if base is not None and base.problems:
            yield context.finding(URL_NOT_BASE, path, (
                f"`url` has {' and '.join(base.problems)}; it must be the instance's base URL: "
                f"write `url: {base.url}`"), fix=suggest.base_url(context, path, url, base.url))


def check_application_host(context: FileContext) -> Iterator[Finding]:
    for index, connector in context.connectors:
        url = connector.get("url")
        parts = split(url) if isinstance(url, str) and not is_reference(url) else None
        if parts is None or not parts.hostname:
            continue
        problem = _host_contradiction(host_name(parts), connector.get("application"), connector.get("deployment"))
        if problem:
            yield context.finding(APPLICATION_HOST_MISMATCH, ("connectors", index, "url"), problem)


def _host_contradiction(host: str, application: object, deployment: object) -> str | None:
    """Why ``host`` cannot serve this application or deployment, or None."""
    if application == "jira" and in_domains(host, JAMA_CLOUD_DOMAINS):
        return (f"`url` host `{host}` is a Jama Connect cloud site, but `application` is `jira`: "
                "write the Jira site's URL, or `application: jama-connect`")
    if application == "jama-connect" and in_domains(host, JIRA_CLOUD_DOMAINS):
        return (f"`url` host `{host}` is a Jira Cloud site, but `application` is `jama-connect`: "
                "write the Jama Connect instance's URL, or `application: jira` with `deployment: cloud`")
    if application == "jira" and deployment == "data-center" and in_domains(host, JIRA_CLOUD_DOMAINS):
        return (f"`url` host `{host}` is a Jira Cloud site, but `deployment` is `data-center`: "
                "write `deployment: cloud` (basic auth with the account e-mail and an API token), "
                "or the Data Center server's URL")
    return None


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
    what="Reports a connector whose application and instance match an earlier connector's. The "
         "instance is the URL's scheme, host, port and base path, compared after normalising case, "
         "the default port and a trailing slash, and after removing the API or page part that "
         "JC403 names: `…/jama/rest/v1` and `…/jama/login.req` are the instance `…/jama`, and any "
         "path on a hosted site (`*.jamacloud.com`, `*.atlassian.net`) is the site itself.",
    why="Interchange's documentation: one connector can serve every integration that uses the same "
        "instance. A second one doubles the credentials to rotate and the load on Jama's shared "
        "10 requests/s limit. Where a team intends separate service accounts (one per team or per "
        "integration), that is a decision, not a mistake: suppress the finding with a reason.",
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
        # or, where separate service accounts are intended:
            url: https://acme.jamacloud.com  # jamacheck: disable=JC402 -- Excel team's own account
        """,
    check_all=check_duplicate_instances,
)

URL_NOT_BASE = Rule(
    "JC403", "url-not-base", "warning",
    "The URL has a query, fragment, trailing slash, an API or page path, or a path on a hosted site.",
    what="Reports a `url` that is not the instance's base URL: a trailing slash, a query, a "
         "fragment, or a path copied from a browser or the API docs (`/rest/…`, "
         "`/perspective.req`, `/login.req`, `/api-docs`, `/secure/…`, `/browse/…`); on a hosted "
         "site (`*.jamacloud.com`, `*.atlassian.net`) any path at all, such as a Jira Cloud board "
         "URL. A context path of a self-hosted instance (`https://jira.acme.example/jira`) is a "
         "base URL, and so is Atlassian's API gateway, `https://api.atlassian.com/ex/jira/<cloudId>`.",
    why="Interchange and the REST clients append `/rest/v1/…` to the URL: a trailing slash gives "
        "`//rest`, which Jama answers with 404 since 8.10, and a page path gives nonsense.",
    example="""
          url: https://acme.jamacloud.com/perspective.req#/home
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
    check=check_base_url,
    fixable="safe",
)

APPLICATION_HOST_MISMATCH = Rule(
    "JC404", "application-host-mismatch", "error",
    "The URL's host contradicts the declared application or deployment.",
    what="Reports a `url` whose host belongs to another product than the connector declares: "
         "`application: jira` on a Jama Connect cloud site (`*.jamacloud.com`), "
         "`application: jama-connect` on a Jira Cloud site (`*.atlassian.net`, `*.jira.com`), and "
         "`deployment: data-center` on a Jira Cloud site. A Jira Cloud site on another host (a "
         "custom domain, `https://api.atlassian.com/ex/jira/<cloudId>`) is not reported.",
    why="Such a connector was copied from another one and half edited: Interchange would send "
        "one product's credentials to the other, and the integration fails at its first sync. "
        "Jira Cloud and Data Center also authenticate differently (an API token with the account "
        "e-mail on Cloud, a password or personal access token on Data Center).",
    example="""
          - name: Jira Cloud
            application: jira
            deployment: data-center
            url: https://acme.atlassian.net
            auth: {type: token, token: "${JIRA_PAT}"}
        """,
    fix="""
          - name: Jira Cloud
            application: jira
            deployment: cloud
            url: https://acme.atlassian.net
            auth: {type: basic, username: svc-interchange@acme.com, password: "${JIRA_API_TOKEN}"}
        """,
    check=check_application_host,
)

RULES = (DUPLICATE_CONNECTOR_NAME, DUPLICATE_INSTANCE, URL_NOT_BASE, APPLICATION_HOST_MISMATCH)
