"""Jama Connect: the endpoints, and what their answers mean for an Interchange connector.

Chain (SPEC §5): secrets → login → licence → active → admin → read and write per project.
Every verdict rests on a documented answer (README, "What a live answer means"); a
server's answer is never trusted to have the documented shape: a wrong type anywhere is
JC510 for the check it hit, and the other checks go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamacheck.live import secrets
from jamacheck.live.http import Answer, CapReached, LiveError
from jamacheck.live.result import FAIL, PASS, SKIP, UNKNOWN, ConnectorResult
from jamacheck.live.session import Session, project_list, quoted, server_message
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
PROBE_ITEMS = 20  # with --probe-write: one page of items to find one nobody holds
DEFAULT_ADMIN_GROUPS = ("Organization Admin",)

LICENSES = {
    "FLOATING": "a Creator Float licence: only Named Creators may use the REST API",
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
_REFUSED_ACCOUNT = ("it is not a Named Creator (Creator Float and every other licence type are refused by the "
                    "REST API: assign a Named Creator licence), or it is deactivated (reactivate it in Admin > Users)")
NOT_PERMITTED = ("403 \"This user is not permitted to use the API\": REST API access control is on (Jama 9.17 and "
                 "later) and the account is not in it; add the account, or a group it is in, under Admin > "
                 "Organization > REST API")


def basic_refused(saml: bool) -> str:
    sso = ("the instance uses SAML (`saml: true`), where basic logins are refused: use oauth with API credentials"
           if saml else "the instance uses SSO/SAML, where basic logins are refused (use oauth)")
    return ("Jama refused the login (401), and the REST API does not say which of these is the cause: the "
            "username or password is wrong; the account is not a Named Creator (Creator Float and every other "
            "licence type are refused by the REST API); the account is deactivated; or " + sso + ". "
            "A refused basic login is not retried (Jama locks accounts)")


def checks_for(connector: dict[str, Any], probe_write: bool) -> list[str]:
    names = ["secrets", "login", "license", "active", "admin"]
    for project in project_list(connector):
        names += [f"read:{project}", f"write:{project}"]
    return names


def run_chain(session: Session, connector: dict[str, Any], result: ConnectorResult, probe_write: bool) -> None:
    names = checks_for(connector, probe_write)
    user = login(session, connector, result)
    if user is None:
        result.skip_rest(names, "skipped: the login failed")
        return
    check_license(user, result)
    check_active(user, result)
    check_admin(session, connector, user, result)
    for project in project_list(connector):
        if isinstance(project, bool) or not isinstance(project, (str, int)):
            why = "not checked: the project is neither a key nor an id (see the offline finding)"
            result.add(f"read:{project}", SKIP, why)
            result.add(f"write:{project}", SKIP, why)
            continue
        check_project(session, project, result, probe_write)


def login(session: Session, connector: dict[str, Any], result: ConnectorResult) -> dict[str, Any] | None:
    auth = connector["auth"]
    oauth = auth["type"] == "oauth"
    try:
        if oauth:
            session.set_bearer(fetch_token(session, auth["client_id"], auth["client_secret"]))
        else:
            session.set_basic(auth["username"], auth["password"])
        # Only 429/503 are retried (http.py); a refused login (401) never is: Jama locks accounts.
        answer = session.get(CURRENT_USER)
        if answer.status == 401:
            detail = (f"the OAuth token was granted, so the API credentials are good, but Jama refused the account "
                      f"behind them (401 on users/current): {_REFUSED_ACCOUNT}") if oauth else \
                basic_refused(connector.get("saml") is True)
            raise LiveError(LOGIN_FAILED, detail)
        if answer.status == 403:
            raise _forbidden(answer)
        if answer.status == 404:
            raise LiveError(UNEXPECTED_RESPONSE, f"404 from {answer.url}: is `url` the instance's base URL, with its "
                                                 "context path if it has one (e.g. https://host/jama)?")
        if answer.status != 200:
            raise session.unexpected(answer, "reading the current user")
        user: dict[str, Any] = _data(answer, "the current user", dict)
    except LiveError as err:
        result.add("login", FAIL, err.detail, err.rule)
        return None
    name = user.get("username")
    result.add("login", PASS, f"logged in as {name}" if isinstance(name, str) else "logged in")
    return user


def fetch_token(session: Session, client_id: str, client_secret: str) -> str:
    answer = session.send("POST", TOKEN, authorization=secrets.learn_basic(client_id, client_secret),
                          data={"grant_type": "client_credentials"})
    message = server_message(answer)
    if answer.status == 403 and "not permitted to use the api" in message.lower():
        raise LiveError(API_ACCESS_DENIED, NOT_PERMITTED)
    if answer.status in (401, 403) or (answer.status == 400 and "invalid_client" in _oauth_error(answer)):
        raise LiveError(LOGIN_FAILED, f"Jama refused the OAuth client credentials ({answer.status}): the client ID "
                                      "or secret is wrong or was revoked; create new API credentials as the service "
                                      "account (My Profile > Set API Credentials)" + quoted(answer))
    if answer.status == 404:
        raise LiveError(UNEXPECTED_RESPONSE, f"404 from {answer.url}: no OAuth token endpoint; is `url` the base URL, "
                                             "and does the instance offer OAuth (Jama Cloud, or self-hosted 8.62 and "
                                             "later)?")
    if answer.status != 200:
        raise session.unexpected(answer, "requesting an OAuth token")
    body = answer.json()
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise LiveError(LOGIN_FAILED, "the OAuth token answer has no access_token: the client credentials were "
                                      "not accepted")
    secrets.learn_bearer(token)
    token_type = body.get("token_type")
    if token_type is not None and (not isinstance(token_type, str) or token_type.lower() != "bearer"):
        shown = secrets.mask(str(token_type))[:20]
        raise LiveError(UNEXPECTED_RESPONSE, f"the OAuth token is of type {shown!r}, not bearer")
    return token


def _oauth_error(answer: Answer) -> str:
    try:
        body = answer.json()
    except LiveError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else ""


def check_license(user: dict[str, Any], result: ConnectorResult) -> None:
    license_type = user.get("licenseType")
    if license_type == "NAMED":
        result.add("license", PASS, "Named Creator")
    elif not isinstance(license_type, str):
        result.add("license", FAIL, "the current user's licenseType is missing or not a string", UNEXPECTED_RESPONSE)
    else:
        shown = secrets.mask(license_type)[:40]  # mask before cutting
        meaning = LICENSES.get(license_type, "not a Creator licence")
        result.add("license", FAIL, f"licenseType is {shown}, {meaning}; Interchange needs a Named Creator licence "
                                    "(NAMED)", NOT_CREATOR_LICENSE)


def check_active(user: dict[str, Any], result: ConnectorResult) -> None:
    active = user.get("active")
    if active is True:
        result.add("active", PASS, "active")
    elif active is False:
        result.add("active", FAIL, "the service account is deactivated: reactivate it in Admin > Users", USER_INACTIVE)
    else:
        result.add("active", FAIL, "the current user's active flag is missing or not a boolean", UNEXPECTED_RESPONSE)


def check_admin(session: Session, connector: dict[str, Any], user: dict[str, Any], result: ConnectorResult) -> None:
    wanted = connector.get("admin_groups", list(DEFAULT_ADMIN_GROUPS))
    if not isinstance(wanted, list) or not wanted or not all(isinstance(g, str) for g in wanted):
        result.add("admin", SKIP, "not checked: admin_groups is not a list of group names (see the offline finding)")
        return
    try:
        status, detail, rule = _admin_membership(session, wanted, user)
    except CapReached as err:
        status, detail, rule = UNKNOWN, f"admin rights unknown: {err.detail}", ADMIN_UNVERIFIED
    except _Denied as denied:  # never a guess: unknown is not "no"
        status, detail, rule = (UNKNOWN, f"admin rights unknown: {denied.path} cannot be read ({denied.status})",
                                ADMIN_UNVERIFIED)
    except LiveError as err:
        status, detail, rule = FAIL, err.detail, err.rule
    result.add("admin", status, detail, rule)


def _admin_membership(session: Session, wanted: list[str], user: dict[str, Any]) -> tuple[str, str, Any]:
    _identity(user)
    folded = {name.strip().casefold() for name in wanted}
    groups = [g for g in _objects(paged(session, USER_GROUPS), USER_GROUPS, "name")
              if g["name"].strip().casefold() in folded]
    for group in groups:
        if isinstance(group.get("id"), bool) or not isinstance(group.get("id"), (int, str)):
            raise LiveError(UNEXPECTED_RESPONSE, f"{USER_GROUPS}: a group's id is not a number")
        members = f"{USER_GROUPS}/{group['id']}/users"
        if any(_same_user(member, user) for member in _objects(paged(session, members), members)):
            return PASS, f"member of {group['name']!r}", None
    found = ", ".join(repr(g["name"]) for g in groups) or ", ".join(map(repr, wanted))
    who = user.get("username") if isinstance(user.get("username"), str) else "the account"
    why = ("the REST API shows only group membership: an organization administrator role given to the account "
           "directly cannot be seen, so this is a warning (re-level JC507 to error where admin is only granted "
           "through groups)")
    if not groups:
        return FAIL, (f"no group named {found} is visible: name the group that grants admin rights in "
                      f"`admin_groups`; {why}"), NOT_ADMIN
    return FAIL, f"{who} is in none of {found}: add it, or list the group that grants admin rights; {why}", NOT_ADMIN


def check_project(session: Session, project: str | int, result: ConnectorResult, probe_write: bool) -> None:
    read, write = f"read:{project}", f"write:{project}"
    try:
        project_id = find_project(session, project)
        size = PROBE_ITEMS if probe_write else 1
        answer = session.get(ITEMS, params={"project": project_id, "maxResults": size})
        if answer.status in (401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project}: its items cannot be read ({answer.status})"
                            + quoted(answer))
        if answer.status != 200:
            raise session.unexpected(answer, f"reading project {project}")
        items = _data(answer, f"items of project {project}", list)
    except LiveError as err:
        result.add(read, FAIL, err.detail, err.rule)
        result.add(write, SKIP, "skipped: the project cannot be read")
        return
    result.add(read, PASS, f"project {project} is readable")
    try:
        check_write(session, project, items, result, probe_write)
    except LiveError as err:
        result.add(write, FAIL, err.detail, err.rule)


def find_project(session: Session, project: str | int) -> Any:
    if isinstance(project, int):
        answer = session.get(f"{PROJECTS}/{project}")
        if answer.status in (401, 403, 404):
            raise LiveError(PROJECT_ACCESS, f"project {project} cannot be read ({answer.status}): check the id and "
                                            "the account's permissions" + quoted(answer))
        if answer.status != 200:
            raise session.unexpected(answer, f"reading project {project}")
        _data(answer, f"project {project}", dict)
        return project
    try:
        for item in paged(session, PROJECTS):
            if _project_key(item).casefold() == project.casefold():
                project_id = item.get("id")
                if isinstance(project_id, bool) or not isinstance(project_id, (int, str)):
                    raise LiveError(UNEXPECTED_RESPONSE, f"project {project}: its id is not a number")
                return project_id
    except _Denied as denied:
        raise LiveError(PROJECT_ACCESS, f"projects cannot be listed ({denied.status})") from None
    raise LiveError(PROJECT_ACCESS, f"no project with key {project!r} is visible to the account: check the key and "
                                    "the account's permissions")


def _project_key(item: Any) -> str:
    if not isinstance(item, dict):
        raise LiveError(UNEXPECTED_RESPONSE, f"{PROJECTS}: an entry is not an object")
    fields = item.get("fields")
    key = item.get("projectKey")
    if key is None and isinstance(fields, dict):
        key = fields.get("projectKey")
    if key is not None and not isinstance(key, str):
        raise LiveError(UNEXPECTED_RESPONSE, f"{PROJECTS}: a project's key is not a string")
    return key if isinstance(key, str) else ""


def check_write(session: Session, project: str | int, items: list[Any], result: ConnectorResult,
                probe_write: bool) -> None:
    """write:<project> from the first item's ``resources.self.allowed``; then, with
    --probe-write, proven by locking and unlocking an item nobody holds."""
    name = f"write:{project}"
    if not items:
        result.add(name, UNKNOWN, f"project {project} holds no item: write access unknown")
        return
    allowed = _allowed(items[0], project)
    if allowed is not None and not {"PUT", "PATCH"} & set(allowed):
        result.add(name, FAIL, f"the account cannot edit project {project}'s items (resources.self.allowed lists "
                               f"{', '.join(allowed[:6]) or 'nothing'}, neither PUT nor PATCH): grant it write "
                               "permission on the project", PROJECT_ACCESS)
        return
    verdict = (PASS, f"project {project}'s items can be edited (resources.self.allowed lists PUT/PATCH)") \
        if allowed is not None else (UNKNOWN, f"project {project}: the items carry no resources.self.allowed, "
                                              "so write access is unknown (--probe-write proves it)")
    if probe_write:
        from jamacheck.live.probe import probe_lock

        verdict = probe_lock(session, project, items, verdict)
    result.add(name, verdict[0], verdict[1], verdict[2] if len(verdict) > 2 else None)


def _allowed(item: Any, project: str | int) -> list[str] | None:
    """The item's allowed methods; None when the answer has no such field (older Jama)."""
    if not isinstance(item, dict):
        raise LiveError(UNEXPECTED_RESPONSE, f"items of project {project}: an item is not an object")
    resources = item.get("resources")
    if resources is None:
        return None
    own = resources.get("self") if isinstance(resources, dict) else None
    allowed = own.get("allowed") if isinstance(own, dict) else None
    if not isinstance(allowed, list) or not all(isinstance(m, str) for m in allowed):
        raise LiveError(UNEXPECTED_RESPONSE, f"items of project {project}: resources.self.allowed is not a list "
                                             "of methods")
    return [secrets.mask(m)[:10].upper() for m in allowed]


