"""JC204 for an enumeration written in another spelling (`Jira`, `OAuth`, `datacenter`).

Such a value is reported with the allowed value it spells as "did you mean", and then read
as that value, so the schema and every later rule check the rest of the connector as if
it were written so: one round of fixes shows every mistake (SPEC §3 "Enumerations").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jamacheck import schema
from jamacheck.context import FileContext, field_name
from jamacheck.finding import Finding
from jamacheck.fix.builders import value_fix
from jamacheck.rules.jc2_structure import INVALID_VALUE

APPLICATIONS = ("jama-connect", "jira")
DEPLOYMENTS = ("cloud", "data-center")
_SEPARATORS = re.compile(r"[-_\s]+")


def fold(value: str) -> str:
    """The spelling without letter case, `-`, `_` or blanks: `Data_Center` → `datacenter`."""
    return _SEPARATORS.sub("", value).casefold()


def spelled_as(value: object, allowed: Iterable[str]) -> str | None:
    """The allowed value that ``value`` spells differently, or None (also when it is exact)."""
    if not isinstance(value, str) or value in allowed:
        return None
    folded = fold(value)
    return next((choice for choice in allowed if fold(choice) == folded), None) if folded else None


def normalise_enumerations(context: FileContext) -> list[Finding]:
    """JC204 for each respelled enumeration, and the data changed to the allowed value.

    Like JC104's normalisation, this changes the data, so it returns a list: the change is
    made before the schema and the rules after it read the data.
    """
    return list(_normalise(context))


def _normalise(context: FileContext) -> Iterator[Finding]:
    for index, connector in context.connectors:
        yield from _respelled(context, connector, ("connectors", index, "application"), APPLICATIONS)
        application = connector.get("application")
        if application == "jira":
            yield from _respelled(context, connector, ("connectors", index, "deployment"), DEPLOYMENTS)
        auth = connector.get("auth")
        types = schema.auth_fields().get(application) if isinstance(application, str) else None
        if isinstance(auth, dict) and types:
            yield from _respelled(context, auth, ("connectors", index, "auth", "type"), tuple(types))


def _respelled(context: FileContext, mapping: dict[str, object], path: tuple[str | int, ...],
               allowed: tuple[str, ...]) -> Iterator[Finding]:
    key = str(path[-1])
    value = mapping.get(key)
    intended = spelled_as(value, allowed)
    if intended is None:
        return
    mapping[key] = intended
    choices = ", ".join(allowed)
    yield context.finding(INVALID_VALUE, path, (
        f"`{field_name(path)}` must be one of {choices}, not `{_short(str(value))}`: did you mean `{intended}`? "
        f"(the rest of the connector is checked as if it said `{intended}`)"),
        fix=value_fix(context, path, intended))


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"
