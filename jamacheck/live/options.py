"""Live-check options from the command line, and ``--env-file`` (no httpx import here)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

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
            environment.update(read_env_file(env_file, environment))
        if ca_bundle:
            _check_ca_bundle(ca_bundle)
        from jamacheck.live.proxies import proxy_environment

        return cls(environment, probe_write, ca_bundle, allow_insecure_http, timeout, concurrency, progress,
                   max_requests=RATE_LIMIT[0], window_seconds=RATE_LIMIT[1], proxy_environment=proxy_environment())


def _check_ca_bundle(path: str) -> None:
    import ssl

    from jamacheck.reading import NotReadable, read_small_file

    try:
        read_small_file(path)  # a FIFO, a device or a huge file is refused, never waited on
    except NotReadable as err:
        raise OptionsError(f"--ca-bundle: cannot read {path}: {err.reason}") from None
    try:
        # A bare context: loading the system store first (create_default_context) costs ~60 ms
        # and proves nothing about this file.
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as err:
        raise OptionsError(f"--ca-bundle: {path} holds no PEM certificate ({type(err).__name__})") from None


def read_env_file(path: str, environment: dict[str, str] | None = None) -> dict[str, str]:
    """dotenv syntax, as python-dotenv reads it (jamacheck/live/envfile.py); OptionsError: exit 2."""
    from jamacheck.live.envfile import EnvFileError
    from jamacheck.live.envfile import read_env_file as read

    try:
        return read(path, os.environ if environment is None else environment)
    except EnvFileError as err:
        raise OptionsError(str(err)) from None
