"""The one place where JSON Schema errors become findings JC201-JC208.

The schema (``connector.schema.json`` beside this module) decides *whether* a file is
valid; this module decides *what to tell the user*: one finding per real
problem, at the key or value to change, naming the field, the auth type that
needs it, the allowed values, and the nearest valid key for a typo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jamacheck import schema
from jamacheck.context import FileContext, field_name
from jamacheck.finding import Finding
from jamacheck.fix import suggest
from jamacheck.rules._rule import Rule
from jamacheck.rules.jc2_structure import (
    AUTH_FIELD_MISMATCH,
    EMPTY_VALUE,
    INVALID_URL,
    INVALID_VALUE,
    MISSING_FIELD,
    SAML_REQUIRES_OAUTH,
    UNKNOWN_FIELD,
    WRONG_TYPE,
)
from jamacheck.schema import quickcheck
from jamacheck.yaml.source import SECRET_KEYS, mask_url
from jamacheck.yaml.tree import FALSE_SPELLINGS, TRUE_SPELLINGS

# Connector keys that do not belong under `auth` (and the auth keys, schema.auth_keys(), that do
# not belong beside it): found one level off, they are an indentation slip, and the message says
# which way to move them.
CONNECTOR_KEYS_IN_AUTH = ("projects", "admin_groups")
# Keys a file may leave out (a default applies): only these may be removed to fix an empty value.
OPTIONAL_KEYS = frozenset({"version", "verify_ssl", "saml", "projects", "admin_groups"})
# When two codes land on the same value, the first names the real problem.
PRECEDENCE = (EMPTY_VALUE, WRONG_TYPE, INVALID_VALUE, INVALID_URL, SAML_REQUIRES_OAUTH)
_RANK = {rule.code: rank for rank, rule in enumerate(PRECEDENCE)}
# Findings of these rules are kept per message: one value may lack several fields.
_PER_MESSAGE = frozenset(rule.code for rule in (MISSING_FIELD, UNKNOWN_FIELD, AUTH_FIELD_MISMATCH))
_TYPE_NAMES = {bool: "a boolean", int: "a number", float: "a number", str: "a string",
               list: "a list", dict: "a mapping", type(None): "empty"}
JsonPath = tuple[str | int, ...]
# What a handler yields: (rule, json path, message, "key" | "value"[, fix]).
Emitted = tuple[Any, ...]
Error = Any  # jsonschema.ValidationError (imported only when a file is invalid)
_EXPECTED = {"string": "a string", "boolean": "true or false", "object": "a mapping",
             "array": "a list", "integer": "a whole number"}


def check_structure(context: FileContext) -> Iterator[Finding]:
    if quickcheck.is_valid(schema.schema(), context.document.data):
        return  # the common case, without importing jsonschema
    best: dict[tuple[object, ...], tuple[int, Finding]] = {}
    for error in schema.validator().iter_errors(context.document.data):
        for finding, path in _findings(context, error):
            key = (path, finding.message) if finding.code in _PER_MESSAGE else (path,)
            rank = _RANK.get(finding.code, -1)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, finding)
    yield from (finding for _, finding in best.values())


def _findings(context: FileContext, error: Error) -> Iterator[tuple[Finding, JsonPath]]:
    path = tuple(error.absolute_path)
    handler = _HANDLERS.get(error.validator, _other)
    for rule, at, message, part, *fix in handler(context, error, path):
        yield context.finding(rule, at, message, part, fix[0] if fix else None), at


def _required(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    for field in error.validator_value:
        if field not in error.instance:
            yield MISSING_FIELD, path, _missing_message(context, path, field), "key"


def _missing_message(context: FileContext, path: JsonPath, field: str) -> str:
    if path and path[-1] == "auth":
        auth_type = error_instance_type(context, path)
        if field == "type":
            return f"`auth` has no `type`: add `type: {' | '.join(_auth_types(context, path))}`"
        return f"auth type `{auth_type}` needs `{field}`: add `{field}:` under `auth`{_secret_hint(field)}"
    if field == "deployment":
        return "a Jira connector needs `deployment`: add `deployment: cloud` or `deployment: data-center`"
    if not path:
        return "no `connectors` list: add `connectors:` with at least one connector"
    return f"connector is missing required field `{field}`: add `{field}:`"


def _secret_hint(field: str) -> str:
    return " as an environment reference, e.g. `${JAMA_SECRET}`" if field in SECRET_KEYS else ""


def _unknown(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    allowed = list(error.schema.get("properties", {}))
    unknown = [_unknown_key(context, path, key, allowed) for key in error.instance if key not in allowed]
    targets = Counter(target for *_, target in unknown)
    for rule, at, message, target in unknown:
        # two keys meaning one (`verfy_ssl`, `verify_sl`): renaming both would repeat it (JC101)
        clear = target if targets[target] == 1 else None
        yield rule, at, message, "key", suggest.rename_key(context, at, clear, error.instance)


def _auth_candidates(context: FileContext, auth_path: JsonPath) -> list[str]:
    """Every field of the connector's auth types, for "did you mean"."""
    types = schema.auth_fields().get(_application(context, auth_path) or "", {})
    return sorted({field for fields in types.values() for field in fields})


