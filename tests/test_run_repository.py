"""Issue 12: a platform team's repository as a whole, run as CI runs it and as pre-commit runs it."""

from __future__ import annotations

import json

from tests.conftest import invoke

OAUTH = 'auth: {type: oauth, client_id: interchange, client_secret: "${S}"}'

FILES = {
    # CRLF, a reason on a suppression, an anchor shared by two connectors
    "connectors/platform/jama.yaml": (
        "x-jama: &jama\r\n  application: jama-connect\r\n  verify_ssl: false  # jamacheck: disable=JC303 -- internal CA\r\n"
        "connectors:\r\n"
        f"  - name: Jama production\r\n    <<: *jama\r\n    url: https://jama.acme.example/jama\r\n    {OAUTH}\r\n"
        f"  - name: Jama staging\r\n    <<: *jama\r\n    url: https://jama-staging.acme.example/jama\r\n    {OAUTH}\r\n"
    ),
    # the same instance through its API path, suppressed for the whole file with a reason
    "connectors/team-reqs/jama.yaml": (
        "# jamacheck: disable-file=JC402 -- the requirements team's own service account\n"
        "connectors:\n"
        f"  - name: Jama for requirements\n    application: jama-connect\n"
        f"    url: https://jama.acme.example/jama/rest/v1\n    {OAUTH}\n"
    ),
    # JSON style, not under connectors/ (found by its key), with a literal secret
    "teams/qa/jira.yaml": (
        '{"connectors": [{"name": "Jira QA", "application": "jira", "deployment": "cloud",\n'
        '  "url": "https://acme.atlassian.net",\n'
        '  "auth": {"type": "basic", "username": "qa@acme.example", "password": "atatt-literal"}}]}\n'
    ),
    # a folder named env is not a virtual environment
    "env/prod/connectors.yml": (
        "Connectors:\n  - name: Jira env\n"
    ),
    # a real virtual environment is skipped
    ".venv-tools/pyvenv.cfg": "home = /usr/bin\n",
    "tools/venv/pyvenv.cfg": "home = /usr/bin\n",
    "tools/venv/lib/connectors/leak.yaml": "connectors: [{password: nope}]\n",
    "docs/mkdocs.yml": "site_name: docs\nnav:\n  - index.md\n",
}


def _run(*args: str):
    result = invoke("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    return result, document, [(f["path"], f["code"], f["line"]) for f in document["findings"]]


def test_ci_run_over_the_repository(write):
    for name, text in FILES.items():
        write(name, text)
    result, document, findings = _run(".")
    assert document["files"] == ["connectors/platform/jama.yaml", "connectors/team-reqs/jama.yaml",
                                 "env/prod/connectors.yml", "teams/qa/jira.yaml"]
    assert findings == [
        ("connectors/team-reqs/jama.yaml", "JC403", 5),
        ("env/prod/connectors.yml", "JC201", 1),
        ("env/prod/connectors.yml", "JC202", 1),
        ("teams/qa/jira.yaml", "JC301", 3),
    ]
    assert "atatt-literal" not in result.output
    verbose = invoke("check", "-v", ".")
    assert "docs/mkdocs.yml" in verbose.stderr and "tools/venv/" in verbose.stderr


def test_pre_commit_run_with_paths(write):
    for name, text in FILES.items():
        write(name, text)
    write(".jamacheck.toml", 'paths = ["connectors", "teams"]\nrequire-reason = true\n')
    # the team's file alone: its file-wide JC402 suppression serves it against an unchanged file
    _, document, findings = _run("connectors/team-reqs/jama.yaml")
    assert findings == [("connectors/team-reqs/jama.yaml", "JC403", 5)]
    assert document["files"] == ["connectors/team-reqs/jama.yaml"]
    # a new file reusing a name of an unchanged file, sorting first: it fails where it stands
    write("connectors/a-new.yaml", "connectors:\n  - name: jira qa\n    application: jira\n"
                                   "    deployment: cloud\n    url: https://acme2.atlassian.net\n"
                                   "    auth: {type: basic, username: a@acme.example, password: \"${P}\"}\n")
    result, document, findings = _run("connectors/a-new.yaml")
    assert findings == [("connectors/a-new.yaml", "JC401", 2)] and result.exit_code == 1
    assert "teams/qa/jira.yaml:1" in document["findings"][0]["message"]
