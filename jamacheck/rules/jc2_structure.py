"""JC2xx: the structure, from the JSON Schema (emitted by jamacheck/schema/errors.py), and JC209."""

from __future__ import annotations

from collections.abc import Iterator

from jamacheck.context import FileContext
from jamacheck.finding import Finding
from jamacheck.references import is_reference
from jamacheck.rules._rule import Rule


def check_duplicate_projects(context: FileContext) -> Iterator[Finding]:
    """JC209: a project listed twice in one connector's `projects`."""
    for index, connector in context.connectors:
        projects = connector.get("projects")
        if not isinstance(projects, list):
            continue
        first: dict[tuple[str, object], int] = {}
        for position, project in enumerate(projects):
            key = _project_key(project)
            if key is None:
                continue
            path = ("connectors", index, "projects", position)
            if key in first:
                line = context.document.position(("connectors", index, "projects", first[key]))[0]
                yield context.finding(DUPLICATE_PROJECT, path, _duplicate_message(project, line))
            else:
                first[key] = position


def _project_key(project: object) -> tuple[str, object] | None:
    """Keys compare without case, ids as numbers; references and wrong types are not compared."""
    if isinstance(project, bool):
        return None  # JC203
    if isinstance(project, int):
        return ("id", project)
    if isinstance(project, str) and project.strip() and not is_reference(project):
        return ("key", project.strip().casefold())
    return None


def _duplicate_message(project: object, line: int) -> str:
    what = f"project id {project}" if isinstance(project, int) else f"project `{project}`"
    how = "" if isinstance(project, int) else " (keys are compared without case)"
    return f"{what} is already listed at line {line}{how}: remove this one"

MISSING_FIELD = Rule(
    "JC201", "missing-field", "error", "A required field is absent.",
    what="Reports a required field that is missing, at the key of the mapping that lacks it "
         "(`auth:`, or the connector's `- ` line). For `auth`, names the auth type that needs it.",
    why="Interchange cannot create a connector without its name, application, URL and credentials; "
        "basic needs username and password, oauth needs client_id and client_secret, Jira needs "
        "its deployment.",
    example="""
        - name: Jama production
          application: jama-connect
          url: https://acme.jamacloud.com
          auth:
            type: oauth
            client_id: interchange
        """,
    fix="""
          auth:
            type: oauth
            client_id: interchange
            client_secret: ${JAMA_CLIENT_SECRET}
        """,
)

UNKNOWN_FIELD = Rule(
    "JC202", "unknown-field", "error", "A key the format does not have.",
    what="Reports keys that are not part of the format, with \"did you mean\" when a valid key is "
         "close (`clientid`, `verifySSL`). Jira-only keys on a Jama connector and the reverse are "
         "reported too.",
    why="A misspelled key is silently ignored by whatever reads the file: `verifySSL: true` leaves "
        "the real setting at its default, and a typo in `client_id` loses the credential.",
    example="""
          verifySSL: true
          auth: {type: oauth, clientid: interchange, client_secret: "${SECRET}"}
        """,
    fix="""
          verify_ssl: true
          auth: {type: oauth, client_id: interchange, client_secret: "${SECRET}"}
        """,
    fixable="safe",
)

WRONG_TYPE = Rule(
    "JC203", "wrong-type", "error", "A value of the wrong type.",
    what="Reports a value whose type is wrong: a number where a name is expected, a string for "
         "`verify_ssl`, a mapping for `projects`. A YAML 1.1 boolean spelling where a string is "
         "expected (a Jira project key `NO`) gets a hint to quote it.",
    why="Interchange expects exact types; `name: 2024` or `projects: NO` are read as a number and "
        "a boolean, not the text you wrote.",
    example="""
          name: 2024
          projects: [NO, REQ]
        """,
    fix="""
          name: "2024"
          projects: ["NO", REQ]
        """,
)

