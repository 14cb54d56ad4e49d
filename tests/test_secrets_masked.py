"""Planted canary secrets must appear in no output of any format."""

from __future__ import annotations

import pytest

from jamacheck.report import FORMATS
from tests.conftest import invoke

CANARY = "CANARY7f3a"
CANARY_FILES = {
    "literal.yaml": f"""\
connectors:
  - name: Canary basic
    application: jama-connect
    url: https://{CANARY}u:{CANARY}p@canary.jamacloud.com/?token={CANARY}q&x=1
    auth: {{type: basic, username: svc, password: {CANARY}1}}
  - name: Canary oauth
    application: jama-connect
    url: https://canary2.jamacloud.com?api_key={CANARY}k
    auth:
      type: oauth
      client_id: 42
      client_secret: "{CANARY}2"
  - name: Canary jira
    application: jira
    deployment: cloud
    url: https://canary.atlassian.net
    auth:
      type: token
      token: |
        {CANARY}3
      password: ${CANARY}4
""",
    "syntax-error.yaml": f"""\
connectors:
  - name: Canary broken
    url: [unclosed
    auth:
      password: {CANARY}5
      client_secret: >
        {CANARY}6
""",
    "syntax-error-before.yaml": f"""\
connectors:
  - name: "unclosed
    auth: {{password: {CANARY}7, token: {CANARY}8}}
""",
    "malformed.yaml": f"""\
connectors:
  - name: Canary malformed
    application: jama-connect
    url: https://malformed.jamacloud.com
    auth: {{type: basic, username: svc, password: "${{{CANARY}9"}}
""",
}


@pytest.fixture
def canary_files(write):
    return [write(name, text) for name, text in CANARY_FILES.items()]


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("show_source", ["--show-source", "--no-show-source"])
def test_no_format_prints_a_canary(canary_files, output_format, show_source):
    result = invoke("check", "--format", output_format, show_source, *canary_files)
    assert result.exit_code == 1
    assert "JC" in result.output
    assert CANARY not in result.output


def test_the_canaries_are_really_reported(canary_files):
    """The test above is only meaningful if the files do produce findings on those lines."""
    result = invoke("check", "--format", "json", *canary_files)
    for code in ("JC301", "JC302", "JC100", "JC305"):
        assert code in result.output
