"""JC301-JC306: secrets belong in the environment, and credentials travel only over verified TLS."""

from __future__ import annotations

from collections.abc import Iterator

from jamacheck.context import FileContext, field_name
from jamacheck.finding import Finding
from jamacheck.fix import suggest
from jamacheck.masking import is_secret_name
from jamacheck.references import diagnose, is_reference, looks_like_reference
from jamacheck.rules._rule import Rule
from jamacheck.urlparts import has_userinfo, secret_query_params, split
from jamacheck.yaml.compose import Node
from jamacheck.yaml.source import SECRET_KEYS, mask_url

# Fields whose values are fixed words: a reference there is JC204, not JC305.
NO_REFERENCE_FIELDS = frozenset({"application", "type", "deployment", "version"})


def check_plaintext_secrets(context: FileContext) -> Iterator[Finding]:
    names = suggest.SecretNames(context)
    for index, connector in context.connectors:
        auth = connector.get("auth")
        if not isinstance(auth, dict):
            continue
        for key in sorted(SECRET_KEYS & auth.keys()):
            value = auth[key]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue  # JC208
            if looks_like_reference(value):
                continue  # a reference, or JC305
            path = ("connectors", index, "auth", key)
            yield context.finding(PLAINTEXT_SECRET, path, (
                f"`auth.{key}` is a literal secret: put it in the environment (CI secret store) "
                f"and write `{key}: ${{{names.name(path)}}}`; then rotate the "
                "secret, it is in version control"), fix=names.fix(path))
    yield from _other_secret_named_keys(context, names)


def _other_secret_named_keys(context: FileContext, names: suggest.SecretNames) -> Iterator[Finding]:
    """Any other secret-named key at any depth of a connector (SPEC §2.2), outermost only."""
    for path, entry in context.document.positions.items():
        if len(path) < 3 or path[0] != "connectors" or not isinstance(path[-1], str):
            continue
        key = path[-1]
        if not is_secret_name(key) or (path[2:3] == ("auth",) and len(path) == 4 and key in SECRET_KEYS):
            continue
        if any(is_secret_name(part) for part in path[2:-1] if isinstance(part, str)):
            continue  # inside a secret-named key's value: that key is the finding
        glued = ":" in key  # `{password:hunter2}` reads as one key
        if not glued and not _literal(entry.value):
            continue
        yield context.finding(PLAINTEXT_SECRET, path, (
            f"`{field_name(path)}` is secret-named and holds a literal value: put the secret in the "
            "environment (CI secret store) and write a `${NAME}` reference; then rotate the secret, it "
            "is in version control" + (" (a blank after the colon is missing: `key: value`)" if glued else "")),
            part="key" if glued else "value", fix=None if glued else names.fix(path))


def _literal(node: Node) -> bool:
    """A value written in the file (not empty, not a reference or an attempt at one)."""
    if node.kind != "scalar":
        return True
    if node.tag is None and node.plain and node.value == "":
        return False
    return node.tag is not None or not looks_like_reference(node.value)


def check_credentials_in_url(context: FileContext) -> Iterator[Finding]:
    for index, connector in context.connectors:
        url = connector.get("url")
        if not isinstance(url, str) or is_reference(url):
            continue
        path = ("connectors", index, "url")
        if has_userinfo(url):
            yield context.finding(CREDENTIALS_IN_URL, path, (
                f"`url` {mask_url(url)} carries user info: remove `user:password@` and put the "
                "credentials in `auth`"))
        for name in secret_query_params(url):
            yield context.finding(CREDENTIALS_IN_URL, path, (
                f"`url` carries a `{name}` query parameter: remove it; credentials belong in `auth` "
                "as ${NAME} references"))


def check_malformed_references(context: FileContext) -> Iterator[Finding]:
    for path, entry in context.document.positions.items():
        node = entry.value
        if not path or path[-1] in NO_REFERENCE_FIELDS or node.kind != "scalar" or _extension(path):
            continue
        mistake = diagnose(node.value) if isinstance(node.value, str) else None
        if mistake:
            secret = any(is_secret_name(part) for part in path if isinstance(part, str))
            yield context.finding(MALFORMED_ENV_REFERENCE, path, (
                f"`{field_name(path)}` looks like an environment reference but is not `${{NAME}}`: "
                f"{mistake.message(quote=not secret)}"), fix=suggest.braces(context, path, node.value, secret))


