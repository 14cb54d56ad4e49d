"""What a check sees of one file, and the one way checks create findings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jamacheck.finding import Finding
from jamacheck.references import is_reference
from jamacheck.yaml.source import Source
from jamacheck.yaml.tree import Document, JsonPath

if TYPE_CHECKING:
    from jamacheck.fix.model import Fix
    from jamacheck.rules._rule import Rule


@dataclass(frozen=True, slots=True)
class ConnectorSummary:
    """What cross-file rules need of a connector, kept after the file's tree is dropped."""

    path: str
    name: object
    url: object
    application: object
    name_at: tuple[int, int]
    url_at: tuple[int, int]
    display_name: str | None
    item_at: tuple[int, int] = (1, 1)  # the connector's `- ` line
    given: bool = True  # False: a file under `paths` read for context only (nothing reported in it)


@dataclass
class FileContext:
    path: str
    source: Source
    document: Document

    @property
    def connectors(self) -> list[tuple[int, dict[str, Any]]]:
        """``(index, connector)`` for each connector that is a mapping."""
        data = self.document.data
        items = data.get("connectors") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return []
        return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]

    def connector_name(self, json_path: JsonPath) -> str | None:
        if len(json_path) < 2 or json_path[0] != "connectors" or not isinstance(json_path[1], int):
            return None
        connector = self.document.data["connectors"][json_path[1]]
        name = connector.get("name") if isinstance(connector, dict) else None
        return name.strip() if isinstance(name, str) and name.strip() else None

    def summaries(self) -> list[ConnectorSummary]:
        return [
            ConnectorSummary(self.path, connector.get("name"), connector.get("url"), connector.get("application"),
                             self.document.position(("connectors", index, "name")),
                             self.document.position(("connectors", index, "url")),
                             self.connector_name(("connectors", index)),
                             self.document.position(("connectors", index), "key"))
            for index, connector in self.connectors
        ]

    def finding(self, rule: Rule, json_path: JsonPath, message: str, part: str = "value",
                fix: Fix | None = None) -> Finding:
        """``rule``'s finding at the key or value (``part``) found at ``json_path``, with its fix."""
        line, column = self.document.position(json_path, part)
        return rule.at(self.path, line, column, message, self.connector_name(json_path), fix)

    def literal_urls(self) -> Iterator[tuple[JsonPath, str]]:
        """``(json path, url)`` for each connector url written as a literal (not ``${NAME}``)."""
        for index, connector in self.connectors:
            url = connector.get("url")
            if isinstance(url, str) and url.strip() and not is_reference(url):
                yield ("connectors", index, "url"), url


def field_name(path: JsonPath) -> str:
    """``auth.password``, ``projects[1]``, ``connectors[0]``: how the user knows the field."""
    if path[:1] == ("connectors",) and len(path) >= 2:
        path = path[2:] or (f"connectors[{path[1]}]",)
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"
