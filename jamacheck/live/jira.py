"""Jira (Cloud and Data Center): the other side of every Interchange integration.

Chain: secrets → login (``/rest/api/2/myself``) → active → permissions per project. A
project-level permission query answers "granted" when the permission is granted to the
reporter role, so the permissions are asked for an issue the account did not report when
the project holds one (SPEC §5.1).
"""

from __future__ import annotations

import re
from typing import Any

from jamacheck.live.http import Answer, LiveError
from jamacheck.live.result import FAIL, PASS, SKIP, ConnectorResult
from jamacheck.live.session import Session, project_list, quoted
from jamacheck.rules.jc5_live import LOGIN_FAILED, PROJECT_ACCESS, UNEXPECTED_RESPONSE, USER_INACTIVE

MYSELF = "rest/api/2/myself"
MY_PERMISSIONS = "rest/api/2/mypermissions"
SEARCH = "rest/api/2/search"
PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # any other key is quoted in the JQL
SEARCH_JQL = "rest/api/2/search/jql"  # Jira Cloud, where SEARCH answers 410 since 2025 (changelog CHANGE-2046)
PERMISSIONS = ("BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS", "CREATE_ATTACHMENTS")
CAPTCHA = ("Jira Data Center asks this account to solve a CAPTCHA ({status}, after earlier failed logins), so no "
           "password is accepted until then: sign in once in a browser as this account to clear it")


def checks_for(connector: dict[str, Any], probe_write: bool) -> list[str]:
    return ["secrets", "login", "active", *(f"permissions:{p}" for p in project_list(connector))]


def run_chain(session: Session, connector: dict[str, Any], result: ConnectorResult, probe_write: bool) -> None:
    auth = connector["auth"]
    if auth["type"] == "token":
        session.set_bearer(auth["token"])
    else:
        session.set_basic(auth["username"], auth["password"])
    try:
        user = _myself(session, connector)
    except LiveError as err:
        result.add("login", FAIL, err.detail, err.rule)
        result.skip_rest(checks_for(connector, probe_write), "skipped: the login failed")
        return
    name = next((user[k] for k in ("name", "emailAddress", "displayName") if isinstance(user.get(k), str)), None)
    result.add("login", PASS, f"logged in as {name}" if name else "logged in")
    active = user.get("active")
    if active is False:
        result.add("active", FAIL, "the Jira account is deactivated: reactivate it in the user management",
                   USER_INACTIVE)
    elif active is True or active is None:
        result.add("active", PASS, "active")
    else:
        result.add("active", FAIL, "the current user's active flag is not a boolean", UNEXPECTED_RESPONSE)
    for project in project_list(connector):
        if not isinstance(project, str) or not project.strip():
            result.add(f"permissions:{project}", SKIP, "not checked: the project is not a key (see the offline finding)")
            continue
        check_permissions(session, project, result)


def _myself(session: Session, connector: dict[str, Any]) -> dict[str, Any]:
    answer = session.get(MYSELF)
    if answer.status in (401, 403) and _captcha(answer):  # the header says it, whichever refusal carries it
        raise LiveError(LOGIN_FAILED, CAPTCHA.format(status=answer.status))
    if answer.status in (401, 403):
        raise LiveError(LOGIN_FAILED, _refused(connector, answer.status) + quoted(answer))
    if answer.status != 200:
        raise session.unexpected(answer, "reading the current user")
    user = answer.json()
    if not isinstance(user, dict):
        raise LiveError(UNEXPECTED_RESPONSE, "the current user is not a JSON object")
    return user


def _captcha(answer: Answer) -> bool:
    reason = answer.headers.get("x-authentication-denied-reason", "")
    login = answer.headers.get("x-seraph-loginreason", "")
    return "CAPTCHA_CHALLENGE" in reason.upper() or "AUTHENTICATION_DENIED" in login.upper()


