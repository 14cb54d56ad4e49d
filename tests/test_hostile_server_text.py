"""Issue 9, server side of the output: a hostile server's echo is masked with every secret of the
run and its control characters are escaped (SPEC §6); `--env-file` is read as python-dotenv reads it.

The server is the small stub in ``tests/hostile_stub.py`` (127.0.0.1, plain http with
``--allow-insecure-http``).
"""

from __future__ import annotations

import base64
import json
import re

import pytest

from jamacheck.report import FORMATS
from tests.conftest import invoke
from tests.hostile_stub import Reply, Request, stub_server

PA = "Zq9pXw7Lm2aa"  # connector A's password
SB = "Zq9sKv4Rt8bb"  # connector B's client secret
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _user(**extra: object) -> dict:
    return {"data": {"id": 1, "username": "svc", "licenseType": "NAMED", "active": True, **extra},
            "meta": {"status": "OK"}}


def _echo_everything(request: Request, seen: list[Request]) -> Reply:
    """Answer every request with everything any connector sent so far, decoded too."""
    sent = [r.headers.get("Authorization", "") for r in seen]
    decoded = [base64.b64decode(h.split()[-1] + "==").decode("latin-1") for h in sent if h.startswith("Basic")]
    echo = " | ".join(sent + decoded + [r.body.decode("latin-1") for r in seen])
    if request.path.endswith("/rest/oauth/token"):
        return Reply(401, {"meta": {"status": "Unauthorized", "message": "\x1b[2J" + echo}})
    # licenseType: 36 characters of padding, then the secret: a cut at 40 would leave a piece
    return Reply(200, _user(username=echo, licenseType="A" * 36 + PA + echo))


CONNECTORS = """\
connectors:
  - name: A basic
    application: jama-connect
    url: {url}
    auth: {{type: basic, username: svc, password: "${{PA}}"}}
  - name: B oauth
    application: jama-connect
    url: {url}
    auth: {{type: oauth, client_id: cid, client_secret: "${{SB}}"}}
"""


def _pieces(secret: str) -> list[str]:
    return [secret[i:i + 5] for i in range(0, len(secret) - 4)]


def test_server_echo_is_masked_with_every_secret_of_the_run(write):
    with stub_server(_echo_everything) as server:
        path = write("c.yaml", CONNECTORS.format(url=server.url))
        env = {"PA": PA, "SB": SB}
        outputs = {fmt: invoke("check", "--live", "--allow-insecure-http", "--format", fmt, path, env=env).output
                   for fmt in ("json", "text")}
    basic = base64.b64encode(f"svc:{PA}".encode()).decode()
    oauth = base64.b64encode(f"cid:{SB}".encode()).decode()
    for fmt, text in outputs.items():
        for secret in (PA, SB, basic, oauth):
            for piece in _pieces(secret) if secret in (PA, SB) else [secret[4:16]]:
                assert piece not in text, f"{fmt}: {piece!r} of a secret leaked:\n{text}"
        assert RAW_CONTROL.search(text) is None, f"{fmt}: raw control character"
    live = json.loads(outputs["json"])["live"]
    assert [check["check"] for check in live[0]["checks"]][:2] == ["secrets", "login"]


def _hostile_text(request: Request, seen: list[Request]) -> Reply:
    evil = "\x1b]0;owned\x07\x1b]52;c;Y3VybA==\x07\u202eevil\x9b2J\r\n::error file=x::pwned"
    if request.path.endswith("users/current"):
        return Reply(200, _user(username=evil, licenseType=evil))
    return Reply(500, {"meta": {"status": "Error", "message": evil}})


@pytest.mark.parametrize("output_format", FORMATS)
def test_server_text_is_escaped(output_format, write):
    with stub_server(_hostile_text) as server:
        path = write("c.yaml", CONNECTORS.format(url=server.url).split("  - name: B")[0]
                     + "    projects: [REQ]\n")
        result = invoke("check", "--live", "--allow-insecure-http", "--format", output_format, path,
                        env={"PA": PA})
    assert result.exit_code == 1, result.output
    assert RAW_CONTROL.search(result.output) is None, result.output
    assert not any(line.startswith("::error file=x") for line in result.output.splitlines())


def test_resolved_url_user_info_is_masked(write):
    """`url: ${JAMA_URL}` whose value holds user info: the resolved secret is never shown."""
    with stub_server(lambda request, seen: Reply(200, _user())) as server:
        path = write("c.yaml", "connectors:\n  - name: A\n    application: jama-connect\n"
                     "    url: ${JAMA_URL}\n    auth: {type: basic, username: svc, password: \"${PA}\"}\n")
        url = server.url.replace("http://", f"http://svc:{PA}@")
        for fmt in FORMATS:
            result = invoke("check", "--live", "--allow-insecure-http", "--format", fmt, path,
                            env={"JAMA_URL": url, "PA": "x" + PA[::-1]})
            for piece in _pieces(PA):
                assert piece not in result.output, (fmt, result.output)
        for request in server.requests:
            assert PA not in json.dumps(request.headers)


def _recorder(request: Request, seen: list[Request]) -> Reply:
    return Reply(200, _user())


ENV_FILES = {
    'PA="abc123" # the password': "abc123",
    "PA='abc123'   # quoted, then a comment": "abc123",
    "PA=abc123 # a comment": "abc123",
    "PA=abc#123": "abc#123",
    "export PA=abc123": "abc123",
    'PA="a\\"b c"': 'a"b c',
    "PA='a\\'b'": "a'b",
    'PA="line1\\nline2"': "line1\nline2",
    "  PA = abc123  ": "abc123",
}


@pytest.mark.parametrize("line", sorted(ENV_FILES))
def test_env_file_reads_like_python_dotenv(line, write):
    with stub_server(_recorder) as server:
        path = write("c.yaml", CONNECTORS.format(url=server.url).split("  - name: B")[0])
        write(".env", "# secrets\n\n" + line + "\n")
        result = invoke("check", "--live", "--allow-insecure-http", "--env-file", ".env", path, env={"PA": None})
        assert result.exit_code in (0, 1), result.output
        sent = [r.headers.get("Authorization", "") for r in server.requests]
    expected = "Basic " + base64.b64encode(f"svc:{ENV_FILES[line]}".encode()).decode()
    assert sent and all(header == expected for header in sent), (sent, expected)