def _unknown_key(context: FileContext, path: JsonPath, key: str,
                 allowed: list[str]) -> tuple[Rule, JsonPath, str, str | None]:
    """The finding for an unknown ``key`` at ``path``, and the key it should be (if one is clear)."""
    at = (*path, key)
    hint = _indentation_hint(path, key)
    if hint:
        return (UNKNOWN_FIELD, at, hint, None)
    if path and path[-1] == "auth":
        owner = _auth_owner(context, path, key)
        if owner:
            current = error_instance_type(context, path)
            return (AUTH_FIELD_MISMATCH, at, f"`{key}` belongs to auth type `{owner}`, not `{current}`: "
                    f"remove it, or set `type: {owner}`", None)
    other_app = {"saml": "Jama Connect", "admin_groups": "Jama Connect", "deployment": "Jira"}
    if len(path) == 2 and key in other_app:
        return (UNKNOWN_FIELD, at, f"`{key}` is a {other_app[key]} field; this connector's application "
                "does not take it: remove it", None)
    in_auth = bool(path) and path[-1] == "auth"
    where = "`auth`" if in_auth else ("the file" if not path else "a connector")
    candidates = [*allowed, *_auth_candidates(context, path)] if in_auth else allowed
    target = suggestion(key, candidates)
    hint = f": did you mean `{target}`?" if target else ""
    return (UNKNOWN_FIELD, at, f"unknown field `{key}` in {where}{hint}", target)


def _indentation_hint(path: JsonPath, key: object) -> str | None:
    if len(path) == 2 and key in schema.auth_keys():
        return f"`{key}` belongs under `auth`, not beside it: indent it under `auth`"
    if path[-1:] == ("auth",) and key in CONNECTOR_KEYS_IN_AUTH:
        return f"`{key}` is a connector field, not an `auth` one: outdent it to the connector"
    if path and isinstance(key, str) and key.startswith("x-"):
        return (f"unknown field `{key}`: extension keys (`x-…`) are allowed only at the top level of "
                "the file; move it there, or remove it")
    return None


def did_you_mean(word: str, choices: Iterable[object]) -> str:
    target = suggestion(word, choices)
    return f": did you mean `{target}`?" if target else ""


def suggestion(word: str, choices: Iterable[object]) -> str | None:
    """The one choice ``word`` is most likely a misspelling of, or None."""
    import difflib  # only when there is a typo to explain

    folded = {str(choice).replace("_", "").replace("-", "").lower(): str(choice) for choice in choices}
    target = str(word).replace("_", "").replace("-", "").lower()
    if target in folded:
        return folded[target]
    close = difflib.get_close_matches(target, list(folded), n=1, cutoff=0.75)
    return folded[close[0]] if close else None


def _type(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    field = field_name(path)
    if error.instance is None:
        yield EMPTY_VALUE, path, _empty_message(context, path, field), "key"
        return
    expected = error.validator_value
    expected = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_EXPECTED.get(name, name) for name in expected)
    got = _TYPE_NAMES.get(type(error.instance), f"a {type(error.instance).__name__}")
    message = f"`{field}` must be {wanted}, not {got}"
    spelling = context.document.spelling(path)
    if isinstance(error.instance, bool) and spelling and spelling.lower() in TRUE_SPELLINGS | FALSE_SPELLINGS:
        message += f': YAML reads `{spelling}` as a boolean; quote it: "{spelling}"'
    elif "string" in expected and not isinstance(error.instance, (list, dict)) and (
            context.document.spelling(path) is not None):
        message += "; quote it"
    yield WRONG_TYPE, path, message, "value"


