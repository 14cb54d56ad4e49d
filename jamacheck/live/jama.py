"""Jama Connect: the endpoints, and what their answers mean for an Interchange connector.

Chain (SPEC §5): secrets → login → licence → active → admin → read (and write) per project.
"""

from __future__ import annotations

from jamacheck.live.http import LiveError
from jamacheck.live.result import FAIL, PASS, SKIP, UNKNOWN, ConnectorResult
from jamacheck.live.session import Session
from jamacheck.rules.jc5_live import (
    ADMIN_UNVERIFIED,
    API_ACCESS_DENIED,
    LOGIN_FAILED,
    NOT_ADMIN,
    NOT_CREATOR_LICENSE,
    PROJECT_ACCESS,
    UNEXPECTED_RESPONSE,
    USER_INACTIVE,
)

CURRENT_USER = "rest/v1/users/current"
TOKEN = "rest/oauth/token"
USER_GROUPS = "rest/v1/usergroups"
PROJECTS = "rest/v1/projects"
ITEMS = "rest/v1/items"
PAGE_SIZE = 50
MAX_PAGES = 200  # a hostile or broken server cannot keep us paging forever
DEFAULT_ADMIN_GROUPS = ("Organization Admin",)

LICENSES = {
    "FLOATING": "a Creator Float licence: only Named Creators may use the REST API (Float gets 401)",
    "STAKEHOLDER": "a Stakeholder licence: it cannot edit items",
    "FLOATING_COLLABORATOR": "a floating Collaborator licence: it cannot create or edit items",
    "RESERVED_COLLABORATOR": "a reserved Collaborator licence: it cannot create or edit items",
    "FLOATING_REVIEWER": "a floating Reviewer licence: it can only review",
    "RESERVED_REVIEWER": "a reserved Reviewer licence: it can only review",
    "NAMED_REVIEWER": "a named Reviewer licence: it can only review",
    "TEST_RUNNER": "a Test Runner licence: it can only run tests",
    "EXPIRING_TRIAL": "an expiring trial licence: the integration stops when it ends",
    "INACTIVE": "no active licence",
}
UNAUTHORIZED = ("Jama refused the login (401): the username or password is wrong, the account holds a "
                "Creator Float licence (only Named Creators may use the REST API), or it is deactivated")
NOT_PERMITTED = ("403: this user is not permitted to use the API: REST API access control is on; add the "
                 "account (or its group) under Admin > Organization > REST API")


def checks_for(connector: dict, probe_write: bool) -> list[str]:
    names = ["secrets", "login", "license", "active", "admin"]
    for project in connector.get("projects") or []:
        names.append(f"read:{project}")
        if probe_write:
            names.append(f"write:{project}")
    return names


def run_chain(session: Session, connector: dict, result: ConnectorResult, probe_write: bool) -> None:
    names = checks_for(connector, probe_write)
    user = login(session, connector, result)
    if user is None:
        result.skip_rest(names, "skipped: the login failed")
        return
    check_license(user, result)
    check_active(user, result)
    check_admin(session, connector, user, result)
    for project in connector.get("projects") or []:
        check_project(session, project, result, probe_write)


def login(session: Session, connector: dict, result: ConnectorResult) -> dict | None:
    auth = connector["auth"]
    try:
        if auth["type"] == "oauth":
            session.remember_basic(auth["client_id"], auth["client_secret"])
            token = fetch_token(session, auth["client_id"], auth["client_secret"])
            session.set_bearer(token)
        else:
            session.set_basic(auth["username"], auth["password"])
        # Only 429/503 are retried (http.py); a refused login (401) never is: Jama locks accounts.
        answer = session.get(CURRENT_USER)
        if answer.status == 401:
            raise LiveError(LOGIN_FAILED, UNAUTHORIZED)
        if answer.status == 403:
            raise _forbidden(session, answer)
        if answer.status == 404:
            raise LiveError(UNEXPECTED_RESPONSE, f"404 from {answer.url}: is `url` the instance's base URL, with its "
                                     "context path if it has one (e.g. https://host/jama)?")
        if answer.status != 200:
            raise session.unexpected(answer, "reading the current user")
        user = _data(answer.json(), "the current user")
    except LiveError as err:
        result.add("login", FAIL, err.detail, err.rule)
        return None
    result.add("login", PASS, f"logged in as {user.get('username', '?')}")
    return user


