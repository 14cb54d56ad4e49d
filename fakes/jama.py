"""A fake Jama Connect (and Jira) REST server on 127.0.0.1, for tests and for trying ``--live``.

It speaks the documented API (``/rest/oauth/token``, ``/rest/v1/users/current``,
``/rest/v1/usergroups``, ``/rest/v1/projects``, ``/rest/v1/items``, Jira's
``/rest/api/2/myself``) with Jama's envelope and paging, counts failed basic logins
(and locks the account), enforces REST API access control, and can inject faults:
any status with headers, non-JSON, a truncated body, a redirect, a hang. Every
request is logged with its arrival time, so tests can check jamacheck's conduct.

    python -m fakes.jama --port 8700 [--tls-ca-out ca.pem]
"""

from __future__ import annotations

import base64
import itertools
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


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
    writers: set[str] | None = None
    items: list[dict] = field(default_factory=lambda: [{"id": 1000, "locked": False}])


@dataclass
class Fault:
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    kind: str = "status"  # status | nonjson | truncated | redirect | hang
    seconds: float = 0.0


@dataclass
class Scenario:
    users: list[User] = field(default_factory=list)
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)  # client_id -> (secret, username)
    groups: list[dict] = field(default_factory=list)  # {"id", "name", "members": [user ids]}
    projects: list[Project] = field(default_factory=list)
    access_control: bool = False
    groups_readable: bool = True
    lockout_after: int = 3
    latency: float = 0.0
    context_path: str = ""
    echo_credentials: bool = False  # a careless server that repeats the Authorization header
    faults: dict[tuple[str, str], list[Fault]] = field(default_factory=dict)  # (method, path) -> queue
    jira_permissions: dict[str, set[str]] = field(default_factory=dict)  # project key -> granted


def demo_scenario() -> Scenario:
    """What ``examples/live/`` expects: one healthy account and a few that show failures."""
    users = [User(1, "svc-interchange", "demo-password"), User(2, "svc-float", "float-password", license="FLOATING"),
             User(3, "svc-reviewer", "reviewer-password", license="NAMED_REVIEWER")]
    return Scenario(
        users=users, clients={"interchange-demo": ("demo-client-secret", "svc-interchange")},
        groups=[{"id": 10, "name": "Organization Admin", "members": [1]}],
        projects=[Project(20, "REQ"), Project(42, "SYS", readers={"svc-interchange"})],
        jira_permissions={"PROJ": {"BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS",
                                   "CREATE_ATTACHMENTS"}},
    )


class FakeJama:
    """The server. ``start()`` returns the base URL; ``log`` holds (time, method, path, status)."""

    def __init__(self, scenario: Scenario, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.scenario = scenario
        self.log: list[tuple[float, str, str, int]] = []
        self.failed_logins: dict[str, int] = {}
        self.tokens: dict[str, str] = {}
        self.lock = threading.Lock()
        self._counter = itertools.count(1)
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}{self.scenario.context_path}"

    def start(self) -> str:
        self.thread.start()
        return self.url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FakeJama:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests(self, path_prefix: str = "") -> list[tuple[float, str, str, int]]:
        with self.lock:
            return [entry for entry in self.log if entry[2].startswith(path_prefix)]

    def max_in_window(self, window: float = 1.0) -> int:
        """The most requests that arrived within any ``window`` seconds."""
        times = sorted(entry[0] for entry in self.requests())
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def issue_token(self, username: str) -> str:
        token = f"tok{next(self._counter)}{username.encode().hex()}"
        self.tokens[token] = username
        return token


