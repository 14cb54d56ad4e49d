"""A fake Jira REST server (Cloud or Data Center) on 127.0.0.1, for tests and for trying ``--live``.

It answers as the real ones do, as far as Atlassian's documentation and maintained clients
(pycontribs/jira) show:
- Cloud: basic auth with the account's e-mail and an API token; a Bearer token is refused
  (401); ``myself`` has ``accountId``/``emailAddress``, no ``name``.
- Data Center: basic auth with username and password, or ``Authorization: Bearer <PAT>``
  (a personal access token is not a password); after ``captcha_after`` failed basic logins
  the account must solve a CAPTCHA: 403 with ``X-Authentication-Denied-Reason:
  CAPTCHA_CHALLENGE; login-url=…`` and ``X-Seraph-LoginReason: AUTHENTICATION_DENIED``,
  even with the right password.
- Both: ``mypermissions`` requires ``permissions`` (400 with ``errorMessages`` without it);
  a permission granted to the reporter role answers true at project level, but false for an
  issue the account did not report; ``search`` answers JQL ``project=KEY AND reporter !=
  currentUser()`` (Cloud: ``search`` is 410, removed in 2025, and ``search/jql`` answers,
  with issue ids only unless ``fields`` asks for the key); error bodies are ``{"errorMessages": [...], "errors": {...}}``.

    python -m fakes.jira --deployment cloud --port 8701
"""

from __future__ import annotations

import base64
import re
import ssl
from dataclasses import dataclass, field
from typing import Any

from fakes.server import Answer, FakeServer, Fault, Seen

__all__ = ["ALL_PERMISSIONS", "FakeJira", "Fault", "JiraProject", "JiraScenario", "JiraUser", "Seen"]

ALL_PERMISSIONS = frozenset({"BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS",
                             "CREATE_ATTACHMENTS"})


@dataclass
class JiraUser:
    name: str  # Cloud: the e-mail address; Data Center: the username
    password: str = ""  # Cloud: the API token; Data Center: the password
    pats: tuple[str, ...] = ()  # Data Center personal access tokens
    active: bool = True


@dataclass
class JiraProject:
    key: str
    granted: dict[str, set[str]] = field(default_factory=dict)  # user name -> permissions granted outright
    reporter_only: set[str] = field(default_factory=set)  # permissions granted only to the issue's reporter
    issues: list[tuple[str, str]] = field(default_factory=list)  # (issue key, reporter's name)
    browsable: bool = True


@dataclass
class JiraScenario:
    users: list[JiraUser] = field(default_factory=list)
    projects: list[JiraProject] = field(default_factory=list)
    captcha_after: int = 3  # Data Center: failed basic logins before the CAPTCHA
    faults: dict[tuple[str, str], list[Fault]] = field(default_factory=dict)


def _issue_id(project: JiraProject, n: int) -> str:
    return str(10000 + sum(map(ord, project.key)) * 100 + n)


def _error(*messages: str) -> dict[str, Any]:
    return {"errorMessages": list(messages), "errors": {}}


