"""The connector JSON Schema, shipped inside the package, and its validator (built once)."""

from __future__ import annotations

import functools
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

# Inside the package, so a wheel ships it; read straight from disk (importlib.resources
# costs more start-up time than checking a file).
SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "connector.schema.json")


@functools.cache
def schema_text() -> str:
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


@functools.cache
def validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # heavy: only when a file is checked

    return Draft202012Validator(schema())


@functools.cache
def auth_fields() -> dict[str, dict[str, tuple[str, ...]]]:
    """``{application: {auth type: fields}}``, read from the schema's ``auth.<app>.<type>`` defs
    (the fields in the schema's order). The one place that knows which credentials each auth
    type takes: the schema findings, "did you mean" and the live vetting all read it here."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, definition in schema()["$defs"].items():
        if name.startswith("auth."):
            _, application, auth_type = name.split(".")
            fields = tuple(field for field in definition["properties"] if field != "type")
            table.setdefault(application, {})[auth_type] = fields
    return table


@functools.cache
def auth_keys() -> tuple[str, ...]:
    """Every key that belongs under ``auth`` (``type`` first, then each field once, in the schema's order)."""
    keys = {"type": None}
    for types in auth_fields().values():
        for fields in types.values():
            keys.update(dict.fromkeys(fields))
    return tuple(keys)