INVALID_VALUE = Rule(
    "JC204", "invalid-value", "error", "A value outside its allowed set or pattern.",
    what="Reports a value that is not one of the allowed ones (application, auth type, deployment, "
         "version), listing the allowed values. A value that differs from an allowed one only in "
         "letter case, `-`, `_` or blanks (`Jira`, `OAuth`, `datacenter`) gets that value as \"did "
         "you mean\", and the rest of the connector is checked as if it were written so; for any "
         "other value, the fields that depend on it are not checked further. An auth type of the "
         "other application (`token` on Jama, `oauth` on Jira), `token` on Jira Cloud, and a Jira "
         "Cloud `username` without `@` (it is the account's e-mail address) are reported here.",
    why="Interchange offers exactly these applications and authentication types; anything else "
        "cannot be configured.",
    example="""
          application: Jama
          auth: {type: oAuth, client_id: x, client_secret: "${S}"}
        """,
    fix="""
          application: jama-connect
          auth: {type: oauth, client_id: x, client_secret: "${S}"}
        """,
    fixable="safe",
)

AUTH_FIELD_MISMATCH = Rule(
    "JC205", "auth-field-mismatch", "error", "`auth` holds a field of another auth type.",
    what="Reports a field that belongs to another authentication type of the same application, "
         "e.g. `client_secret` with `type: basic`.",
    why="Mixed credentials mean the connector was half-converted from one type to another; the "
        "stray secret is unused and the type may be the wrong one.",
    example="""
          auth:
            type: basic
            username: svc-interchange
            password: ${JAMA_PASSWORD}
            client_secret: ${JAMA_CLIENT_SECRET}
        """,
    fix="""
          auth:
            type: basic
            username: svc-interchange
            password: ${JAMA_PASSWORD}
        """,
)

SAML_REQUIRES_OAUTH = Rule(
    "JC206", "saml-requires-oauth", "error", "`saml: true` with an auth type other than oauth.",
    what="Reports the `type` inside `auth` when the connector says its Jama instance uses SAML "
         "single sign-on and the auth type is not oauth.",
    why="Once SSO is on, Jama refuses basic credentials on the REST API; Interchange's own "
        "documentation says: if your instance uses SAML, select oAuth.",
    example="""
          saml: true
          auth: {type: basic, username: svc, password: "${JAMA_PASSWORD}"}
        """,
    fix="""
          saml: true
          auth: {type: oauth, client_id: interchange, client_secret: "${JAMA_CLIENT_SECRET}"}
        """,
)

INVALID_URL = Rule(
    "JC207", "invalid-url", "error", "The URL is not an absolute http(s) URL with a host.",
    what="Reports a `url` that is not `http://` or `https://` followed by a host (scheme and host "
         "in any letter case), or a `${NAME}` reference.",
    why="Interchange needs the instance's address; `acme.jamacloud.com` without a scheme or "
        "`https:/acme` cannot be reached.",
    example="""
          url: acme.jamacloud.com
        """,
    fix="""
          url: https://acme.jamacloud.com
        """,
)

EMPTY_VALUE = Rule(
    "JC208", "empty-value", "error", "A value is empty: blank, null, or an empty list.",
    what="Reports a blank string, a key with nothing after it, `connectors: []` or "
         "`admin_groups: []`.",
    why="An empty value is a placeholder someone forgot to fill; for optional keys, write a value "
        "or remove the key so the default applies.",
    example="""
          name: ""
          verify_ssl:
        """,
    fix="""
          name: Jama production
        """,
)

DUPLICATE_PROJECT = Rule(
    "JC209", "duplicate-project", "warning", "`projects` lists the same project twice.",
    what="Reports a project listed a second time in one connector's `projects`: project keys are "
         "compared without case (`SANDBOX`, `sandbox`), ids as numbers (`42`, `0x2A`). A key and "
         "an id are never compared (`\"42\"` is a key). `${NAME}` references are not compared.",
    why="Jama and Jira project keys are case-insensitive, so both entries name one project: the "
        "list says less than it seems (the second entry was often meant to be another project), "
        "and `--live` checks the same project twice against the instance's rate limit.",
    example="""
          projects: [SANDBOX, REQ, sandbox]
        """,
    fix="""
          projects: [SANDBOX, REQ]
        """,
    check=check_duplicate_projects,
)

RULES = (MISSING_FIELD, UNKNOWN_FIELD, WRONG_TYPE, INVALID_VALUE, AUTH_FIELD_MISMATCH,
         SAML_REQUIRES_OAUTH, INVALID_URL, EMPTY_VALUE, DUPLICATE_PROJECT)
