"""The fix of each fixable rule, from what its finding already knows (SPEC §8's table).

Each function takes the finding's place and the value the rule suggests, and returns the
Fix, or None where the table says there is none (a key whose target already exists, a
value that is more than a spelling away, a value that is not a one-line scalar).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from jamacheck.fix.builders import JsonPath, TakenNames, key_fix, value_fix, variable_name
from jamacheck.fix.model import SAFE, UNSAFE, Fix
from jamacheck.references import REFERENCE

if TYPE_CHECKING:
    from jamacheck.context import FileContext

_DOLLAR_NAME = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def boolean(context: FileContext, json_path: JsonPath, value: bool) -> Fix | None:
    """JC104: a plain ``true`` / ``false`` in place of the spelling."""
    return value_fix(context, json_path, "true" if value else "false", plain=True)


def base_url(context: FileContext, json_path: JsonPath, url: str, base: str) -> Fix | None:
    """JC403: the URL cut to its base, when the base is how the URL starts (no user info to drop)."""
    written = url.strip()
    if not base or not written.startswith(base) or written == base:
        return None
    return value_fix(context, json_path, base)


def https(context: FileContext, json_path: JsonPath, url: str) -> Fix | None:
    """JC304 (unsafe: the instance may not answer on https): ``https://`` for ``http://``."""
    written = url.strip()
    if written[:7].lower() != "http://":
        return None
    return value_fix(context, json_path, "https://" + written[7:], UNSAFE)


def rename_key(context: FileContext, json_path: JsonPath, target: str | None, mapping: object) -> Fix | None:
    """JC202: the key renamed to its single "did you mean", when the mapping lacks that key."""
    if not target or not isinstance(mapping, dict) or target in mapping:
        return None
    return key_fix(context, json_path, target)


def braces(context: FileContext, json_path: JsonPath, value: object, secret: bool) -> Fix | None:
    """JC305: ``${NAME}`` for ``$NAME``; unsafe for a ``secret`` (``$ecr3t`` may be a password)."""
    if not isinstance(value, str):
        return None
    match = _DOLLAR_NAME.fullmatch(value)
    if match is None:
        return None
    return value_fix(context, json_path, "${" + match.group(1) + "}", UNSAFE if secret else SAFE)


class RunNames:
    """The variable names in use in one run: referenced in any file of it, or chosen for a JC301 fix.

    One environment serves every file of a run, so two literal secrets in two files never get
    one name, nor the name another file already refers to. The files' texts are scanned for
    ``${NAME}`` only when the first literal secret needs a name.
    """

    def __init__(self) -> None:
        self.texts: list[Callable[[], bytes | None]] = []
        self.taken: set[str] | None = None

    def start(self, texts: list[Callable[[], bytes | None]]) -> None:
        """A new run over files whose bytes ``texts`` give (None: not readable)."""
        self.texts, self.taken = texts, None

    def names(self) -> set[str]:
        if self.taken is None:
            self.taken = TakenNames()
            for text in self.texts:
                data = text()
                if data is not None:
                    self.taken.update(REFERENCE.findall(data.decode("utf-8", errors="replace")))
        return self.taken


RUN_NAMES = RunNames()


class SecretNames:
    """JC301's variable names for one file: connector name + key, unique in the run, one per anchored value."""

    def __init__(self, context: FileContext) -> None:
        self.context = context
        self.taken: set[str] | None = None  # the names in use: read on the first literal secret
        self.by_node: dict[int, str] = {}

    def _names_in_use(self) -> set[str]:
        if self.taken is None:
            self.taken = RUN_NAMES.names()
            for entry in self.context.document.positions.values():
                value = entry.value.value
                if entry.value.kind == "scalar" and isinstance(value, str) and REFERENCE.fullmatch(value):
                    self.taken.add(value[2:-1])
        return self.taken

    def name(self, json_path: JsonPath) -> str | None:
        entry = self.context.document.entry(json_path)
        if entry is None:
            return None
        node = id(entry.value)  # an alias shares its anchor's node: the first connector names it
        if node not in self.by_node:
            key = next((part for part in reversed(json_path) if isinstance(part, str)), "secret")
            self.by_node[node] = variable_name(self.context.connector_name(json_path), key, self._names_in_use())
        return self.by_node[node]

    def fix(self, json_path: JsonPath) -> Fix | None:
        """JC301 (unsafe): ``${NAME}`` in place of the literal."""
        name = self.name(json_path)
        if name is None:
            return None
        return value_fix(self.context, json_path, "${" + name + "}", UNSAFE, whole=True, variable=name)
