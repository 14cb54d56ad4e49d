"""One connector's live session: its resolved values, its requests, and redaction of its secrets."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from jamacheck import masking
from jamacheck.live.http import Answer, Http, LiveError
from jamacheck.live.options import LiveOptions
from jamacheck.references import REFERENCE, is_reference
from jamacheck.rules.jc5_live import UNEXPECTED_RESPONSE
from jamacheck.yaml.source import MASK


class Unresolved(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def resolve(connector: dict, environment: dict[str, str]) -> dict:
    """A copy of the connector with every ``${NAME}`` in ``url`` and ``auth`` replaced."""
    missing: list[str] = []

    def value(text):
        if not is_reference(text):
            return text
        name = REFERENCE.fullmatch(text).group(1)
        if not environment.get(name):
            missing.append(name)
            return ""
        return environment[name]

    resolved = dict(connector)
    resolved["url"] = value(connector["url"])
    resolved["auth"] = {key: value(item) for key, item in connector["auth"].items()}
    if missing:
        raise Unresolved(sorted(set(missing)))
    return resolved


@dataclass
class Session:
    http: Http
    options: LiveOptions
    base_url: str
    verify_ssl: bool
    secrets: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None

    def remember_secret(self, value: str) -> None:
        if value and len(value) >= 3:
            self.secrets.append(value)
        masking.add(value)  # run-wide: it masks every output of the run, whichever connector

    def set_basic(self, username: str, password: str) -> None:
        self.auth = (username, password)
        self.remember_basic(username, password)

    def remember_basic(self, username: str, password: str) -> None:
        """The secret, and the Basic header that carries it (a server may echo either)."""
        self.remember_secret(password)
        self.remember_secret(base64.b64encode(f"{username}:{password}".encode()).decode())

    def set_bearer(self, token: str) -> None:
        self.auth = None
        self.headers = {"Authorization": f"Bearer {token}"}
        self.remember_secret(token)

    def redact(self, text: str) -> str:
        """Hide every secret of this connector in text that came from the server."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return masking.redact(text)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def get(self, path: str, **kwargs) -> Answer:
        return self.send("GET", path, **kwargs)

    def send(self, method: str, path: str, *, retry: bool = True, **kwargs) -> Answer:
        if self.auth is not None:
            kwargs.setdefault("auth", self.auth)
        if self.headers:
            kwargs["headers"] = {**self.headers, **kwargs.get("headers", {})}
        return self.http.request(method, self.url(path), verify_ssl=self.verify_ssl, retry=retry, **kwargs)

    def server_message(self, answer: Answer) -> str:
        """Jama's ``meta.message`` (redacted, shortened), or empty."""
        try:
            body = answer.json()
        except LiveError:
            return ""
        meta = body.get("meta") if isinstance(body, dict) else None
        message = meta.get("message") if isinstance(meta, dict) else None
        return self.redact(str(message))[:160] if message else ""

    def unexpected(self, answer: Answer, what: str) -> LiveError:
        detail = self.server_message(answer)
        suffix = f": {detail}" if detail else ""
        return LiveError(UNEXPECTED_RESPONSE, f"{what}: unexpected {answer.status} from {answer.url}{suffix}")

