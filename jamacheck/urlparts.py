"""Reading connector URLs: the parts rules compare, and the parts that are secrets."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from jamacheck.yaml.source import URL_SECRET_PARAMS

DEFAULT_PORTS = {"http": 80, "https": 443}
# Path segments of API and page URLs copied from a browser instead of the base URL.
PAGE_SEGMENTS = frozenset({"rest", "perspective.req", "api-docs", "secure", "browse"})


def split(url: str):
    """``urlsplit`` or None when the URL cannot be read (a bad port, brackets)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    return parts


def instance_key(url: str) -> tuple | None:
    """Scheme, host, port and path, normalised for case, default port and trailing slash."""
    parts = split(url)
    if parts is None or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme)
    return (scheme, parts.hostname.lower(), port, parts.path.rstrip("/").lower())


def origin(url: str) -> tuple | None:
    """Scheme, host and port: the unit Jama's rate limit applies to."""
    key = instance_key(url)
    return key[:3] if key else None


def has_userinfo(url: str) -> bool:
    parts = split(url)
    return bool(parts and "@" in parts.netloc)


def secret_query_params(url: str) -> list[str]:
    parts = split(url)
    if parts is None:
        return []
    names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    return [name for name in names if name.lower() in URL_SECRET_PARAMS]


def page_path(path: str) -> tuple[str, str] | None:
    """``(segment, base path)`` when ``path`` is an API or page path, e.g. ``/jama/rest/v1``."""
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if segment.lower() in PAGE_SEGMENTS:
            return segment, "/".join(segments[:index])
    return None