def _identity(user: dict[str, Any]) -> None:
    """Membership is decided on the current user's id (or username): never on a wrong-typed one."""
    user_id, name = user.get("id"), user.get("username")
    if (user_id is not None and (isinstance(user_id, bool) or not isinstance(user_id, (int, str)))) or \
            (user_id is None and not isinstance(name, str)):
        raise LiveError(UNEXPECTED_RESPONSE, "the current user has no usable id or username, so group membership "
                                             "cannot be read")


def _objects(entries: Iterator[Any], path: str, name: str | None = None) -> Iterator[dict[str, Any]]:
    """Each entry of a list answer, which must be an object (with a string ``name`` when asked)."""
    for entry in entries:
        if not isinstance(entry, dict) or (name is not None and not isinstance(entry.get(name), str)):
            what = f"an object with a {name}" if name else "an object"
            raise LiveError(UNEXPECTED_RESPONSE, f"{path}: an entry is not {what}")
        yield entry


def _same_user(member: Any, user: dict[str, Any]) -> bool:
    if not isinstance(member, dict):
        return False
    if member.get("id") is not None and user.get("id") is not None:
        return bool(member.get("id") == user.get("id"))
    return member.get("username") is not None and member.get("username") == user.get("username")


class _Denied(Exception):
    def __init__(self, status: int, path: str) -> None:
        super().__init__(status)
        self.status, self.path = status, path