def envelope(data, status: str = "OK", page: tuple[int, int, int] | None = None) -> dict:
    meta: dict = {"status": status, "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())}
    if page:
        meta["pageInfo"] = {"startIndex": page[0], "resultCount": page[1], "totalResults": page[2]}
    return {"meta": meta, "links": {}, "data": data}


def error_body(status: str, message: str) -> dict:
    return {"meta": {"status": status, "timestamp": "2026-01-01T00:00:00.000+0000", "message": message}}


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeJama
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        state = self.server_state
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = parts.path
        context = state.scenario.context_path
        if context and not path.startswith(context + "/"):
            return self._finish(arrived, method, parts.path, 404, error_body("Not Found", "no such path"))
        path = path[len(context):]
        if state.scenario.latency:
            time.sleep(state.scenario.latency)
        fault = self._fault(method, path)
        if fault is not None:
            return self._fault_answer(arrived, method, path, fault)
        if "//" in path:  # Jama answers 404 to consecutive slashes (since 8.10)
            return self._finish(arrived, method, path, 404, error_body("Not Found", "Not Found"))
        status, payload = route(state, method, path, parse_qs(parts.query), self.headers, body)
        self._finish(arrived, method, path, status, payload)

    def _fault(self, method: str, path: str) -> Fault | None:
        with self.server_state.lock:
            queue = self.server_state.scenario.faults.get((method, path))
            return queue.pop(0) if queue else None

    def _fault_answer(self, arrived, method, path, fault: Fault) -> None:
        self._record(arrived, method, path, fault.status)
        if fault.kind == "hang":
            time.sleep(fault.seconds)
            self.close_connection = True
            return
        if fault.kind == "redirect":
            self._send(fault.status or 302, b"", {"Location": fault.headers.get("Location", "https://sso.example/login")})
            return
        if fault.kind == "truncated":
            payload = b'{"meta": {"status": "OK"}, "data": {"id": 1, "user'
            self.send_response(fault.status or 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload) + 500))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
            self.close_connection = True
            return
        if fault.kind == "nonjson":
            self._send(fault.status or 200, b"<html><body>Maintenance</body></html>", {"Content-Type": "text/html"})
            return
        self._send(fault.status, fault.body if fault.body is not None else b"", fault.headers)

    def _record(self, arrived, method, path, status) -> None:
        with self.server_state.lock:
            self.server_state.log.append((arrived, method, path, status))

    def _finish(self, arrived, method, path, status, payload) -> None:
        self._record(arrived, method, path, status)
        data = b"" if status == 204 else json.dumps(payload).encode()
        if self.server_state.scenario.echo_credentials and status >= 400:
            echoed = self.headers.get("Authorization", "")
            data = json.dumps({**payload, "meta": {**payload.get("meta", {}),
                                                   "message": f"bad credentials {echoed} {_decoded(echoed)}"}}).encode()
        self._send(status, data, {"Content-Type": "application/json"})

    def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _decoded(header: str) -> str:
    if header.startswith("Basic "):
        try:
            return base64.b64decode(header[6:]).decode(errors="replace")
        except ValueError:
            return ""
    return ""


def _basic(headers) -> tuple[str, str] | None:
    value = headers.get("Authorization", "")
    if not value.startswith("Basic "):
        return None
    username, _, password = _decoded(value).partition(":")
    return username, password


def authenticate(state: FakeJama, headers) -> tuple[int, dict | User]:
    """The user behind a request, or the status and body Jama answers."""
    scenario = state.scenario
    value = headers.get("Authorization", "")
    if value.startswith("Bearer "):
        username = state.tokens.get(value[7:])
        user = next((u for u in scenario.users if u.username == username), None)
        if user is None:
            return 401, error_body("Unauthorized", "invalid token")
    else:
        credentials = _basic(headers)
        if credentials is None:
            return 401, error_body("Unauthorized", "Full authentication is required")
        user = next((u for u in scenario.users if u.username == credentials[0]), None)
        with state.lock:
            locked = state.failed_logins.get(credentials[0], 0) >= scenario.lockout_after
            if user is None or user.password != credentials[1] or locked:
                state.failed_logins[credentials[0]] = state.failed_logins.get(credentials[0], 0) + 1
                return 401, error_body("Unauthorized", "Bad credentials")
    if user.license == "FLOATING":
        return 401, error_body("Unauthorized", "Unauthorized")
    if scenario.access_control and not user.api_allowed:
        return 403, error_body("Forbidden", "This user is not permitted to use the API")
    return 200, user


