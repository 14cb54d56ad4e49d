"""Every secret the live run learns, masked in everything a server's answer puts in a detail.

A server's answer is never trusted: it may echo any connector's password, the Basic header
(or its base64 part) or a token, so each detail is masked with the secrets of the whole run,
whichever connector they belong to. ``learn`` and ``mask`` are the only two entry points: they
hand over to the run-wide masker (jamacheck/masking.py), which also holds every secret of every
file checked, so a server's echo is masked with those too, and the report masks every output
with what the live stage learned.
"""

from __future__ import annotations

import base64

from jamacheck import masking


def learn(value: str | None) -> None:
    """Remember a secret for the rest of the run (resolved reference, header value, token)."""
    masking.add(value)


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
    """``text`` with every secret of the run replaced by ****."""
    return masking.redact(text)
