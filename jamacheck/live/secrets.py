"""Every secret the live run learns, masked in everything a server's answer puts in a detail.

A server's answer is never trusted: it may echo any connector's password, the Basic header
(or its base64 part) or a token, so each detail is masked with the secrets of the whole run,
whichever connector they belong to. ``learn`` and ``mask`` are the only two entry points, so
this can hand over to the run-wide masker (jamacheck/masking.py) in one place.
"""

from __future__ import annotations

import base64
import threading

from jamacheck.yaml.source import MASK

MIN_LENGTH = 4  # shorter values are masked only where they stand (in their own field)

_lock = threading.Lock()
_secrets: set[str] = set()


def learn(value: str | None) -> None:
    """Remember a secret for the rest of the run (resolved reference, header value, token)."""
    if not value or len(value) < MIN_LENGTH:
        return
    with _lock:
        _secrets.add(value)


def learn_basic(username: str, password: str) -> str:
    """Learn the password, the Basic header and its base64 part; return the header value."""
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    learn(password)
    learn(encoded)
    learn(f"Basic {encoded}")
    return f"Basic {encoded}"


def learn_bearer(token: str) -> str:
    learn(token)
    learn(f"Bearer {token}")
    return f"Bearer {token}"


def mask(text: str) -> str:
    """``text`` with every learned secret replaced by ****, longest first."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def forget_all() -> None:
    """Start a new run (tests run many in one process)."""
    with _lock:
        _secrets.clear()