def fetch_token(session: Session, client_id: str, client_secret: str) -> str:
    answer = session.send("POST", TOKEN, auth=(client_id, client_secret),
                          data={"grant_type": "client_credentials"})
    if answer.status == 403 and "not permitted to use the api" in session.server_message(answer).lower():
        raise LiveError(API_ACCESS_DENIED, NOT_PERMITTED)
    if answer.status in (400, 401, 403):
        detail = session.server_message(answer)
        raise LiveError(LOGIN_FAILED, f"Jama refused the OAuth client credentials ({answer.status}): the client "
                                 "ID or secret is wrong or was revoked; create new API credentials as the "
                                 "service account" + (f" ({detail})" if detail else ""))
    if answer.status == 404:
        raise LiveError(UNEXPECTED_RESPONSE, f"404 from {answer.url}: no OAuth token endpoint; is `url` the base URL, and "
                                 "does the instance offer OAuth (Jama Cloud, or self-hosted 8.62 and later)?")
    if answer.status != 200:
        raise session.unexpected(answer, "requesting an OAuth token")
    body = answer.json()
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise LiveError(LOGIN_FAILED, "the OAuth token answer has no access_token: the client credentials were not accepted")
    token_type = body.get("token_type")
    if token_type is not None and str(token_type).lower() != "bearer":
        raise LiveError(UNEXPECTED_RESPONSE, f"the OAuth token is of type {str(token_type)[:20]!r}, not bearer")
    return token


def check_license(user: dict, result: ConnectorResult) -> None:
    license_type = user.get("licenseType")
    if license_type == "NAMED":
        result.add("license", PASS, "Named Creator")
    elif license_type is None:
        result.add("license", FAIL, "the current user has no licenseType", UNEXPECTED_RESPONSE)
    else:
        meaning = LICENSES.get(str(license_type), "not a Creator licence")
        result.add("license", FAIL, f"licenseType is {str(license_type)[:40]}, {meaning}; Interchange needs a "
                                    "Named Creator licence (NAMED)", NOT_CREATOR_LICENSE)


def check_active(user: dict, result: ConnectorResult) -> None:
    if user.get("active") is True:
        result.add("active", PASS, "active")
    elif user.get("active") is False:
        result.add("active", FAIL, "the service account is deactivated: reactivate it in Admin > Users", USER_INACTIVE)
    else:
        result.add("active", FAIL, "the current user has no active flag", UNEXPECTED_RESPONSE)


def check_admin(session: Session, connector: dict, user: dict, result: ConnectorResult) -> None:
    wanted = connector.get("admin_groups") or list(DEFAULT_ADMIN_GROUPS)
    try:
        status, detail, rule = _admin_membership(session, wanted, user)
    except LiveError as err:
        status, detail, rule = UNKNOWN, f"admin rights unknown: {err.detail}", ADMIN_UNVERIFIED
    except _Denied as denied:  # never a guess: unknown is not "no"
        status, detail, rule = UNKNOWN, f"admin rights unknown: {denied.path} cannot be read ({denied.status})", ADMIN_UNVERIFIED
    result.add("admin", status, detail, rule)


def _admin_membership(session: Session, wanted: list[str], user: dict) -> tuple[str, str, str | None]:
    folded = {name.strip().casefold() for name in wanted}
    groups = [g for g in paged(session, USER_GROUPS)
              if isinstance(g, dict) and str(g.get("name", "")).strip().casefold() in folded]
    if not groups:
        return FAIL, (f"no group named {', '.join(map(repr, wanted))} exists: name the group that grants "
                      "admin rights in `admin_groups`"), NOT_ADMIN
    for group in groups:
        members = paged(session, f"{USER_GROUPS}/{group.get('id')}/users")
        if any(_same_user(member, user) for member in members):
            return PASS, f"member of {group.get('name')!r}", None
    names = ", ".join(repr(str(g.get("name"))) for g in groups)
    return FAIL, (f"{user.get('username', 'the user')} is in none of {names}: add it, or list the group that "
                  "grants admin rights in `admin_groups`"), NOT_ADMIN


def check_project(session: Session, project, result: ConnectorResult, probe_write: bool) -> None:
    read, write = f"read:{project}", f"write:{project}"
    try:
        project_id = find_project(session, project)
        answer = session.get(ITEMS, params={"project": project_id, "maxResults": 1})
        if answer.status in (401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project}: its items cannot be read ({answer.status})")
        if answer.status != 200:
            raise session.unexpected(answer, f"reading project {project}")
        _data(answer.json(), f"items of project {project}")
    except LiveError as err:
        result.add(read, FAIL, err.detail, err.rule)
        if probe_write:
            result.add(write, SKIP, "skipped: the project cannot be read")
        return
    result.add(read, PASS, f"project {project} is readable")
    if probe_write:
        probe_write_access(session, project, project_id, result)


