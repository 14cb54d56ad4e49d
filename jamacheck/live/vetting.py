"""Which connectors may be contacted at all (SPEC §5: credentials only as declared).

A connector with an offline error in its ``url`` or its ``auth`` (JC2xx, JC301, JC302,
JC304 without --allow-insecure-http, JC305) is not contacted: a literal secret or a
malformed reference is never sent. The offline findings name the reason; the values are
also checked here directly, so that no selection, suppression or position can let one by.
A URL given as ``${NAME}`` is checked the same way once resolved, before any request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from jamacheck import schema
from jamacheck.finding import Finding
from jamacheck.live.options import LiveOptions
from jamacheck.references import is_reference, looks_like_reference
from jamacheck.rules import jc2_structure
from jamacheck.rules._rule import Rule
from jamacheck.rules.jc2_structure import INVALID_URL
from jamacheck.rules.jc3_security import (
    CREDENTIALS_IN_URL,
    INSECURE_HTTP,
    MALFORMED_ENV_REFERENCE,
    PLAINTEXT_SECRET,
)
from jamacheck.urlparts import has_userinfo, secret_query_params, split
from jamacheck.yaml.source import SECRET_KEYS

if TYPE_CHECKING:
    from jamacheck.context import FileContext


def blocking_codes(options: LiveOptions) -> frozenset[str]:
    rules: list[Rule] = [*jc2_structure.RULES, PLAINTEXT_SECRET, CREDENTIALS_IN_URL, MALFORMED_ENV_REFERENCE]
    if not options.allow_insecure_http:
        rules.append(INSECURE_HTTP)
    return frozenset(rule.code for rule in rules)


def not_contactable(context: FileContext, index: int, connector: dict[str, Any], offline: Sequence[Finding],
                    options: LiveOptions) -> str | None:
    """Why this connector must not be contacted, naming the finding; None when it may be."""
    finding = _offline_finding(context, index, offline, options)
    if finding is not None:
        return (f"{finding.code} at line {finding.line} of its url or auth (fix the offline findings first; "
                "a literal secret or a malformed reference is never sent)")
    problem = _direct_problem(connector, options)
    return f"{problem[0].code}: {problem[1]} (fix the offline findings first)" if problem else None


def _offline_finding(context: FileContext, index: int, offline: Sequence[Finding], options: LiveOptions) -> Finding | None:
    document = context.document
    roots = (("connectors", index, "url"), ("connectors", index, "auth"))
    spots: set[tuple[int, int]] = set()
    for path in document.positions:
        if tuple(path[:3]) in roots:
            spots.add(document.position(path, "key"))
            spots.add(document.position(path, "value"))
    codes = blocking_codes(options)
    hits = [f for f in offline if f.path == context.path and f.code in codes and (f.line, f.column) in spots]
    return min(hits, key=lambda f: (f.line, f.column, f.code)) if hits else None


def _direct_problem(connector: dict[str, Any], options: LiveOptions) -> tuple[Rule, str] | None:
    url, auth = connector.get("url"), connector.get("auth")
    if not isinstance(url, str) or not url.strip() or not isinstance(auth, dict):
        return jc2_structure.MISSING_FIELD, "no usable url or auth"
    application, auth_type = connector.get("application"), auth.get("type")
    fields = schema.auth_fields().get(application, {}).get(auth_type) \
        if isinstance(application, str) and isinstance(auth_type, str) else None
    if fields is None:
        return jc2_structure.INVALID_VALUE, "unknown auth type"
    if any(not isinstance(auth.get(f), str) or not auth[f].strip() for f in fields):
        return jc2_structure.MISSING_FIELD, "incomplete credentials"
    if set(auth) - set(fields) - {"type"}:
        return jc2_structure.AUTH_FIELD_MISMATCH, "auth holds a field of another type"
    if connector.get("saml") is True and auth.get("type") != "oauth":
        return jc2_structure.SAML_REQUIRES_OAUTH, "saml: true needs oauth"
    for field in fields:
        value = auth[field]
        if field in SECRET_KEYS and not is_reference(value):
            return (MALFORMED_ENV_REFERENCE, f"auth.{field} is a malformed reference") if looks_like_reference(value) \
                else (PLAINTEXT_SECRET, f"auth.{field} is a literal secret")
        if looks_like_reference(value) and not is_reference(value):
            return MALFORMED_ENV_REFERENCE, f"auth.{field} is a malformed reference"
    if is_reference(url):
        return None
    if looks_like_reference(url):
        return MALFORMED_ENV_REFERENCE, "the url is a malformed reference"
    return url_problem(url, options)


def url_problem(url: str, options: LiveOptions) -> tuple[Rule, str] | None:
    parts = split(url.strip())
    if parts is None or not parts.hostname or parts.scheme.lower() not in ("http", "https"):
        return INVALID_URL, "the url is not an absolute http(s) URL with a host"
    if has_userinfo(url) or secret_query_params(url):
        return CREDENTIALS_IN_URL, "the url carries credentials (user info or a secret query parameter)"
    if parts.scheme.lower() == "http" and not options.allow_insecure_http:
        return INSECURE_HTTP, ("http:// would send the credentials in clear text; use https:// (or "
                               "--allow-insecure-http for a local test server)")
    return None


def resolved_url_problem(written: Any, resolved: str, options: LiveOptions) -> tuple[Rule, str] | None:
    """The URL rules on a URL given as ``${NAME}``, once resolved (before any request)."""
    if not is_reference(written):
        return None
    problem = url_problem(resolved, options)
    if problem is None:
        return None
    return problem[0], f"the url (from {written}) is not usable: {problem[1]}; nothing was sent"
