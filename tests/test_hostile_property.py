"""Issue 9, property: whatever a connector file or a server holds, no output of any format shows a
planted canary secret or a raw control character, nothing ends in a traceback, and a server's
answer never makes the exit code 2 (SPEC §6, §9).
"""

from __future__ import annotations

import base64
import json
import re
import string
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamacheck.report import FORMATS
from tests.conftest import examples, invoke
from tests.hostile_stub import Reply, Request, stub_server

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OFFLINE = settings(max_examples=examples(60), suppress_health_check=list(HealthCheck))
LIVE = settings(max_examples=examples(20), suppress_health_check=list(HealthCheck))

# A canary: "Zq" and 8 more letters; no output may hold it or its first 6 characters.
canaries = st.text(string.ascii_letters, min_size=8, max_size=8).map(lambda s: "Zq" + s)
controls = st.sampled_from(["\x1b]0;t\x07", "\x1b[2J", "\x1b]52;c;eA==\x07", "\u202e", "\u2066", "\x9b",
                            "\x7f", "\r\n::error file=x::p", "\x00", "\x85"])
secret_keys = st.sampled_from(["password", "client_secret", "token", "passwd", "secret", "clientSecret",
                               "db_password", "x-api-key", "apiKey", "privateKey", "Credentials", "PWD",
                               "access-token", "sessionToken"])


def _escape(text: str) -> str:
    """A double-quoted YAML scalar holding ``text`` (any character, as YAML escapes)."""
    return '"' + "".join(c if c.isalnum() or c in " -_.:/" else f"\\U{ord(c):08x}" for c in text) + '"'


@st.composite
def secret_values(draw: st.DrawFn, canary: str) -> str:
    """The canary written as a value in one of the shapes YAML allows."""
    shape = draw(st.sampled_from(["plain", "single", "double", "literal", "folded", "flow-list", "block-list",
                                  "mapping", "tag", "anchor", "hash", "alias", "number-prefix"]))
    return {
        "plain": f" {canary}",
        "single": f" '{canary}'",
        "double": f' "{canary}"',
        "literal": f" |\n        {canary}\n        {canary}2",
        "folded": f" >-\n        x\n        {canary}",
        "flow-list": f" [a, {canary}]",
        "block-list": f"\n        - {canary}",
        "mapping": f"\n        inner: {canary}",
        "tag": f" !{canary} v",
        "anchor": f" &{canary} v",
        "hash": f" ab #{canary}",
        "alias": f" *{canary}",
        "number-prefix": f" 123{canary}",
    }[shape]


