"""A fast yes/no for "does this document satisfy the connector schema?".

Most files in a pre-commit run are valid, and importing jsonschema costs more than
checking a whole folder. This interprets the keywords our schema uses and answers
True only when it is sure; anything it does not know answers False, and the caller
then asks jsonschema, which remains the one source of the findings (structure.py).
A differential test holds the two to the same verdicts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

# A JSON Schema (sub)document, as json.loads gives it.
Schema = dict[str, Any]

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default", "examples", "$defs", "$comment"})
_TYPES = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class _Unknown(Exception):
    """A keyword this checker does not implement: let jsonschema decide."""


@functools.lru_cache(maxsize=64)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def is_valid(root: Schema, instance: Any) -> bool:
    try:
        return _valid(root, root, instance)
    except (_Unknown, RecursionError, re.error):
        return False


def _valid(root: Schema, schema: Schema | bool, instance: Any) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword in ("then", "else"):
            continue
        if not _KEYWORDS.get(keyword, _unknown)(root, schema, value, instance):
            return False
    return True


def _unknown(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    raise _Unknown


def _type(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    names = [value] if isinstance(value, str) else value
    return any(_TYPES[name](instance) for name in names)


def _required(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return not isinstance(instance, dict) or all(name in instance for name in value)


def _properties(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(_valid(root, sub, instance[name]) for name, sub in value.items() if name in instance)


def _additional(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    known = schema.get("properties", {})
    patterns = [_pattern(pattern) for pattern in schema.get("patternProperties", {})]
    return all(_valid(root, value, item) for name, item in instance.items()
               if name not in known and not any(pattern.search(name) for pattern in patterns))


def _pattern_properties(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(_valid(root, sub, item) for pattern, sub in value.items()
               for name, item in instance.items() if _pattern(pattern).search(name))


def _enum(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return any(_equal(instance, choice) for choice in value)


def _const(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return _equal(instance, value)


def _pattern_keyword(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return not isinstance(instance, str) or _pattern(value).search(instance) is not None


def _min_items(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return not isinstance(instance, list) or len(instance) >= value


def _items(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return not isinstance(instance, list) or all(_valid(root, value, item) for item in instance)


def _all_of(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    return all(_valid(root, sub, instance) for sub in value)


def _if(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    branch = "then" if _valid(root, value, instance) else "else"
    return branch not in schema or _valid(root, schema[branch], instance)


def _ref(root: Schema, schema: Schema, value: Any, instance: Any) -> bool:
    if not value.startswith("#/$defs/") or "/" in value[len("#/$defs/"):] or "~" in value:
        raise _Unknown
    return _valid(root, root["$defs"][value[len("#/$defs/"):]], instance)


_KEYWORDS: dict[str, Callable[[Schema, Schema, Any, Any], bool]] = {
    "type": _type, "required": _required, "properties": _properties, "additionalProperties": _additional,
    "patternProperties": _pattern_properties,
    "enum": _enum, "const": _const, "pattern": _pattern_keyword, "minItems": _min_items, "items": _items,
    "allOf": _all_of, "if": _if, "$ref": _ref,
}
