"""Jira (Cloud and Data Center): the other side of every Interchange integration.

Chain: secrets → login (``/rest/api/2/myself``) → active → permissions per project.
"""

from __future__ import annotations

from jamacheck.live.http import LiveError
from jamacheck.live.result import FAIL, PASS, ConnectorResult
from jamacheck.live.session import Session
from jamacheck.rules.jc5_live import LOGIN_FAILED, PROJECT_ACCESS, UNEXPECTED_RESPONSE, USER_INACTIVE

MYSELF = "rest/api/2/myself"
MY_PERMISSIONS = "rest/api/2/mypermissions"
PERMISSIONS = ("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS", "CREATE_ATTACHMENTS")


def checks_for(connector: dict, probe_write: bool) -> list[str]:
    return ["secrets", "login", "active", *(f"permissions:{p}" for p in connector.get("projects") or [])]


def run_chain(session: Session, connector: dict, result: ConnectorResult, probe_write: bool) -> None:
    auth = connector["auth"]
    if auth["type"] == "token":
        session.set_bearer(auth["token"])
    else:
        session.set_basic(auth["username"], auth["password"])
    try:
        answer = session.get(MYSELF)
        if answer.status in (401, 403):
            raise LiveError(LOGIN_FAILED, f"Jira refused the login ({answer.status}): the credentials are wrong or "
                                     "expired (Cloud: e-mail and API token; Data Center: a personal access token)")
        if answer.status != 200:
            raise session.unexpected(answer, "reading the current user")
        user = answer.json()
        if not isinstance(user, dict):
            raise LiveError(UNEXPECTED_RESPONSE, "the current user is not a JSON object")
    except LiveError as err:
        result.add("login", FAIL, err.detail, err.rule)
        result.skip_rest(checks_for(connector, probe_write), "skipped: the login failed")
        return
    result.add("login", PASS, f"logged in as {user.get('name') or user.get('displayName') or '?'}")
    if user.get("active") is False:
        result.add("active", FAIL, "the Jira account is deactivated", USER_INACTIVE)
    else:
        result.add("active", PASS, "active")
    for project in connector.get("projects") or []:
        check_permissions(session, str(project), result)


def check_permissions(session: Session, project: str, result: ConnectorResult) -> None:
    name = f"permissions:{project}"
    try:
        answer = session.get(MY_PERMISSIONS, params={"projectKey": project, "permissions": ",".join(PERMISSIONS)})
        if answer.status in (400, 401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project} cannot be read ({answer.status}): check the key and "
                                     "the account's permissions")
        if answer.status != 200:
            raise session.unexpected(answer, f"reading permissions on {project}")
        body = answer.json()
        granted = body.get("permissions") if isinstance(body, dict) else None
        if not isinstance(granted, dict):
            raise LiveError(UNEXPECTED_RESPONSE, f"permissions of {project}: the answer has no `permissions`")
        missing = [p for p in PERMISSIONS if not (granted.get(p) or {}).get("havePermission")]
    except LiveError as err:
        result.add(name, FAIL, err.detail, err.rule)
        return
    if missing:
        result.add(name, FAIL, f"project {project}: missing {', '.join(missing)}", PROJECT_ACCESS)
    else:
        result.add(name, PASS, f"project {project}: all permissions")
