"""JC303, JC304, JC403: how the connector reaches its instance."""

from __future__ import annotations

from collections.abc import Iterator

from jamacheck.context import FileContext
from jamacheck.finding import Finding
from jamacheck.references import is_reference
from jamacheck.rules._rule import Rule
from jamacheck.urlparts import page_path, split


def _urls(context: FileContext) -> Iterator[tuple[tuple, str]]:
    for index, connector in context.connectors:
        url = connector.get("url")
        if isinstance(url, str) and url.strip() and not is_reference(url):
            yield ("connectors", index, "url"), url


def check_ssl_verification(context: FileContext) -> Iterator[Finding]:
    for index, connector in context.connectors:
        if connector.get("verify_ssl") is False:
            yield context.finding("JC303", ("connectors", index, "verify_ssl"), (
                "TLS certificate verification is off, so anyone on the path can read the "
                "credentials: remove `verify_ssl: false`; for an internal CA, run --live with "
                "`--ca-bundle CA.pem` instead"))


def check_insecure_http(context: FileContext) -> Iterator[Finding]:
    for path, url in _urls(context):
        parts = split(url)
        if parts is not None and parts.scheme.lower() == "http" and parts.hostname:
            yield context.finding("JC304", path, (
                "`url` uses http://, so credentials would travel in clear text: use https://"))


def check_base_url(context: FileContext) -> Iterator[Finding]:
    for path, url in _urls(context):
        parts = split(url)
        if parts is None or not parts.hostname:
            continue
        problems = []
        base_path = parts.path
        page = page_path(parts.path)
        if page:
            problems.append(f"an API or page path (`/{page[0]}…`)")
            base_path = page[1]
        elif parts.path.endswith("/"):
            problems.append("a trailing slash")
            base_path = parts.path.rstrip("/")
        if parts.query:
            problems.append("a query")
        if parts.fragment or url.rstrip().endswith("#"):
            problems.append("a fragment")
        if problems:
            host = parts.netloc.rpartition("@")[2]  # never repeat user info
            base = f"{parts.scheme}://{host}{base_path.rstrip('/')}"
            yield context.finding("JC403", path, (
                f"`url` has {' and '.join(problems)}; it must be the instance's base URL: "
                f"write `url: {base}`"))


SSL_VERIFICATION_DISABLED = Rule(
    "JC303", "ssl-verification-disabled", "warning", "`verify_ssl: false`.",
    what="Reports connectors that turn TLS certificate verification off.",
    why="Without verification, anyone between Interchange and the instance can pose as it and "
        "collect the service account's credentials. Jama's guidance is to leave Verify SSL on "
        "unless Jama support says otherwise. A self-signed or internal CA is trusted with "
        "`--ca-bundle`, not by turning checks off.",
    example="""
          url: https://jama.acme.internal
          verify_ssl: false
        """,
    fix="""
          url: https://jama.acme.internal
          # and check it with: jamacheck check --live --ca-bundle acme-ca.pem
        """,
    check=check_ssl_verification,
)

INSECURE_HTTP = Rule(
    "JC304", "insecure-http", "error", "An `http://` URL.",
    what="Reports a `url` whose scheme is http.",
    why="Basic passwords and OAuth client secrets would cross the network in clear text. "
        "`--live` refuses to send credentials there unless `--allow-insecure-http` is given "
        "(for local test servers).",
    example="""
          url: http://acme.jamacloud.com
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
    check=check_insecure_http,
)

URL_NOT_BASE = Rule(
    "JC403", "url-not-base", "warning",
    "The URL has a query, fragment, trailing slash, or an API or page path.",
    what="Reports a `url` that is not the instance's base URL: a trailing slash, a query, a "
         "fragment, or a path copied from a browser or the API docs (`/rest/…`, "
         "`/perspective.req`, `/api-docs`, `/secure/…`, `/browse/…`). A context path of a "
         "self-hosted instance (`https://host/jama`) is fine.",
    why="Interchange and the REST clients append `/rest/v1/…` to the URL: a trailing slash gives "
        "`//rest`, which Jama answers with 404 since 8.10, and a page path gives nonsense.",
    example="""
          url: https://acme.jamacloud.com/perspective.req#/home
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
    check=check_base_url,
)

RULES = (SSL_VERIFICATION_DISABLED, INSECURE_HTTP, URL_NOT_BASE)