class FakeJira(FakeServer):
    def __init__(self, scenario: JiraScenario, deployment: str = "cloud", *, tls: ssl.SSLContext | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        if deployment not in ("cloud", "data-center"):
            raise ValueError("deployment is cloud or data-center")
        super().__init__(tls=tls, host=host, port=port)
        self.scenario, self.deployment = scenario, deployment
        self.faults = scenario.faults
        self.failed_logins: dict[str, int] = {}

    def route(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        refused = self._authenticate(headers)
        if isinstance(refused, Answer):
            return refused
        user = refused
        if path == "/rest/api/2/myself" and method == "GET":
            return Answer(200, self._myself(user))
        if path == "/rest/api/2/mypermissions" and method == "GET":
            return self._mypermissions(user, query)
        if path == "/rest/api/2/search" and method == "GET":
            if self.deployment == "cloud":  # removed from Jira Cloud in 2025 (Atlassian changelog CHANGE-2046)
                return Answer(410, _error("The requested API has been removed. Please migrate to the "
                                          "/rest/api/3/search/jql API."))
            return self._search(user, query)
        if path == "/rest/api/2/search/jql" and method == "GET" and self.deployment == "cloud":
            return self._search(user, query, ids_only="key" not in (query.get("fields") or [""])[0].split(","))
        return Answer(404, _error("Not found"))

    def _authenticate(self, headers: Any) -> JiraUser | Answer:
        value = headers.get("Authorization", "")
        if value.startswith("Bearer "):
            token = value[7:]
            user = None if self.deployment == "cloud" else next(
                (u for u in self.scenario.users if token in u.pats), None)
            return user or Answer(401, _error("You are not authenticated. Authentication required to perform "
                                              "this operation."))
        if not value.startswith("Basic "):
            return Answer(401, _error("You are not authenticated."))
        try:
            name, _, password = base64.b64decode(value[6:]).decode().partition(":")
        except ValueError:
            return Answer(401, _error("You are not authenticated."))
        return self._basic(name, password)

    def _basic(self, name: str, password: str) -> JiraUser | Answer:
        user = next((u for u in self.scenario.users if u.name == name), None)
        if self.deployment == "data-center" and self.failed_logins.get(name, 0) >= self.scenario.captcha_after:
            return Answer(403, b"", {"X-Authentication-Denied-Reason":
                                     f"CAPTCHA_CHALLENGE; login-url={self.url}/login.jsp",
                                     "X-Seraph-LoginReason": "AUTHENTICATION_DENIED",
                                     "Content-Type": "text/html"})
        if user is None or user.password != password or not password:
            with self.lock:
                self.failed_logins[name] = self.failed_logins.get(name, 0) + 1
            extra = {"X-Seraph-LoginReason": "AUTHENTICATED_FAILED"} if self.deployment == "data-center" else {}
            return Answer(401, _error("You are not authenticated."), extra)
        if not user.active:
            return Answer(401, _error("You are not authenticated."))
        return user

    def _myself(self, user: JiraUser) -> dict[str, Any]:
        if self.deployment == "cloud":
            return {"accountId": "5b10ac8d82e05b22cc7d4ef5", "emailAddress": user.name, "displayName": "Service",
                    "active": user.active, "accountType": "atlassian", "timeZone": "UTC"}
        return {"name": user.name, "key": f"JIRAUSER{abs(hash(user.name)) % 10000}", "emailAddress":
                f"{user.name}@example.invalid", "displayName": "Service", "active": user.active}

    def _project(self, key: str) -> JiraProject | None:
        return next((p for p in self.scenario.projects if p.key.upper() == key.upper()), None)

    def _mypermissions(self, user: JiraUser, query: dict[str, list[str]]) -> Answer:
        wanted = [p for p in (query.get("permissions") or [""])[0].split(",") if p]
        if not wanted:
            return Answer(400, _error("The 'permissions' query parameter is required."))
        issue_key = (query.get("issueKey") or [""])[0] or self._issue_key((query.get("issueId") or [""])[0])
        project_key = (query.get("projectKey") or [""])[0] or issue_key.rsplit("-", 1)[0]
        project = self._project(project_key)
        if project is None or not project.browsable:
            what = f"issue '{issue_key}'" if issue_key else f"project with key '{project_key}'"
            return Answer(404, _error(f"No {what} could be found."))
        granted = set(project.granted.get(user.name, set()))
        reporter = next((r for k, r in project.issues if k == issue_key), None) if issue_key else None
        if not issue_key or reporter == user.name:  # "any user can be a reporter" at project level
            granted |= project.reporter_only
        return Answer(200, {"permissions": {p: {"id": str(n), "key": p, "name": p.title(), "type": "PROJECT",
                                                "havePermission": p in granted}
                                            for n, p in enumerate(wanted)}})

    def _issue_key(self, issue_id: str) -> str:
        return next((key for project in self.scenario.projects for n, (key, _) in enumerate(project.issues)
                     if _issue_id(project, n) == issue_id), "")

    def _search(self, user: JiraUser, query: dict[str, list[str]], ids_only: bool = False) -> Answer:
        jql = (query.get("jql") or [""])[0]
        match = re.fullmatch(r"\s*project\s*=\s*\"?([A-Za-z0-9_]+)\"?\s+AND\s+reporter\s*!=\s*currentUser\(\)\s*",
                             jql, re.IGNORECASE)
        if match is None:
            return Answer(400, _error(f"Error in the JQL Query: cannot parse {jql!r}"))
        project = self._project(match.group(1))
        if project is None or not project.browsable:
            return Answer(400, _error(f"The value '{match.group(1)}' does not exist for the field 'project'."))
        issues = [{"id": _issue_id(project, n), **({} if ids_only else {"key": key, "fields": {}})}
                  for n, (key, reporter) in enumerate(project.issues) if reporter != user.name]
        limit = int((query.get("maxResults") or ["50"])[0])
        return Answer(200, {"startAt": 0, "maxResults": limit, "total": len(issues), "issues": issues[:limit]})


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="A fake Jira server for trying jamacheck --live.")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--deployment", choices=("cloud", "data-center"), default="cloud")
    args = parser.parse_args()
    scenario = JiraScenario(
        users=[JiraUser("svc-interchange@example.com", "demo-api-token"),
               JiraUser("svc-interchange", "demo-password", pats=("demo-pat",))],
        projects=[JiraProject("PROJ", granted={"svc-interchange@example.com": set(ALL_PERMISSIONS),
                                               "svc-interchange": set(ALL_PERMISSIONS)})])
    server = FakeJira(scenario, args.deployment, port=args.port)
    server.serve_until_interrupted(f"fake Jira ({args.deployment})")


if __name__ == "__main__":
    main()
