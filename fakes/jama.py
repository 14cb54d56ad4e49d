"""A fake Jama Connect REST server on 127.0.0.1, for tests and for trying ``--live``.

It answers as a real Jama Connect does, as far as documentation and the official client
(py-jama-rest-client) show (see ../shared/research/jama-api.md):
- only Named Creators (``licenseType: NAMED``) may use the REST API: every other licence
  type, and a deactivated account, gets 401 at login, basic or OAuth bearer alike (an OAuth
  token is still granted for the API credentials);
- REST API access control (Jama 9.17+): 403 "This user is not permitted to use the API";
- failed basic logins count towards a lockout;
- Jama's envelope (``meta``, ``links``, ``data``) and paging (``startAt``/``maxResults`` ≤ 50);
- items carry ``lock`` and ``resources.self.allowed``; ``PUT /items/{id}/lock`` answers 200
  with the envelope, and refuses an item that somebody else holds;
- a ``JSESSIONID`` cookie on every authenticated answer (a client must not send it elsewhere);
- consecutive slashes in a path are 404 (Jama 8.10+).
Every request is logged (``log``: time, method, path, status, headers, query, body).

    python -m fakes.jama --port 8700 [--tls-ca-out ca.pem]
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

from fakes.server import Answer, FakeServer, Fault, Seen

__all__ = ["FakeJama", "Fault", "Project", "Scenario", "Seen", "User", "demo_scenario", "envelope", "error_body"]


@dataclass
class User:
    id: int
    username: str
    password: str
    license: str = "NAMED"
    active: bool = True
    api_allowed: bool = True


@dataclass
class Project:
    id: int
    key: str
    readers: set[str] | None = None  # None: everyone may read
    writers: set[str] | None = None  # None: everyone may write
    # {"id": 1000, "locked": False, "locked_by": None}; "allowed": a list overrides resources.self.allowed,
    # "allowed": None leaves `resources` out of the item (older servers)
    items: list[dict[str, Any]] = field(default_factory=lambda: [{"id": 1000, "locked": False}])


@dataclass
class Scenario:
    users: list[User] = field(default_factory=list)
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)  # client_id -> (secret, username)
    groups: list[dict[str, Any]] = field(default_factory=list)  # {"id", "name", "members": [user ids]}
    projects: list[Project] = field(default_factory=list)
    access_control: bool = False
    groups_readable: bool = True
    lockout_after: int = 3
    latency: float = 0.0
    context_path: str = ""
    echo_credentials: bool = False  # a careless server that repeats the Authorization header
    faults: dict[tuple[str, str], list[Fault]] = field(default_factory=dict)  # (method, path) -> queue
    jira_permissions: dict[str, set[str]] = field(default_factory=dict)  # kept for old demo files


def demo_scenario() -> Scenario:
    """What ``examples/live/`` expects: one healthy account and a few that show failures."""
    users = [User(1, "svc-interchange", "demo-password"), User(2, "svc-float", "float-password", license="FLOATING"),
             User(3, "svc-reviewer", "reviewer-password", license="NAMED_REVIEWER")]
    return Scenario(
        users=users, clients={"interchange-demo": ("demo-client-secret", "svc-interchange")},
        groups=[{"id": 10, "name": "Organization Admin", "members": [1]}],
        projects=[Project(20, "REQ"), Project(42, "SYS", readers={"svc-interchange"})],
    )


class FakeJama(FakeServer):
    """The server. ``start()`` returns the base URL; ``log`` holds every request."""

    def __init__(self, scenario: Scenario, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        super().__init__(tls=tls, host=host, port=port, context_path=scenario.context_path,
                         latency=scenario.latency)
        self.scenario = scenario
        self.faults = scenario.faults  # the scenario's queues are the server's
        self.failed_logins: dict[str, int] = {}
        self.tokens: dict[str, str] = {}
        self.lock_requests: list[tuple[int, bool, int]] = []  # (item id, locked asked, status)
        self._counter = itertools.count(1)

    def issue_token(self, username: str) -> str:
        token = f"tok{next(self._counter)}{username.encode().hex()}"
        self.tokens[token] = username
        return token

    def route(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        if "//" in path:  # Jama answers 404 to consecutive slashes (since 8.10)
            return Answer(404, error_body("Not Found", "Not Found"))
        status, payload = route(self, method, path, query, headers, body)
        extra: dict[str, str] = {}
        if status < 400 and path.startswith("/rest/v1/"):
            # the session names whose credentials opened it, so a test can see a cookie sent elsewhere
            owner = hashlib.sha256(headers.get("Authorization", "").encode()).hexdigest()[:16]
            extra["Set-Cookie"] = f"JSESSIONID={owner}.{next(self._counter)}; Path=/; HttpOnly"
        if self.scenario.echo_credentials and status >= 400 and isinstance(payload, dict):
            echoed = headers.get("Authorization", "")
            payload = {**payload, "meta": {**payload.get("meta", {}),
                                           "message": f"bad credentials {echoed} {_decoded(echoed)}"}}
        return Answer(status, None if status == 204 else payload, extra)


def envelope(data: Any, status: str = "OK", page: tuple[int, int, int] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"status": status,
                            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())}
    if page:
        meta["pageInfo"] = {"startIndex": page[0], "resultCount": page[1], "totalResults": page[2]}
    return {"meta": meta, "links": {}, "data": data}


def error_body(status: str, message: str) -> dict[str, Any]:
    return {"meta": {"status": status, "timestamp": "2026-01-01T00:00:00.000+0000", "message": message}}


def _decoded(header: str) -> str:
    if header.startswith("Basic "):
        try:
            return base64.b64decode(header[6:]).decode(errors="replace")
        except ValueError:
            return ""
    return ""


def _basic(headers: Any) -> tuple[str, str] | None:
    value = headers.get("Authorization", "")
    if not value.startswith("Basic "):
        return None
    username, _, password = _decoded(value).partition(":")
    return username, password


def _login_user(state: FakeJama, headers: Any) -> User | None:
    """The user the Authorization header names, if its credentials are right (counts failures)."""
    scenario = state.scenario
    value = headers.get("Authorization", "")
    if value.startswith("Bearer "):
        username = state.tokens.get(value[7:])
        return next((u for u in scenario.users if u.username == username), None)
    credentials = _basic(headers)
    if credentials is None:
        return None
    user = next((u for u in scenario.users if u.username == credentials[0]), None)
    with state.lock:
        locked = state.failed_logins.get(credentials[0], 0) >= scenario.lockout_after
        if user is None or user.password != credentials[1] or locked:
            state.failed_logins[credentials[0]] = state.failed_logins.get(credentials[0], 0) + 1
            return None
    return user


def authenticate(state: FakeJama, headers: Any) -> tuple[int, Any]:
    """The user behind a request, or the status and body Jama answers."""
    user = _login_user(state, headers)
    if user is None:
        return 401, error_body("Unauthorized", "Bad credentials")
    # Only Named Creators may use the REST API; a deactivated account cannot log in at all.
    if user.license != "NAMED" or not user.active:
        return 401, error_body("Unauthorized", "Unauthorized")
    if state.scenario.access_control and not user.api_allowed:
        return 403, error_body("Forbidden", "This user is not permitted to use the API")
    return 200, user


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return int((query.get(name) or [str(default)])[0])
    except ValueError:
        return default


def _page(items: list[Any], query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    start = _int(query, "startAt", 0)
    size = min(_int(query, "maxResults", 20), 50)
    chunk = items[start:start + size]
    return 200, envelope(chunk, page=(start, len(chunk), len(items)))


def _token(state: FakeJama, headers: Any, body: bytes) -> tuple[int, Any]:
    credentials = _basic(headers)
    client = state.scenario.clients.get(credentials[0]) if credentials else None
    if client is None or credentials is None or client[0] != credentials[1] \
            or b"grant_type=client_credentials" not in body:
        return 401, {"error": "invalid_client", "error_description": "Bad client credentials"}
    return 200, {"access_token": state.issue_token(client[1]), "token_type": "Bearer", "expires_in": 3599}


def route(state: FakeJama, method: str, path: str, query: dict[str, list[str]], headers: Any,
          body: bytes) -> tuple[int, Any]:
    scenario = state.scenario
    if method == "POST" and path == "/rest/oauth/token":
        return _token(state, headers, body)
    status, user = authenticate(state, headers)
    if status != 200:
        return status, user
    if path == "/rest/v1/users/current" and method == "GET":
        return 200, envelope({"id": user.id, "username": user.username, "firstName": "Service", "lastName": "Account",
                              "email": f"{user.username}@example.invalid", "licenseType": user.license,
                              "active": user.active, "type": "users"})
    if path == "/rest/v1/usergroups":
        if not scenario.groups_readable:
            return 403, error_body("Forbidden", "Access denied")
        return _page([{"id": g["id"], "name": g["name"], "description": ""} for g in scenario.groups], query)
    if path.startswith("/rest/v1/usergroups/") and path.endswith("/users"):
        group = next((g for g in scenario.groups if f"/{g['id']}/" in path), None)
        if group is None:
            return 404, error_body("Not Found", "no such group")
        members = [{"id": u.id, "username": u.username} for u in scenario.users if u.id in group["members"]]
        return _page(members, query)
    if path == "/rest/v1/projects":
        visible = [p for p in scenario.projects if p.readers is None or user.username in p.readers]
        return _page([_project_json(p) for p in visible], query)
    if path.startswith("/rest/v1/projects/"):
        return _project(scenario, user, path.rsplit("/", 1)[-1])
    if path == "/rest/v1/items":
        return _items(scenario, user, query)
    if path.startswith("/rest/v1/items/") and path.endswith("/lock"):
        return _lock(state, user, method, path.split("/")[4], body)
    return 404, error_body("Not Found", f"no such resource {path}")


def _project_json(project: Project) -> dict[str, Any]:
    return {"id": project.id, "projectKey": project.key, "isFolder": False,
            "fields": {"name": project.key, "projectKey": project.key}, "type": "projects"}


def _find_project(scenario: Scenario, project_id: str) -> Project | None:
    return next((p for p in scenario.projects if str(p.id) == project_id), None)


def _project(scenario: Scenario, user: User, project_id: str) -> tuple[int, Any]:
    project = _find_project(scenario, project_id)
    if project is None:
        return 404, error_body("Not Found", "no such project")
    if project.readers is not None and user.username not in project.readers:
        return 403, error_body("Forbidden", "Access denied")
    return 200, envelope(_project_json(project))


def _can_write(project: Project, user: User) -> bool:
    return project.writers is None or user.username in project.writers


def _item_json(project: Project, item: dict[str, Any], user: User) -> dict[str, Any]:
    allowed = item.get("allowed", ["GET", "PUT", "PATCH", "DELETE"] if _can_write(project, user) else ["GET"])
    owner = item.get("locked_by", 99)
    data: dict[str, Any] = {
        "id": item["id"], "documentKey": f"{project.key}-{item['id']}", "project": project.id, "itemType": 33,
        "fields": {"name": f"Item {item['id']}", "documentKey": f"{project.key}-{item['id']}"},
        "lock": {"locked": bool(item.get("locked")), "lastLockedDate": "2026-01-01T00:00:00.000+0000",
                 **({"lockedBy": owner} if item.get("locked") else {})},
        "type": "items",
    }
    if allowed is not None:
        data["resources"] = {"self": {"allowed": allowed}}
    return data


def _items(scenario: Scenario, user: User, query: dict[str, list[str]]) -> tuple[int, Any]:
    project = _find_project(scenario, (query.get("project") or [""])[0])
    if project is None:
        return 404, error_body("Not Found", "no such project")
    if project.readers is not None and user.username not in project.readers:
        return 403, error_body("Forbidden", "Access denied")
    return _page([_item_json(project, item, user) for item in project.items], query)


def _lock(state: FakeJama, user: User, method: str, item_id: str, body: bytes) -> tuple[int, Any]:
    for project in state.scenario.projects:
        for item in project.items:
            if str(item["id"]) != item_id:
                continue
            if method == "GET":
                return 200, envelope(_item_json(project, item, user)["lock"])
            return _put_lock(state, project, item, user, body)
    return 404, error_body("Not Found", "no such item")


def _put_lock(state: FakeJama, project: Project, item: dict[str, Any], user: User, body: bytes) -> tuple[int, Any]:
    try:
        wanted = bool(json.loads(body or b"{}").get("locked"))
    except (ValueError, AttributeError):
        return 400, error_body("Bad Request", "body must be {\"locked\": true|false}")
    status, answer = 200, envelope(None)
    if not _can_write(project, user):
        status, answer = 403, error_body("Forbidden", "The user does not have permission to edit this item")
    elif item.get("locked") and item.get("locked_by", 99) != user.id:
        status, answer = 409, error_body("Conflict", "Item is locked by another user")
    else:
        item["locked"], item["locked_by"] = wanted, (user.id if wanted else None)
    with state.lock:
        state.lock_requests.append((item["id"], wanted, status))
    return status, answer


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="A fake Jama Connect server for trying jamacheck --live.")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--tls-ca-out", help="serve HTTPS with a throw-away CA (needs trustme) and write its PEM here")
    args = parser.parse_args()
    tls = None
    if args.tls_ca_out:
        try:
            import trustme
        except ImportError:
            raise SystemExit("fakes.jama: --tls-ca-out needs trustme: pip install trustme (or '.[test]')") from None
        authority = trustme.CA()
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1", "localhost").configure_cert(tls)
        authority.cert_pem.write_to_path(args.tls_ca_out)
    try:
        server = FakeJama(demo_scenario(), tls=tls, port=args.port)
    except OSError as err:
        raise SystemExit(f"fakes.jama: cannot listen on 127.0.0.1:{args.port}: {err.strerror}") from None
    server.serve_until_interrupted("fake Jama Connect")


if __name__ == "__main__":
    main()