def _enum(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
    field = field_name(path)
    value = error.instance
    if path[-2:-1] == ("auth",) and allowed == ["oauth"]:
        yield SAML_REQUIRES_OAUTH, path, ("the instance uses SAML (`saml: true`), where basic logins fail: "
                              "use `type: oauth` with client_id and client_secret"), "value"
        return
    if path[-2:-1] == ("auth",) and allowed == ["basic"] and value == "token":
        yield INVALID_VALUE, path, ("auth type `token` is for `deployment: data-center`; Jira Cloud "
                              "takes `type: basic` with the account e-mail and an API token"), "value"
        return
    if value is None or (isinstance(value, str) and not value.strip()):
        yield EMPTY_VALUE, path, _empty_message(context, path, field, value), "key" if value is None else "value"
        return
    shown = _show(value)
    other = _other_application_type(context, path, value)
    choices = ", ".join(str(choice) for choice in allowed)
    hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
    if isinstance(value, str) and value.strip() in [str(choice) for choice in allowed if not isinstance(choice, str)]:
        shown, hint = f'the string "{value}"', f": write `{field}: {value.strip()}` without quotes"
    if other:
        hint += f"; `{value}` is a {other} auth type"
    if isinstance(value, str) and value.startswith("${"):
        hint += f"; `{field}` takes no environment reference"
    yield INVALID_VALUE, path, f"`{field}` must be {'one of ' if len(allowed) > 1 else ''}{choices}, not {shown}{hint}", "value"


def _empty_message(context: FileContext, path: JsonPath, field: str, value: object = None) -> str:
    if path[-1:] != ("auth",):
        what = "empty" if value is None else "blank"
        if path == ("connectors",):
            return "`connectors` is empty: declare at least one connector"
        if isinstance(path[-1], int):
            return f"`{field}` is {what}: write a value or remove the item"
        if path[-1] in OPTIONAL_KEYS:
            return f"`{field}` is {what}: write a value or remove the key"
        return f"`{field}` is {what}: write a value (the field is required)"
    beside = [key for key in schema.auth_keys() if key in _connector(context, path)]
    if beside:
        keys = ", ".join(f"`{key}`" for key in beside)
        return f"`auth` is empty, and {keys} stand beside it: indent them under `auth`"
    return "`auth` is empty: write its `type` and credentials under it"


def _pattern(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    field = field_name(path)
    if isinstance(error.instance, str) and not error.instance.strip():
        yield EMPTY_VALUE, path, _empty_message(context, path, field, error.instance), "value"
    elif path[-1:] == ("url",):
        yield INVALID_URL, path, (f"`url` {_show(mask_url(error.instance))} is not an absolute http(s) URL "
                              "with a host: write it like https://acme.jamacloud.com"), "value"
    elif path[-2:] == ("auth", "username"):  # Jira Cloud: the schema asks for an e-mail address
        yield INVALID_VALUE, path, (f"on Jira Cloud, `auth.username` is the account's e-mail address, not "
                                    f"{_show(error.instance)}: write the service account's e-mail, "
                                    "e.g. `svc-interchange@acme.com`"), "value"
    else:
        yield INVALID_VALUE, path, f"`{field}` has an invalid value {_show(error.instance)}", "value"


def _min_items(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    field = field_name(path)
    if field == "connectors":
        message = "`connectors` is empty: declare at least one connector"
    else:
        message = f"`{field}` is empty: list at least one group, or remove the key to use the default"
    yield EMPTY_VALUE, path, message, "value"


def _other(context: FileContext, error: Error, path: JsonPath) -> Iterator[Emitted]:
    yield INVALID_VALUE, path, f"`{field_name(path)}` has an invalid value", "value"


_HANDLERS: dict[str, Callable[[FileContext, Error, JsonPath], Iterator[Emitted]]] = {
    "required": _required, "additionalProperties": _unknown, "type": _type, "enum": _enum,
    "const": _enum, "pattern": _pattern, "minItems": _min_items,
}


def _show(value: object) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)  # as YAML writes it
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"


def _connector(context: FileContext, path: JsonPath) -> dict[str, Any]:
    data = context.document.data
    connectors = data.get("connectors") if isinstance(data, dict) else None
    connector = connectors[path[1]] if isinstance(connectors, list) and isinstance(path[1], int) else None
    return connector if isinstance(connector, dict) else {}


def _application(context: FileContext, path: JsonPath) -> str | None:
    """The connector's application when it is a string (anything else is JC203/JC204 already)."""
    application = _connector(context, path).get("application")
    return application if isinstance(application, str) else None


def error_instance_type(context: FileContext, auth_path: JsonPath) -> str:
    auth = _connector(context, auth_path).get("auth")
    return str(auth.get("type")) if isinstance(auth, dict) else "?"


def _auth_types(context: FileContext, auth_path: JsonPath) -> list[str]:
    application = _application(context, auth_path)
    table = schema.auth_fields()
    return list(table.get(application or "", table["jama-connect"]))


def _other_application_type(context: FileContext, path: JsonPath, value: object) -> str | None:
    if path[-2:] != ("auth", "type") or not isinstance(value, str):
        return None
    application = _application(context, path)
    for other, types in schema.auth_fields().items():
        if other != application and value in types:
            return {"jama-connect": "Jama Connect", "jira": "Jira"}.get(other, other)
    return None


def _auth_owner(context: FileContext, auth_path: JsonPath, key: str) -> str | None:
    types = schema.auth_fields().get(_application(context, auth_path) or "", {})
    current = error_instance_type(context, auth_path)
    return next((name for name, fields in types.items() if name != current and key in fields), None)