def _refused(connector: dict[str, Any], status: int) -> str:
    if connector.get("deployment") == "cloud":
        return (f"Jira Cloud refused the login ({status}): the e-mail address or the API token is wrong, or the "
                "token expired or was revoked (create one at id.atlassian.com); a service account's scoped token "
                "works only on https://api.atlassian.com/ex/jira/<cloudId>")
    if connector["auth"]["type"] == "token":
        return (f"Jira refused the personal access token ({status}): it is wrong, expired or revoked, or the "
                "account is deactivated; create a new one in the account's profile")
    return (f"Jira refused the login ({status}): the username or password is wrong, or the account is "
            "deactivated (a personal access token is sent with `type: token`, not as a password)")


def check_permissions(session: Session, project: str, result: ConnectorResult) -> None:
    name = f"permissions:{project}"
    try:
        issue = _unreported_issue(session, project)
        query = dict([issue]) if issue else {"projectKey": project}
        answer = session.get(MY_PERMISSIONS, params={**query, "permissions": ",".join(PERMISSIONS)})
        if answer.status == 400:
            raise LiveError(UNEXPECTED_RESPONSE, f"Jira refused the permission query for {project} (400)"
                            + quoted(answer))
        if answer.status in (401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project} cannot be read ({answer.status}): check the key and "
                                            "the account's permissions" + quoted(answer))
        if answer.status != 200:
            raise session.unexpected(answer, f"reading permissions on {project}")
        missing = _missing(answer, project)
    except LiveError as err:
        result.add(name, FAIL, err.detail, err.rule)
        return
    where = (f"asked for issue {issue[1]}, which the account did not report" if issue else
             "asked at project level: the project holds no issue that the account did not report")
    if missing:
        result.add(name, FAIL, f"project {project}: missing {', '.join(missing)} ({where})", PROJECT_ACCESS)
    else:
        result.add(name, PASS, f"project {project}: all permissions ({where})")


def _unreported_issue(session: Session, project: str) -> tuple[str, str] | None:
    """An issue of the project that the account did not report, as ``("issueKey", key)`` or
    ``("issueId", id)`` (Jira Cloud's search/jql may give ids only), or None. The key is
    quoted in the JQL: whatever the file holds, it stays one project name."""
    key = project if PLAIN_KEY.fullmatch(project) else '"' + project.replace("\\", "\\\\").replace('"', '\\"') + '"'
    params = {"jql": f"project={key} AND reporter != currentUser()", "maxResults": 1, "fields": "key"}
    answer = session.get(SEARCH, params=params)
    if answer.status == 410:  # removed on Jira Cloud: its successor
        answer = session.get(SEARCH_JQL, params=params)
    if answer.status in (400, 401, 403, 404):
        raise LiveError(PROJECT_ACCESS, f"project {project} cannot be read ({answer.status}): check the key and the "
                                        "account's permissions" + quoted(answer))
    if answer.status != 200:
        raise session.unexpected(answer, f"searching the issues of {project}")
    body = answer.json()
    issues = body.get("issues") if isinstance(body, dict) else None
    if not isinstance(issues, list):
        raise LiveError(UNEXPECTED_RESPONSE, f"issues of {project}: the search answer has no `issues` list")
    if not issues:
        return None
    first = issues[0] if isinstance(issues[0], dict) else {}
    for field, name in (("key", "issueKey"), ("id", "issueId")):
        if isinstance(first.get(field), str) and first[field]:
            return name, first[field]
    raise LiveError(UNEXPECTED_RESPONSE, f"issues of {project}: an issue has no key")


def _missing(answer: Answer, project: str) -> list[str]:
    body = answer.json()
    granted = body.get("permissions") if isinstance(body, dict) else None
    if not isinstance(granted, dict):
        raise LiveError(UNEXPECTED_RESPONSE, f"permissions of {project}: the answer has no `permissions` object")
    missing = []
    for permission in PERMISSIONS:
        entry = granted.get(permission)
        have = entry.get("havePermission") if isinstance(entry, dict) else None
        if not isinstance(have, bool):
            raise LiveError(UNEXPECTED_RESPONSE, f"permissions of {project}: {permission} has no havePermission "
                                                 "true/false")
        if not have:
            missing.append(permission)
    return missing
