"""Issue 12/9, discovery (SPEC §3.1 "Directory discovery", §4): which files a folder run checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VALID_CONNECTOR, invoke

PASSWORD = "hunter2-literal"


def _json(*args: str):
    result = invoke("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


# Each file declares its connectors with a spelling a user really wrote; each holds a literal
# password. None of them may be skipped by a folder run.
NEAR_MISSES = {
    "singular": "connector:\n  - name: A\n",
    "capital": "Connectors:\n  - name: A\n",
    "upper": "CONNECTORS:\n  - name: A\n",
    "double-quoted": '"connectors":\n  - name: A\n',
    "single-quoted": "'connectors':\n  - name: A\n",
    "blank-before-colon": "connectors :\n  - name: A\n",
    "typo": "conectors:\n  - name: A\n",
    "digit-for-letter": "connect0rs:\n  - name: A\n",
    "json-blanks": '{ "Connectors" : [{"name": "A",\n',
    "json-indented": '{\n  "connectors": [{"name": "A",\n',
    "json": '{"connectors": [{"name": "A",\n',
}
TAIL = ("    application: jama-connect\n    url: https://a.jamacloud.com\n"
        f"    auth: {{type: basic, username: svc, password: {PASSWORD}}}\n")
JSON_TAIL = ('  "application": "jama-connect", "url": "https://a.jamacloud.com",\n'
             f'  "auth": {{"type": "basic", "username": "svc", "password": "{PASSWORD}"}}}}]}}\n')


@pytest.mark.parametrize("kind", sorted(NEAR_MISSES))
def test_connector_spellings_are_never_skipped(write, kind):
    body = NEAR_MISSES[kind] + (JSON_TAIL if kind.startswith("json") else TAIL)
    write("team-a/connector-file.yaml", body)
    result, document = _json("team-a")
    assert document["files"] == ["team-a/connector-file.yaml"], kind
    assert result.exit_code == 1
    codes = {finding["code"] for finding in document["findings"]}
    if kind in ("double-quoted", "single-quoted", "blank-before-colon", "json", "json-indented"):
        assert "JC301" in codes  # the key is `connectors`: the literal password is found
    else:
        assert {"JC201", "JC202"} <= codes  # a near miss: reported, with "did you mean"
        assert any("connectors" in f["message"] for f in document["findings"] if f["code"] == "JC202")
    assert PASSWORD not in result.output


@pytest.mark.parametrize("first_line", ["collectors:", "connections:", "name: app", "  connectors:"])
def test_other_yaml_is_skipped_and_verbose_says_why(write, first_line):
    write("config/app.yaml", f"{first_line}\n  - a\n")
    write("config/prod.yaml", VALID_CONNECTOR)
    result, document = _json("config")
    assert document["files"] == ["config/prod.yaml"]
    assert "config/app.yaml" not in result.stderr
    verbose = invoke("check", "-v", "config")
    assert verbose.exit_code == 0, verbose.output
    lines = [line for line in verbose.stderr.splitlines() if "config/app.yaml" in line]
    assert len(lines) == 1 and "skip" in lines[0].lower()
    assert len(lines[0]) > len("config/app.yaml") + 10  # and says why
    assert "config/prod.yaml" not in verbose.stderr.replace("config/app.yaml", "")


def test_any_yaml_under_a_connectors_folder_is_checked(write):
    write("infra/connectors/team/app.yaml", "name: not declared as connectors\n")
    write("infra/connectors/broken.yml", "name: [unclosed\n")
    write("infra/other/app.yaml", "name: ignored\n")
    write("infra/other/jira.connector.yml", "name: matched by the hook's files pattern too\n")
    result, document = _json("infra")
    assert document["files"] == ["infra/connectors/broken.yml", "infra/connectors/team/app.yaml",
                                 "infra/other/jira.connector.yml"]
    codes = [(f["path"], f["code"]) for f in document["findings"]]
    assert ("infra/connectors/broken.yml", "JC100") in codes
    assert ("infra/connectors/team/app.yaml", "JC201") in codes
    assert result.exit_code == 1


@pytest.mark.parametrize("folder", ["env", "site-packages", "venv", "lib/python3.11/site-packages"])
def test_folder_names_never_skip_a_folder(write, folder):
    write(f"{folder}/prod.yaml", VALID_CONNECTOR.replace("${JAMA_CLIENT_SECRET}", PASSWORD))
    _, document = _json(".")
    assert document["files"] == [f"{folder}/prod.yaml"]
    assert [f["code"] for f in document["findings"]] == ["JC301"]


def test_a_folder_holding_pyvenv_cfg_is_skipped(write):
    write("tools/pyvenv.cfg", "home = /usr/bin\n")
    write("tools/lib/connectors/prod.yaml", VALID_CONNECTOR.replace("${JAMA_CLIENT_SECRET}", PASSWORD))
    write("connectors/prod.yaml", VALID_CONNECTOR)
    _, document = _json(".")
    assert document["files"] == ["connectors/prod.yaml"]


@pytest.mark.parametrize("layout", ["empty", "renamed"])
def test_no_connector_files_is_one_stderr_line(write, layout):
    os.makedirs("connectors")
    if layout == "renamed":
        write("connectors/readme.txt", "the files moved\n")
        write("connectors-old/prod.yaml", VALID_CONNECTOR)  # not under the given folder
    result = invoke("check", "connectors/")
    assert result.exit_code == 0, result.output
    assert result.stderr == "jamacheck: warning: no connector files found in connectors/\n"
    assert result.stdout == "0 errors, 0 warnings in 0 files\n"


def test_no_warning_when_a_file_was_checked(write):
    write("connectors/prod.yaml", VALID_CONNECTOR)
    result = invoke("check", "connectors")
    assert result.stderr == ""


# ---- regular files only, each file once -----------------------------------------------------

def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """A real process with a deadline: opening a FIFO for reading would block forever."""
    return subprocess.run([sys.executable, "-m", "jamacheck", "check", "--format", "json", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("how", ["folder", "explicit", "symlink"])
def test_fifo_is_jc103_and_never_opened(tmp_path, how):
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    (connectors / "prod.yaml").write_text(VALID_CONNECTOR)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    if how == "symlink":
        (connectors / "x.yaml").symlink_to(fifo)
    else:
        os.replace(fifo, connectors / "x.yaml")
    args = ["connectors"] if how != "explicit" else ["connectors/x.yaml", "connectors/prod.yaml"]
    result = _cli(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert "connectors/x.yaml" in document["files"]
    assert [(f["path"], f["code"], f["line"], f["column"]) for f in document["findings"]] == [
        ("connectors/x.yaml", "JC103", 1, 1)]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_symlink_to_a_device_is_jc103(tmp_path):
    (tmp_path / "connectors").mkdir()
    (tmp_path / "connectors" / "zero.yaml").symlink_to("/dev/zero")
    result = _cli("connectors", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["JC103"]


def test_hard_link_symlink_and_two_spellings_are_one_file(write):
    write("connectors/prod.yaml", VALID_CONNECTOR)
    os.link("connectors/prod.yaml", "connectors/prod-hardlink.yaml")
    os.symlink("prod.yaml", "connectors/prod-symlink.yaml")
    for args in (["connectors"], ["connectors/prod.yaml", "./connectors//prod.yaml", "connectors"],
                 ["connectors/prod-hardlink.yaml", "connectors/prod.yaml"]):
        result, document = _json(*args)
        assert len(document["files"]) == 1, (args, document["files"])
        assert document["findings"] == [], args  # no false JC401/JC402 against itself
        assert result.exit_code == 0
