"""Reading connector URLs: the parts rules compare, and the parts that are secrets."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from jamacheck.masking import secret_query_values, url_userinfo

DEFAULT_PORTS = {"http": 80, "https": 443}
# Path segments of API and page URLs copied from a browser instead of the base URL.
PAGE_SEGMENTS = frozenset({"rest", "perspective.req", "login.req", "api-docs", "secure", "browse"})
# Hosted sites (SaaS): the base URL is the site itself, any path is a page of it.
JAMA_CLOUD_DOMAINS = ("jamacloud.com",)
JIRA_CLOUD_DOMAINS = ("atlassian.net", "jira.com")
HOSTED_DOMAINS = ("jamacloud.com", "atlassian.net")
# Atlassian's API gateway: https://api.atlassian.com/ex/jira/<cloudId> is a Jira Cloud base URL.
GATEWAY_HOST = "api.atlassian.com"
GATEWAY_PREFIX = ("ex", "jira")


@dataclass(frozen=True)
class BaseUrl:
    """The instance's base URL of a connector URL, and what had to be removed to get it.

    ``url``: scheme and host as written (no user info), the port when given, and the base
    path without a trailing slash. ``problems``: what the written URL has beyond the base URL
    (empty when it is one), in words for messages.
    """

    url: str
    problems: tuple[str, ...]
    scheme: str
    host: str
    port: int | None
    path: str

    @property
    def key(self) -> tuple[str, str, int | None, str]:
        """Scheme, host, port and base path compared without case (JC402's instance identity)."""
        return (self.scheme.lower(), self.host, self.port, self.path.lower())


def split(url: str) -> SplitResult | None:
    """``urlsplit`` or None when the URL cannot be read (a bad port, brackets)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return None
    return parts


def instance_key(url: str) -> tuple[str, str, int | None, str] | None:
    """Scheme, host, port and base path: two URLs with one key reach the same instance.

    Compared after normalising case, the default port and a trailing slash, and after removing
    the API or page part that JC403 names (``…/jama/rest/v1`` and ``…/jama/login.req`` are
    ``…/jama``; any path on a hosted site).
    """
    base = base_url(url)
    return base.key if base else None


def origin(url: str) -> tuple[str, str, int | None] | None:
    """Scheme, host and port: the unit Jama's rate limit applies to."""
    key = instance_key(url)
    return key[:3] if key else None


def has_userinfo(url: str) -> bool:
    """User info before the host, also when it holds `/` or a blank (``https://svc:a/b@host``)."""
    parts = split(url)
    if parts is not None and "@" in parts.netloc:
        return True
    userinfo = url_userinfo(url)
    if not userinfo or "/" not in userinfo:
        return False
    head = userinfo.split("/", 1)[0]  # `svc:pa/ss@host`, not `host:8080/page/@name`
    return ":" in head and not head.rsplit(":", 1)[1].isdigit()


def secret_query_params(url: str) -> list[str]:
    """Names of the secret-like query parameters (SPEC §6: percent-decoded, split into words)."""
    parts = split(url)
    if parts is None or not parts.query:
        return []
    return [name for name, _, _ in secret_query_values("?" + parts.query)]


def host_name(parts: SplitResult) -> str:
    """The host in lower case, without the root's trailing dot (``acme.jira.com.``)."""
    return (parts.hostname or "").lower().rstrip(".")


def in_domains(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def page_path(path: str) -> tuple[str, str] | None:
    """``(segment, base path)`` when ``path`` is an API or page path, e.g. ``/jama/rest/v1``."""
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if segment.lower() in PAGE_SEGMENTS:
            return segment, "/".join(segments[:index])
    return None


def _gateway_base(segments: list[str]) -> int:
    """How many leading segments of a path on api.atlassian.com are its base (``/ex/jira/<id>``)."""
    words = [segment.lower() for segment in segments[1:3]]
    return 4 if tuple(words) == GATEWAY_PREFIX and len(segments) > 3 and segments[3] else 0


def _base_path(host: str, path: str) -> tuple[str, list[str]]:
    """The base path of ``path`` on ``host``, and what was removed, in words."""
    if in_domains(host, HOSTED_DOMAINS):
        page = page_path(path)
        if page:
            return "", [_page_words(path, page[0])]
        if path.strip("/"):
            return "", [f"a path (`{_short(path)}`; a hosted site's base URL has none)"]
        return "", ["a trailing slash"] if path else []
    keep = _gateway_base(path.split("/")) if host == GATEWAY_HOST else 0
    head = "/".join(path.split("/")[:keep]) if keep else ""
    tail = path[len(head):]
    page = page_path(tail)
    if page:
        return head + page[1].rstrip("/"), [_page_words(tail, page[0])]
    if tail.endswith("/"):
        return (head + tail).rstrip("/"), ["a trailing slash"]
    return head + tail, []


def _page_words(path: str, segment: str) -> str:
    more = "…" if not path.rstrip("/").endswith("/" + segment) else ""
    return f"an API or page path (`/{segment}{more}`)"


def _short(path: str) -> str:
    return path if len(path) <= 40 else path[:40] + "…"


def base_url(url: str) -> BaseUrl | None:
    """The base URL of ``url`` (SPEC §3 JC403), or None when ``url`` has no readable host.

    The one place that knows what a base URL is: JC403 reports the difference, JC402
    compares instances by it, the live checks build requests on it, the fixer writes it.
    """
    parts = split(url)
    if parts is None or not parts.hostname:
        return None
    host = host_name(parts)
    path, problems = _base_path(host, parts.path)
    if parts.query or url.rstrip().endswith("?"):
        problems.append("a query")
    if parts.fragment or url.rstrip().endswith("#"):
        problems.append("a fragment")
    netloc = parts.netloc.rpartition("@")[2]  # user info is never part of a base URL
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme)
    return BaseUrl(f"{parts.scheme}://{netloc}{path}", tuple(problems), parts.scheme, host, port, path)