def _extension(path: tuple[str | int, ...]) -> bool:
    """A path under a top-level `x-` key: any value, never checked (SPEC §2.1)."""
    return isinstance(path[0], str) and path[0].startswith("x-")


def check_ssl_verification(context: FileContext) -> Iterator[Finding]:
    for index, connector in context.connectors:
        path = ("connectors", index, "verify_ssl")
        if connector.get("verify_ssl") is False:
            yield context.finding(SSL_VERIFICATION_DISABLED, path, (
                f"`verify_ssl: {_written(context, path)}` turns TLS certificate verification off, so anyone "
                "on the path can pose as the instance and collect the credentials: if its certificate "
                "comes from an internal CA, add that CA to Interchange's trust store (and give it to "
                "jamacheck's live checks with `--ca-bundle`), then remove the key or set "
                "`verify_ssl: true`"))


def _written(context: FileContext, path: tuple[str | int, ...]) -> str:
    """The value as the file spells it: `no`, `Off`, `"false"`."""
    entry = context.document.entry(path)
    if entry is None or entry.value.kind != "scalar":
        return "false"
    return str(entry.value.value) if entry.value.plain else f'"{entry.value.value}"'


def check_insecure_http(context: FileContext) -> Iterator[Finding]:
    for path, url in context.literal_urls():
        parts = split(url)
        if parts is not None and parts.scheme.lower() == "http" and parts.hostname:
            yield context.finding(INSECURE_HTTP, path, (
                "`url` uses http://, so credentials would travel in clear text: use https://"),
                fix=suggest.https(context, path, url))


def check_secret_in_comments(context: FileContext) -> Iterator[Finding]:
    for comment in context.source.comment_secrets:
        yield SECRET_IN_COMMENT.at(context.path, comment.line + 1, comment.column + 1, (
            f"a comment assigns a value to `{comment.key}`: commented-out credentials are still in version "
            "control; remove the comment and rotate the secret (a `${NAME}` reference may stay)"))


PLAINTEXT_SECRET = Rule(
    "JC301", "plaintext-secret", "error",
    "A secret-named key (`password`, `client_secret`, `token`, `passwd` …) holds a literal, not `${NAME}`.",
    what="Reports a literal value (any type) of `password`, `client_secret` or `token` inside "
         "`auth`, and of any other secret-named key at any depth of a connector: a key whose name, "
         "without case and `_`/`-`, contains password, passwd, pwd, secret, token, apikey, "
         "credential or privatekey (`passwd`, `clientSecret`, `db_password`), and a flow key that "
         "glued key and value together (`{password:hunter2}`). The value itself is never printed: "
         "every output masks it as `****`, whatever its shape.",
    why="A secret in a repository is readable by everyone with access to it, forever, in every "
        "clone and in the history. Interchange service accounts have admin rights.",
    example="""
          auth:
            type: basic
            username: svc-interchange
            password: hunter2
        """,
    fix="""
          auth:
            type: basic
            username: svc-interchange
            password: ${JAMA_PASSWORD}   # set in the CI secret store; rotate the leaked one
        """,
    check=check_plaintext_secrets,
    fixable="unsafe",
    security_severity="9.0",
)

CREDENTIALS_IN_URL = Rule(
    "JC302", "credentials-in-url", "error",
    "The URL carries user info or a token-like query parameter.",
    what="Reports a `url` with `user:password@` (or just `user@`) before the host, also when it "
         "holds `@`, `/` or a blank, or a secret-like query parameter: its name, percent-decoded "
         "and split into words at `_`, `-`, `.` and lower-to-upper case changes, has a word "
         "password, passwd, pwd, pass, secret, token, signature, sig, credential(s), or is key, "
         "auth, apikey or ends in api_key, access_key, private_key, session_key (`os_password`, "
         "`t%6Fken`, `sessionKey`; not `projectKey` or `author`). Those parts are masked in every "
         "output.",
    why="Credentials in a URL end up in logs, browser history and proxies, and bypass the `auth` "
        "section that reviewers and jamacheck check.",
    example="""
          url: https://svc:hunter2@acme.jamacloud.com
        """,
    fix="""
          url: https://acme.jamacloud.com
          auth: {type: basic, username: svc, password: "${JAMA_PASSWORD}"}
        """,
    check=check_credentials_in_url,
    security_severity="9.0",
)