def find_project(session: Session, project) -> int:
    if isinstance(project, int):
        answer = session.get(f"{PROJECTS}/{project}")
        if answer.status in (401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project} cannot be read ({answer.status}): check the id and the "
                                     "account's permissions")
        if answer.status != 200:
            raise session.unexpected(answer, f"reading project {project}")
        _data(answer.json(), f"project {project}")
        return project
    try:
        for item in paged(session, PROJECTS):
            fields = item.get("fields") if isinstance(item, dict) else None
            key = item.get("projectKey") or (fields or {}).get("projectKey")
            if isinstance(key, str) and key.casefold() == str(project).casefold():
                return item.get("id")
    except _Denied as denied:
        raise LiveError(PROJECT_ACCESS, f"projects cannot be listed ({denied.status})") from None
    raise LiveError(PROJECT_ACCESS, f"no project with key {project!r} is visible to the account: check the key and "
                             "the account's permissions")


def probe_write_access(session: Session, project, project_id: int, result: ConnectorResult) -> None:
    name = f"write:{project}"
    try:
        answer = session.get(ITEMS, params={"project": project_id, "maxResults": 20})
        items = _data(answer.json(), f"items of project {project}") if answer.status == 200 else []
        for item in items if isinstance(items, list) else []:
            item_id = item.get("id") if isinstance(item, dict) else None
            lock = session.get(f"{ITEMS}/{item_id}/lock")
            if lock.status != 200 or (_data(lock.json(), "a lock") or {}).get("locked"):
                continue  # locked by someone: never touch it
            if not _put_lock(session, item_id, True):
                result.add(name, FAIL, f"project {project}: item {item_id} cannot be locked: no write access",
                           PROJECT_ACCESS)
                return
            if not _put_lock(session, item_id, False):
                result.add(name, FAIL, f"project {project}: item {item_id} was locked but cannot be unlocked: "
                                       "unlock it in Jama", PROJECT_ACCESS)
                return
            result.add(name, PASS, f"locked and unlocked item {item_id}")
            return
        result.add(name, UNKNOWN, f"project {project}: no unlocked item to probe; write access unknown")
    except LiveError as err:
        result.add(name, FAIL, err.detail, err.rule)


def _put_lock(session: Session, item_id, locked: bool) -> bool:
    answer = session.send("PUT", f"{ITEMS}/{item_id}/lock", json={"locked": locked})
    if answer.status in (200, 204):
        return True
    if answer.status in (401, 403, 404, 409):
        return False
    raise session.unexpected(answer, "locking an item")


def _same_user(member, user: dict) -> bool:
    if not isinstance(member, dict):
        return False
    if member.get("id") is not None and user.get("id") is not None:
        return member.get("id") == user.get("id")
    return member.get("username") is not None and member.get("username") == user.get("username")


class _Denied(Exception):
    def __init__(self, status: int, path: str) -> None:
        super().__init__(status)
        self.status, self.path = status, path


def paged(session: Session, path: str):
    """Every item of a paged list (``startAt``/``maxResults``), bounded."""
    start, previous = 0, None
    for _ in range(MAX_PAGES):
        answer = session.get(path, params={"startAt": start, "maxResults": PAGE_SIZE})
        if answer.status in (401, 403, 404):
            raise _Denied(answer.status, path)
        if answer.status != 200:
            raise session.unexpected(answer, f"reading {path}")
        body = answer.json()
        items = _data(body, path)
        if not isinstance(items, list):
            raise LiveError(UNEXPECTED_RESPONSE, f"{path}: the answer's data is not a list")
        if items and items == previous:
            return  # the server ignores startAt: do not page forever
        previous = items
        yield from items
        page = ((body.get("meta") or {}).get("pageInfo") or {}) if isinstance(body, dict) else {}
        total = page.get("totalResults")
        start += len(items)
        if not items or not isinstance(total, int) or start >= total:
            return
    raise LiveError(UNEXPECTED_RESPONSE, f"{path}: more than {MAX_PAGES} pages")


def _data(body, what: str):
    if not isinstance(body, dict) or "data" not in body:
        raise LiveError(UNEXPECTED_RESPONSE, f"{what}: the answer has no `data`")
    return body["data"]


def _forbidden(session: Session, answer) -> LiveError:
    message = session.server_message(answer)
    if "not permitted to use the api" in message.lower():
        return LiveError(API_ACCESS_DENIED, NOT_PERMITTED)
    return LiveError(API_ACCESS_DENIED, f"403 from {answer.url}: access denied" + (f" ({message})" if message else ""))
