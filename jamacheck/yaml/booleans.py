"""JC104: YAML 1.1 boolean spellings where a boolean is expected.

``verify_ssl: no`` and ``saml: "true"`` are read as the boolean they spell, with
a warning, so the other rules judge the intended value.
"""

from __future__ import annotations

from collections.abc import Iterator

from jamacheck.context import FileContext
from jamacheck.finding import Finding
from jamacheck.fix import suggest
from jamacheck.rules.jc1_yaml import AMBIGUOUS_BOOLEAN
from jamacheck.yaml.tree import CANONICAL_BOOLEANS

BOOLEAN_FIELDS = ("verify_ssl", "saml")


def normalise_booleans(context: FileContext) -> list[Finding]:
    """JC104, and a quoted "true"/"false" replaced by its boolean in the data.

    The one check that changes the data; the catalogue runs it first and this returns a
    list (not a generator), so the change is made before any later check reads the data.
    """
    return list(_normalise(context))


def _normalise(context: FileContext) -> Iterator[Finding]:
    document = context.document
    for index, connector in context.connectors:
        for field in BOOLEAN_FIELDS:
            path = ("connectors", index, field)
            value = connector.get(field)
            spelling = document.spelling(path)
            if isinstance(value, bool) and spelling is not None and spelling not in CANONICAL_BOOLEANS:
                yield context.finding(AMBIGUOUS_BOOLEAN, path, _message(field, spelling, value, quoted=False),
                                      fix=suggest.boolean(context, path, value))
            elif isinstance(value, str) and document.is_quoted(path) and value.lower() in ("true", "false"):
                connector[field] = value.lower() == "true"
                yield context.finding(AMBIGUOUS_BOOLEAN, path, _message(field, value, connector[field], quoted=True),
                                      fix=suggest.boolean(context, path, connector[field]))


def _message(field: str, spelling: str, value: bool, quoted: bool) -> str:
    word = "true" if value else "false"
    written = f'"{spelling}"' if quoted else spelling
    why = "a quoted string" if quoted else "a YAML 1.1 spelling other parsers read differently"
    return f"`{field}: {written}` is {why}; it is read as {word}: write `{field}: {word}`"
