"""The command line as a user meets it: paths, exit codes, options, the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from jamacheck import __version__
from tests.conftest import ROOT, VALID_CONNECTOR, findings_of, invoke


def test_clean_file_exits_0_with_summary(write):
    write("c.yaml", VALID_CONNECTOR)
    result = invoke("check", "c.yaml")
    assert result.exit_code == 0
    assert result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_default_path_is_the_working_directory(write):
    write("connectors/prod.yaml", VALID_CONNECTOR)
    write("config/other.yml", "not: a connector file\n")
    write(".hidden/bad.yaml", "connectors: []\n")
    write("node_modules/bad.yaml", "connectors: []\n")
    write("venv/pyvenv.cfg", "")
    write("venv/bad.yaml", "connectors: []\n")
    result = invoke("check", "--format", "json")
    assert json.loads(result.stdout)["files"] == ["connectors/prod.yaml"]


def test_discovered_broken_connector_file_is_reported(write):
    write("a/broken.yaml", "connectors:\n  - name: [\n")
    write("a/b/other.yaml", "connectors:\n" + "\x00")
    result = invoke("check", "--format", "json", "a")
    document = json.loads(result.stdout)
    assert document["files"] == ["a/b/other.yaml", "a/broken.yaml"]
    assert [f["code"] for f in document["findings"]] == ["JC103", "JC100"]


def test_explicit_file_is_always_checked_and_given_twice_once(write):
    write("notes.yaml", "hello: world\n")
    result = invoke("check", "--format", "json", "notes.yaml", "./notes.yaml", ".")
    document = json.loads(result.stdout)
    assert document["files"] == ["notes.yaml"]
    assert {f["code"] for f in document["findings"]} == {"JC201", "JC202"}


def test_cross_file_order_is_sorted_paths(write):
    write("b/x.yaml", VALID_CONNECTOR)
    write("a/y.yaml", VALID_CONNECTOR)
    document = json.loads(invoke("check", "--format", "json", ".").stdout)
    codes = [(f["path"], f["code"]) for f in document["findings"]]
    assert codes == [("b/x.yaml", "JC401"), ("b/x.yaml", "JC402")]
    assert "a/y.yaml:2" in document["findings"][0]["message"]


def test_missing_path_and_bad_option_exit_2(write):
    result = invoke("check", "nope.yaml")
    assert result.exit_code == 2 and result.stderr == "jamacheck: error: no such file or directory: nope.yaml\n"
    assert invoke("check", "--format", "xml", ".").exit_code == 2


def test_output_file(write):
    write("c.yaml", "connectors: []\n")
    result = invoke("check", "--format", "json", "--output", "report.json", "c.yaml")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((write("x", "").parent / "report.json").read_text())["summary"]["errors"] == 1
    assert invoke("check", "--output", "missing-dir/r.txt", "c.yaml").exit_code == 2


def test_color_and_source_flags(write):
    write("c.yaml", "connectors: []\n")
    plain = invoke("check", "c.yaml").stdout
    assert "\x1b[" not in plain and " | " not in plain
    colored = invoke("check", "--color", "--show-source", "c.yaml").stdout
    assert "\x1b[" in colored and " 1 | connectors: []" in colored


def test_strict_makes_warnings_fail(write):
    write("c.yaml", VALID_CONNECTOR.replace("    auth:", "    verify_ssl: false\n    auth:"))
    assert invoke("check", "c.yaml").exit_code == 0
    assert invoke("check", "--strict", "c.yaml").exit_code == 1


def test_schema_command_prints_the_shipped_schema():
    printed = json.loads(invoke("schema").stdout)
    assert printed == json.loads((ROOT / "schemas" / "connector.schema.json").read_text())
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_version():
    assert invoke("--version").stdout == f"jamacheck {__version__}\n"


def test_python_m_and_no_traceback_on_bad_bytes(write):
    write("c.yaml", b"connectors:\n  - name: \xff\xfe\n")
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "jamacheck", "check", "c.yaml"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and "JC103" in result.stdout and result.stderr == ""


def test_lazy_imports_keep_startup_light():
    code = ("import sys; from jamacheck.cli import main; "
            "main(['rules'], standalone_mode=False); "
            "print(sorted(m for m in ('httpx', 'jsonschema') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("[]")


def test_positions_survive_crlf_and_bom(write):
    text = "\ufeff" + VALID_CONNECTOR.replace("client_secret: ${JAMA_CLIENT_SECRET}", "client_secret: x")
    write("c.yaml", text.replace("\n", "\r\n"))
    assert findings_of("c.yaml") == [("JC301", 8, 22)]


def test_tests_cannot_reach_the_network():
    """The autouse guard in conftest: no name but loopback resolves, no other address connects."""
    import socket

    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("pypi.org", 443)
    with pytest.raises(ConnectionRefusedError), socket.socket() as sock:
        sock.connect(("192.0.2.1", 443))