MALFORMED_ENV_REFERENCE = Rule(
    "JC305", "malformed-env-reference", "error",
    "A value looks like an environment reference but is not `${NAME}`.",
    what="Reports any value that, after reading each `$$` as a literal `$`, starts with `$` or "
         "contains `${` without being exactly `${NAME}` (NAME: letters, digits, underscore, not "
         "starting with a digit). The message names the mistake: `$NAME` (braces missing), "
         "`${NAME:-default}` and other shell operators (not supported: set the variable), "
         "`${{ secrets.X }}` (a CI expression: pass it to jamacheck's environment), `${BAD NAME}`, "
         "an unclosed `${X`, or a reference inside a longer value. Values under top-level `x-` "
         "keys are not checked.",
    why="jamacheck and your deployment only substitute whole `${NAME}` values; anything else "
        "would be sent to Jama literally and fail the login. A group or name that really starts "
        "with `$` is written `$$`.",
    example="""
          password: $JAMA_PASSWORD
          client_secret: ${{ secrets.JAMA_CLIENT_SECRET }}
          admin_groups: [$Interchange-Admins]
        """,
    fix="""
          password: ${JAMA_PASSWORD}
          client_secret: ${JAMA_CLIENT_SECRET}   # the workflow step sets env: JAMA_CLIENT_SECRET
          admin_groups: [$$Interchange-Admins]
        """,
    check=check_malformed_references,
    fixable="safe",
)

SSL_VERIFICATION_DISABLED = Rule(
    "JC303", "ssl-verification-disabled", "warning", "`verify_ssl: false`.",
    what="Reports connectors that turn TLS certificate verification off.",
    why="Without verification, anyone between Interchange and the instance can pose as it and "
        "collect the service account's credentials. Jama's guidance is to leave Verify SSL on "
        "unless Jama support says otherwise. An instance whose certificate comes from an internal "
        "CA is trusted by adding that CA to Interchange's trust store (and, for jamacheck's live "
        "checks, with `--ca-bundle`), not by turning verification off.",
    example="""
          url: https://jama.acme.internal
          verify_ssl: no
        """,
    fix="""
          url: https://jama.acme.internal
          # the internal CA is in Interchange's trust store; live checks: --ca-bundle acme-ca.pem
        """,
    check=check_ssl_verification,
    security_severity="5.0",
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
    fixable="unsafe",
    security_severity="7.5",
)

SECRET_IN_COMMENT = Rule(
    "JC306", "secret-in-comment", "error", "A comment holds what reads as a secret assignment.",
    what="Reports a comment that ends in a secret-named key (`password`, `client_secret`, `token`, "
         "`db_password`, `apiKey` …), `:` or `=`, and a single blank-free (or quoted) value, other "
         "than `${NAME}`, `****` or a placeholder in `<…>`. `# password: ask the ops team` is prose, "
         "not a finding. The value is masked in every output.",
    why="Commented-out credentials are still in version control, in every clone and in the history, "
        "however dead they look in the file.",
    example="""
          auth:
            type: basic
            username: svc-interchange
            # password: hunter2
            password: ${JAMA_PASSWORD}
        """,
    fix="""
          auth:
            type: basic
            username: svc-interchange
            password: ${JAMA_PASSWORD}   # and rotate hunter2: it is in the history
        """,
    check=check_secret_in_comments,
    security_severity="9.0",
)

RULES = (PLAINTEXT_SECRET, CREDENTIALS_IN_URL, SSL_VERIFICATION_DISABLED, INSECURE_HTTP,
         MALFORMED_ENV_REFERENCE, SECRET_IN_COMMENT)
