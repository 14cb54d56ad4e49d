"""The standard proxy variables, read as curl and pip read them (no httpx import here).

``HTTPS_PROXY`` for https URLs, ``HTTP_PROXY`` for http ones, ``ALL_PROXY`` for either (any
letter case, lower case first); ``NO_PROXY`` lists hosts, domain suffixes (``example.com``
and ``.example.com`` both cover ``a.example.com``), ``host:port``, IP addresses, CIDR
blocks, or ``*``. A proxy written without a scheme is an http:// proxy. https requests go
through a ``CONNECT`` tunnel, so TLS stays end to end. ``.netrc`` is never read.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping

from jamacheck.urlparts import DEFAULT_PORTS, split
from jamacheck.yaml.source import mask_url

PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy", "no_proxy")


def proxy_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The proxy variables of the process environment, lower-cased names, lower case winning."""
    environ = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for name, value in environ.items():
        lowered = name.lower()
        if lowered in PROXY_VARIABLES and value.strip() and (lowered not in found or name == lowered):
            found[lowered] = value.strip()
    return found


def proxy_for(url: str, environment: Mapping[str, str]) -> str | None:
    """The proxy URL to use for ``url``, or None to connect directly."""
    parts = split(url)
    if parts is None or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    proxy = environment.get(f"{scheme}_proxy") or environment.get("all_proxy")
    if not proxy or bypassed(parts.hostname, parts.port or DEFAULT_PORTS.get(scheme), environment.get("no_proxy", "")):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    host = host.lower().strip("[]").rstrip(".")
    for entry in no_proxy.replace(" ", ",").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        if _matches(host, port, entry):
            return True
    return False


def _matches(host: str, port: int | None, entry: str) -> bool:
    if "/" in entry:  # CIDR
        try:
            return ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    name, entry_port = entry, None
    if entry.count(":") == 1 or entry.startswith("["):  # host:port, [v6]:port
        name, _, text = entry.rpartition(":")
        if text.isdigit():
            entry_port = int(text)
        else:
            name = entry
    name = name.strip("[]").lstrip("*").lstrip(".").rstrip(".")
    if entry_port is not None and entry_port != port:
        return False
    return bool(name) and (host == name or host.endswith("." + name))


def describe_proxy(proxy: str | None) -> str:
    """The proxy as it may be shown: user info masked."""
    return mask_url(proxy or "")
