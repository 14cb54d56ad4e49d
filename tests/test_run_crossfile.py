"""Issue 12: cross-file rules over a partial run (`paths`), JC001 for them, one finding per place."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke


def connector(name: str, host: str, extra: str = "") -> str:
    return (f"{extra}connectors:\n  - name: {name}\n    application: jama-connect\n"
            f"    url: https://{host}.jamacloud.com\n"
            "    auth: {type: oauth, client_id: interchange, client_secret: \"${S}\"}\n")


def _run(*args: str):
    result = invoke("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    return result, document, [(f["path"], f["code"], f["line"], f["column"]) for f in document["findings"]]


@pytest.fixture
def repo(write):
    """A repository of connectors with `paths` configured, as pre-commit would see it."""
    write(".jamacheck.toml", 'paths = ["connectors"]\n')
    write("connectors/b-prod.yaml", connector("Jama production", "acme"))
    write("connectors/c-test.yaml", connector("Jama test", "acme-test"))
    return write


def test_paths_compare_a_given_file_with_every_connector(repo):
    repo("connectors/d-new.yaml", connector("jama PRODUCTION", "other"))
    result, document, findings = _run("connectors/d-new.yaml")
    assert document["files"] == ["connectors/d-new.yaml"]  # context files are not checked or counted
    assert findings == [("connectors/d-new.yaml", "JC401", 2, 11)]
    assert "connectors/b-prod.yaml:2" in document["findings"][0]["message"]
    assert result.exit_code == 1


def test_paths_a_new_file_that_sorts_first_still_fails(repo):
    repo("connectors/a-new.yaml", connector("Jama production", "acme"))
    _, document, findings = _run("connectors/a-new.yaml")
    # a full run would report both in b-prod.yaml, which was not given: they go to a-new.yaml's connector
    assert findings == [("connectors/a-new.yaml", "JC401", 2, 11), ("connectors/a-new.yaml", "JC402", 4, 10)]
    assert all("connectors/b-prod.yaml" in f["message"] for f in document["findings"])


def test_paths_findings_only_in_given_files(repo):
    repo("connectors/e-copy.yaml", connector("Jama test", "acme-test") .replace("${S}", "plaintext"))
    repo("connectors/f-ok.yaml", connector("Fine", "fine"))
    result, _, findings = _run("connectors/f-ok.yaml")
    assert findings == [] and result.exit_code == 0  # e-copy's JC301/JC401 are not this run's
    assert "plaintext" not in result.output


def test_without_paths_only_the_given_files_are_compared(write):
    write("connectors/b-prod.yaml", connector("Jama production", "acme"))
    write("connectors/d-new.yaml", connector("Jama production", "acme"))
    assert _run("connectors/d-new.yaml")[2] == []
    assert _run("connectors")[2] == [("connectors/d-new.yaml", "JC401", 2, 11),
                                     ("connectors/d-new.yaml", "JC402", 4, 10)]


# ---- JC001 for cross-file codes only when every connector file was seen ------------------------

SUPPRESS_402 = "# jamacheck: disable-file=JC402 -- per-team service accounts\n"


def test_cross_file_suppression_in_a_partial_run_is_not_unused(write):
    write("connectors/b-prod.yaml", connector("Jama production", "acme"))
    write("connectors/d-team.yaml", connector("Jama for team D", "acme", SUPPRESS_402))
    assert _run("connectors/d-team.yaml")[2] == []  # it may serve a file that was not given
    assert _run("connectors")[2] == []  # used
    write("connectors/b-prod.yaml", connector("Jama production", "elsewhere"))
    assert _run("connectors")[2] == [("connectors/d-team.yaml", "JC001", 1, 1)]  # really unused
    assert _run("connectors/d-team.yaml")[2] == []


def test_cross_file_suppression_with_paths(repo):
    repo("connectors/d-team.yaml", connector("Jama for team D", "acme", SUPPRESS_402))
    assert _run("connectors/d-team.yaml")[2] == []
    repo("connectors/d-team.yaml", connector("Jama for team D", "unique", SUPPRESS_402))
    assert _run("connectors/d-team.yaml")[2] == [("connectors/d-team.yaml", "JC001", 1, 1)]


def test_other_unused_suppressions_are_still_reported_in_a_partial_run(write):
    write("connectors/b-prod.yaml", connector("Jama production", "acme"))
    write("connectors/d.yaml", connector("Other", "other", "# jamacheck: disable-file=JC303\n"))
    assert _run("connectors/d.yaml")[2] == [("connectors/d.yaml", "JC001", 1, 1)]


# ---- one finding per place ---------------------------------------------------------------------

SHARED = """\
connectors:
  - name: A
    application: jama-connect
    url: https://a.jamacloud.com
    auth: &auth
      type: basic
      username: svc
      password: hunter2
      clientid: x
  - name: B
    application: jama-connect
    url: https://b.jamacloud.com
    auth: *auth
  - name: C
    application: jama-connect
    url: https://c.jamacloud.com
    auth: *auth
"""


def test_a_mistake_in_a_shared_block_is_one_finding(write):
    write("connectors/shared.yaml", SHARED)
    _, _, findings = _run("connectors")
    assert sorted(findings) == [("connectors/shared.yaml", "JC202", 9, 7), ("connectors/shared.yaml", "JC301", 8, 17)]


def test_cross_file_finding_through_an_alias_points_at_the_later_connector(write):
    write("connectors/alias.yaml", """\
connectors:
  - name: &name Jama production
    application: jama-connect
    url: &url https://acme.jamacloud.com
    auth: &auth {type: oauth, client_id: interchange, client_secret: "${S}"}
  - name: *name
    application: jama-connect
    url: *url
    auth: *auth
""")
    _, document, findings = _run("connectors")
    assert findings == [("connectors/alias.yaml", "JC401", 6, 3), ("connectors/alias.yaml", "JC402", 6, 3)]
    assert all("connectors/alias.yaml:2" in f["message"] or ":4" in f["message"] for f in document["findings"])
