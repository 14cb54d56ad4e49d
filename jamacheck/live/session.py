"""One connector's live session: its resolved values, its own HTTP client, its request budget.

Credentials are sent only as the connector declares them: an explicit Authorization header
(never user info from the URL, never .netrc), on a base URL from which user info, query,
fragment and any API or page suffix were removed (so no request repeats ``/rest/v1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jamacheck.live import secrets
from jamacheck.live.http import Answer, Budget, Client, Http, LiveError
from jamacheck.references import REFERENCE, is_reference, literal
from jamacheck.rules.jc5_live import UNEXPECTED_RESPONSE
from jamacheck.urlparts import base_url as shared_base_url

DETAIL_QUOTE = 160  # characters of a server's message quoted in a detail (after masking)


class Unresolved(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def resolve(connector: dict[str, Any], environment: dict[str, str]) -> dict[str, Any]:
    """A copy of the connector with every ``${NAME}`` in ``url`` and ``auth`` replaced, and every
    ``$$`` in their other strings read as a literal ``$``."""
    missing: list[str] = []

    def value(text: Any) -> Any:
        match = REFERENCE.fullmatch(text) if is_reference(text) else None
        if match is None:
            return literal(text) if isinstance(text, str) else text  # `$$` is a literal `$`
        name = match.group(1)
        if not environment.get(name):
            missing.append(name)
            return ""
        return environment[name]

    resolved = dict(connector)
    resolved["url"] = value(connector["url"])
    resolved["auth"] = {key: value(item) for key, item in connector["auth"].items()}
    if missing:
        raise Unresolved(sorted(set(missing)))
    for key, item in resolved["auth"].items():
        if key != "type" and is_reference(connector["auth"].get(key)) and isinstance(item, str):
            secrets.learn(item)  # a resolved secret (a username too: harmless, and it may be one)
    return resolved


def base_url(url: str) -> str:
    """The instance's base URL: no user info, query, fragment, API/page suffix or trailing slash
    (the one definition, shared with JC402, JC403 and the fixer: ``urlparts.base_url``)."""
    base = shared_base_url(url)
    return base.url if base is not None else url.strip()


@dataclass
class Session:
    http: Http
    client: Client
    base_url: str
    budget: Budget = field(default_factory=Budget)
    authorization: str | None = None

    def set_basic(self, username: str, password: str) -> None:
        self.authorization = secrets.learn_basic(username, password)

    def set_bearer(self, token: str) -> None:
        self.authorization = secrets.learn_bearer(token)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.send("GET", path, **kwargs)

    def send(self, method: str, path: str, *, retry: bool = True, authorization: str | None = None,
             **kwargs: Any) -> Answer:
        value = authorization or self.authorization
        headers = {"Authorization": value} if value else {}
        return self.client.request(method, self.url(path), self.budget, retry=retry, headers=headers, **kwargs)

    def close(self) -> None:
        self.client.close()

    def unexpected(self, answer: Answer, what: str) -> LiveError:
        detail = server_message(answer)
        suffix = f": {detail}" if detail else ""
        return LiveError(UNEXPECTED_RESPONSE, f"{what}: unexpected {answer.status} from {answer.url}{suffix}")


def server_message(answer: Answer) -> str:
    """What the server says about an error: Jama's ``meta.message``, Jira's ``errorMessages``
    and ``errors``, masked, then shortened; empty when there is none (never an exception)."""
    try:
        body = answer.json()
    except LiveError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts: list[str] = []
    meta = body.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("message"), str):
        parts.append(meta["message"])
    messages = body.get("errorMessages")
    if isinstance(messages, list):
        parts.extend(m for m in messages if isinstance(m, str))
    errors = body.get("errors")
    if isinstance(errors, dict):
        parts.extend(f"{k}: {v}" for k, v in errors.items() if isinstance(k, str) and isinstance(v, str))
    for key in ("error_description", "error"):
        if not parts and isinstance(body.get(key), str):
            parts.append(body[key])
    text = "; ".join(part.strip() for part in parts if part.strip())
    masked = secrets.mask(text)  # mask first, then cut: a cut secret is no longer recognisable
    return masked if len(masked) <= DETAIL_QUOTE else masked[:DETAIL_QUOTE] + "…"


def quoted(answer: Answer) -> str:
    """`` (the server says: …)`` or nothing."""
    message = server_message(answer)
    return f" (the server says: {message})" if message else ""


def project_list(connector: dict[str, Any]) -> list[Any]:
    """The connector's ``projects`` as a list (anything else: none)."""
    projects = connector.get("projects")
    return list(projects) if isinstance(projects, list) else []