@st.composite
def connector_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A connector file with canaries planted where secrets go, and control characters elsewhere."""
    planted: list[str] = []

    def canary() -> str:
        value = draw(canaries)
        planted.append(value)
        return value

    name = _escape("svc" + draw(controls) + "name")
    url = draw(st.sampled_from([
        "https://acme.jamacloud.com", "https://u:{c}@acme.jamacloud.com", "https://acme.jamacloud.com/?os_password={c}",
        "https://acme.jamacloud.com/?t%6Fken={c}", "'https://u:a b{c}@acme.jamacloud.com'",
        "https://svc@corp:{c}@acme.jamacloud.com", "http://acme.jamacloud.com/?sessionKey={c}&x=1",
        "https://acme.jamacloud.com/rest/v1?api_key={c}"]))
    url = url.replace("{c}", canary()) if "{c}" in url else url
    lines = ["connectors:", f"  - name: {name}", "    application: jama-connect", f"    url: {url}",
             "    auth:", "      type: basic", "      username: svc"]
    for _ in range(draw(st.integers(1, 3))):
        lines.append(f"      {draw(secret_keys)}:{draw(secret_values(canary()))}")
    if draw(st.booleans()):
        lines.append(f"    {_escape('k' + draw(controls))}: 1")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), f"    # {draw(secret_keys)}: {canary()}")
    if draw(st.booleans()):
        lines.append(f"    extra: {{{draw(secret_keys)}:{canary()}}}")
    if draw(st.booleans()):  # break the file somewhere: masking without a parse
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(
            ['  - name: "unclosed', "    url: [unclosed", "\tauth: tab", "    bad: *undefined", "  {"])))
    return "\n".join(lines) + "\n", planted


def _assert_safe(output: str, planted: list[str], where: str) -> None:
    for canary in planted:
        # the whole canary, and the piece a cut would leave ("Zq" occurs in no fixed text)
        for piece in (canary, canary[:6]):
            assert piece not in output, f"{where}: {piece!r} of {canary!r} leaked:\n{output}"
    match = RAW_CONTROL.search(output)
    assert match is None, f"{where}: raw {match.group()!r}:\n{output!r}"
    assert not any(line.startswith("::error file=x") for line in output.splitlines()), where
    assert "Traceback" not in output, where


@OFFLINE
@given(connector_files(), st.sampled_from(["c.yaml", "c\x1b]0;t\x07.yaml", "c\u202e.yaml", "c\nx.yaml"]))
def test_no_canary_or_control_character_offline(tmp_path_factory, file, file_name):
    text, planted = file
    folder = tmp_path_factory.mktemp("prop")
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    for output_format in FORMATS:
        result = invoke("check", "--format", output_format, "--show-source", str(path))
        assert result.exit_code in (0, 1), result.output
        _assert_safe(result.output, planted, output_format)
        if output_format in ("json", "sarif", "gitlab"):
            json.loads(result.output)


# ---- hostile servers -------------------------------------------------------------------------

def _echo(request: Request, seen: list[Request]) -> str:
    sent = [r.headers.get("Authorization", "") for r in seen]
    decoded = [base64.b64decode(h.split()[-1] + "==").decode("latin-1") for h in sent if h.startswith("Basic")]
    return " ".join(sent + decoded + [r.body.decode("latin-1") for r in seen] + [r.path for r in seen])


@st.composite
def hostile_answers(draw: st.DrawFn):
    """A function answering each request: a status, and a body that echoes or has the wrong types."""
    status = draw(st.sampled_from([200, 200, 200, 400, 401, 403, 404, 500, 302]))
    control = draw(controls)
    shape = draw(st.sampled_from(["echo-user", "echo-meta", "null-data", "list-data", "meta-list",
                                  "fields-list", "not-json", "licence-echo", "groups-echo", "token-echo"]))

    def answer(request: Request, seen: list[Request]) -> Reply:
        echo = control + _echo(request, seen)
        if request.path.endswith("/rest/oauth/token") and shape == "token-echo":
            return Reply(status, {"access_token": echo, "token_type": "bearer", "error": echo})
        body: object = {
            "echo-user": {"data": {"username": echo, "licenseType": echo, "active": True}, "meta": {}},
            "echo-meta": {"meta": {"message": echo, "status": echo}},
            "null-data": {"data": None, "meta": {"message": echo}},
            "list-data": {"data": [1, echo], "meta": {"pageInfo": {"totalResults": echo}}},
            "meta-list": {"data": {"username": echo}, "meta": [1]},
            "fields-list": {"data": {"fields": [echo], "licenseType": "A" * 36 + echo}},
            "not-json": (echo * 3).encode("utf-8", "surrogatepass"),
            "licence-echo": {"data": {"username": "svc", "licenseType": "A" * 38 + echo, "active": True}},
            "groups-echo": {"data": [{"id": 1, "name": echo}], "meta": {"pageInfo": {"startIndex": 0,
                            "resultCount": 1, "totalResults": 1}}},
            "token-echo": {"data": {"username": echo, "licenseType": "NAMED", "active": True}},
        }[shape]
        headers = {"Location": "http://evil/?token=" + echo[:40].encode("ascii", "replace").decode()} \
            if status == 302 else {}
        return Reply(status, body, headers)

    return answer


@pytest.fixture(scope="module")
def server() -> Iterator:
    with stub_server(lambda request, seen: Reply(200, {})) as running:
        yield running


@LIVE
@given(hostile_answers(), canaries, canaries, canaries)
def test_no_canary_or_control_character_from_a_server(server, tmp_path_factory, answer, pa, sb, user):
    server.answer = answer
    with server.lock:
        server.requests.clear()
    folder = tmp_path_factory.mktemp("live")
    path = folder / "c.yaml"
    path.write_text(
        "connectors:\n"
        f"  - name: A\n    application: jama-connect\n    url: {server.url}\n"
        "    auth: {type: basic, username: \"${USER_A}\", password: \"${PA}\"}\n    projects: [REQ]\n"
        f"  - name: B\n    application: jama-connect\n    url: ${{B_URL}}\n"
        "    auth: {type: oauth, client_id: cid, client_secret: \"${SB}\"}\n    projects: [1]\n")
    env = {"PA": pa, "SB": sb, "USER_A": "svc", "B_URL": server.url.replace("//", f"//{user}:{user}@")}
    planted = [pa, sb, user, base64.b64encode(f"svc:{pa}".encode()).decode(),
               base64.b64encode(f"cid:{sb}".encode()).decode()]
    for output_format in ("text", "json", "github"):
        result = invoke("check", "--live", "--allow-insecure-http", "--timeout", "2", "--format", output_format,
                        str(path), env=env)
        assert result.exit_code in (0, 1), result.output
        _assert_safe(result.output, planted, output_format)
    assert server.requests, "connector A was contacted: the answers were really read"
