"""JC401, JC402: rules over every file of a run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jamacheck.context import FileContext
from jamacheck.finding import Finding
from jamacheck.references import is_reference
from jamacheck.rules._rule import Rule
from jamacheck.urlparts import instance_key


def _first_seen(contexts: Iterable[FileContext], field: str, key_of) -> Iterator[tuple]:
    """Yield ``(later finding args, first place)`` for each repeat of ``key_of(connector)``."""
    first: dict = {}
    for context in contexts:
        for index, connector in context.connectors:
            key = key_of(connector)
            if key is None:
                continue
            path = ("connectors", index, field)
            line, _ = context.document.position(path)
            if key in first:
                yield context, path, first[key]
            else:
                first[key] = (context.path, line, connector.get("name"))


def _name_key(connector: dict):
    name = connector.get("name")
    return name.strip().casefold() if isinstance(name, str) and name.strip() else None


def _instance_key(connector: dict):
    url, application = connector.get("url"), connector.get("application")
    if not isinstance(url, str) or is_reference(url) or not isinstance(application, str):
        return None
    key = instance_key(url)
    return (application, *key) if key else None


def check_duplicate_names(contexts: Iterable[FileContext]) -> Iterator[Finding]:
    for context, path, (first_path, first_line, _) in _first_seen(contexts, "name", _name_key):
        yield context.finding("JC401", path, (
            f"connector name is already used at {first_path}:{first_line}: names must be unique "
            "(compared without case); rename one"))


def check_duplicate_instances(contexts: Iterable[FileContext]) -> Iterator[Finding]:
    for context, path, (first_path, first_line, first_name) in _first_seen(contexts, "url", _instance_key):
        yield context.finding("JC402", path, (
            f"connector {first_name!r} at {first_path}:{first_line} already points at this "
            "instance: one connector serves every integration with it; reuse that one"))


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

RULES = (DUPLICATE_CONNECTOR_NAME, DUPLICATE_INSTANCE)
