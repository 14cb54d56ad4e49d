"""Live-check options from the command line, and ``--env-file`` (no httpx import here)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


# Jama allows 10 requests per second per instance; the window is kept 1.1 s (see ratelimit.py).
# A module value read at run time, so that tests of other things need not wait for it.
RATE_LIMIT = (10, 1.1)


class OptionsError(Exception):
    """A live option cannot be used (exit 2)."""


@dataclass(frozen=True)
class LiveOptions:
    environment: dict[str, str] = field(default_factory=dict)
    probe_write: bool = False
    ca_bundle: str | None = None
    allow_insecure_http: bool = False
    timeout: float = 10.0
    concurrency: int = 8
    progress: bool = False
    # Politeness: Jama allows 10 requests per second per instance (see ratelimit.py for how the
    # window is kept at the server); 1.1 s leaves a margin for the server's own clock.
    max_requests: int = 10
    window_seconds: float = 1.1
    # HTTPS_PROXY & co. from the process environment (not from --env-file), see proxies.py
    proxy_environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_cli(cls, env_file: str | None, probe_write: bool, ca_bundle: str | None, allow_insecure_http: bool,
                 timeout: float, concurrency: int, progress: bool = False) -> LiveOptions:
        environment = dict(os.environ)
        if env_file:
            environment.update(read_env_file(env_file))
        if ca_bundle:
            _check_ca_bundle(ca_bundle)
        from jamacheck.live.proxies import proxy_environment

        return cls(environment, probe_write, ca_bundle, allow_insecure_http, timeout, concurrency, progress,
                   max_requests=RATE_LIMIT[0], window_seconds=RATE_LIMIT[1], proxy_environment=proxy_environment())


def _check_ca_bundle(path: str) -> None:
    import ssl

    if not os.path.isfile(path):
        raise OptionsError(f"--ca-bundle: no such file: {path}")
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as err:
        raise OptionsError(f"--ca-bundle: {path} holds no PEM certificate ({type(err).__name__})") from None


def read_env_file(path: str) -> dict[str, str]:
    """dotenv syntax: ``NAME=value``, ``export NAME=value``, quotes, ``#`` comments."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise OptionsError(f"--env-file: cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    values = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _DOTENV_LINE.match(line)
        if not match:
            raise OptionsError(f"--env-file: {path}:{number}: expected NAME=value")
        values[match.group(1)] = _unquote(match.group(2))
    return values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\n", "\n") if value[0] == '"' else inner
    return value.split(" #", 1)[0].rstrip()