def paged(session: Session, path: str) -> Iterator[Any]:
    """Every item of a paged list (``startAt``/``maxResults``); the request cap bounds it."""
    start, previous = 0, None
    while True:
        answer = session.get(path, params={"startAt": start, "maxResults": PAGE_SIZE})
        if answer.status in (401, 403, 404):
            raise _Denied(answer.status, path)
        if answer.status != 200:
            raise session.unexpected(answer, f"reading {path}")
        items = _data(answer, path, list)
        if not items or items == previous:
            return  # the end, or a server that ignores startAt: do not page forever
        previous = items
        yield from items
        start += len(items)
        total = _total(answer.json())
        if total is None or start >= total:
            return


def _total(body: Any) -> int | None:
    meta = body.get("meta") if isinstance(body, dict) else None
    page = meta.get("pageInfo") if isinstance(meta, dict) else None
    total = page.get("totalResults") if isinstance(page, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _data(answer: Answer, what: str, kind: type) -> Any:
    body = answer.json()
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, kind):
        expected = "an object" if kind is dict else "a list"
        raise LiveError(UNEXPECTED_RESPONSE, f"{what}: the answer's `data` is not {expected}")
    return data


def _forbidden(answer: Answer) -> LiveError:
    message = server_message(answer)
    if "not permitted to use the api" in message.lower():
        return LiveError(API_ACCESS_DENIED, NOT_PERMITTED)
    return LiveError(LOGIN_FAILED, "Jama refused the account (403 on users/current)" + quoted(answer))