def _page(items: list, query) -> tuple[int, dict]:
    start = int((query.get("startAt") or ["0"])[0])
    size = min(int((query.get("maxResults") or ["20"])[0]), 50)
    chunk = items[start:start + size]
    return 200, envelope(chunk, page=(start, len(chunk), len(items)))


def route(state: FakeJama, method: str, path: str, query, headers, body: bytes) -> tuple[int, dict]:
    scenario = state.scenario
    if method == "POST" and path == "/rest/oauth/token":
        credentials = _basic(headers)
        client = scenario.clients.get(credentials[0]) if credentials else None
        if client is None or client[0] != credentials[1] or b"grant_type=client_credentials" not in body:
            return 401, {"error": "invalid_client", "error_description": "Bad client credentials"}
        return 200, {"access_token": state.issue_token(client[1]), "token_type": "Bearer", "expires_in": 3599}
    if path.startswith("/rest/api/2/"):
        return jira_route(state, path, query, headers)
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
        return _page([{"id": p.id, "projectKey": p.key, "isFolder": False, "fields": {"name": p.key}}
                      for p in visible], query)
    if path.startswith("/rest/v1/projects/"):
        return _project(scenario, user, path.rsplit("/", 1)[-1])
    if path == "/rest/v1/items":
        return _items(scenario, user, query)
    if path.startswith("/rest/v1/items/") and path.endswith("/lock"):
        return _lock(scenario, user, method, path.split("/")[4], body)
    return 404, error_body("Not Found", f"no such resource {path}")


def _find_project(scenario: Scenario, project_id: str) -> Project | None:
    return next((p for p in scenario.projects if str(p.id) == project_id), None)


def _project(scenario: Scenario, user: User, project_id: str):
    project = _find_project(scenario, project_id)
    if project is None:
        return 404, error_body("Not Found", "no such project")
    if project.readers is not None and user.username not in project.readers:
        return 403, error_body("Forbidden", "Access denied")
    return 200, envelope({"id": project.id, "projectKey": project.key, "fields": {"name": project.key}})


def _items(scenario: Scenario, user: User, query):
    project = _find_project(scenario, (query.get("project") or [""])[0])
    if project is None:
        return 404, error_body("Not Found", "no such project")
    if project.readers is not None and user.username not in project.readers:
        return 403, error_body("Forbidden", "Access denied")
    return _page([{"id": item["id"], "project": project.id} for item in project.items], query)


def _lock(scenario: Scenario, user: User, method: str, item_id: str, body: bytes):
    for project in scenario.projects:
        for item in project.items:
            if str(item["id"]) != item_id:
                continue
            if method == "GET":
                return 200, envelope({"locked": item["locked"], "lastLockedDate": None})
            if project.writers is not None and user.username not in project.writers:
                return 403, error_body("Forbidden", "no write access")
            item["locked"] = bool(json.loads(body or b"{}").get("locked"))
            return 204, {}
    return 404, error_body("Not Found", "no such item")


def jira_route(state: FakeJama, path: str, query, headers) -> tuple[int, dict]:
    value = headers.get("Authorization", "")
    credentials = _basic(headers)
    user = None
    if value.startswith("Bearer "):
        user = next((u for u in state.scenario.users if u.password == value[7:]), None)
    elif credentials:
        user = next((u for u in state.scenario.users if credentials == (u.username, u.password)), None)
    if user is None:
        return 401, {"errorMessages": ["Unauthorized"]}
    if path == "/rest/api/2/myself":
        return 200, {"name": user.username, "displayName": "Service Account", "active": user.active}
    if path == "/rest/api/2/mypermissions":
        key = (query.get("projectKey") or [""])[0]
        if key not in state.scenario.jira_permissions:
            return 404, {"errorMessages": [f"No project could be found with key '{key}'."]}
        granted = state.scenario.jira_permissions[key]
        wanted = (query.get("permissions") or [""])[0].split(",")
        return 200, {"permissions": {p: {"key": p, "havePermission": p in granted} for p in wanted}}
    return 404, {"errorMessages": ["Not found"]}


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
    print(f"fake Jama Connect at {server.start()} (Ctrl-C to stop)", flush=True)
    try:
        server.thread.join()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
