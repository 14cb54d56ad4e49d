"""Issue 9, terminal and log injection: control and bidi characters are escaped (SPEC §6).

Whatever their source (a key, a value, a connector name, a file name, a snippet), C0 other
than tab and newline-as-line-end, DEL, C1 and the bidi controls never reach a terminal or a
log raw: text and github show them as ``\\xNN`` / ``\\u{NNNN}``; json, sarif and gitlab carry
them as JSON escapes.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jamacheck.cli import main
from jamacheck.report import FORMATS
from tests.conftest import invoke

# C0 except tab and line feed, DEL, C1, bidi embeddings/overrides/isolates
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HEAD = """\
connectors:
  - name: {name}
    application: jama-connect
    url: https://acme.jamacloud.com
    auth: {{type: basic, username: u, password: "${{P}}"}}
"""

# Double-quoted YAML escapes give any character; a raw ESC in a file is a JC100 on its own.
HOSTILE = {
    "osc-title-key": HEAD.format(name="A") + '    "k\\e]0;owned\\a": 1\n',
    "osc52-clipboard-key": HEAD.format(name="A") + '    "k\\e]52;c;Y3VybCB4\\a": 1\n',
    "clear-screen-value": HEAD.format(name="A").replace("jama-connect", '"jama\\e[2J"'),
    "bidi-key": HEAD.format(name="A") + '    "admin\\u202egroups": [x]\n',
    "bidi-isolate-value": HEAD.format(name="A").replace("acme.jamacloud.com", "acme.jamacloud.com/\u2066x\u2069"),
    "c1-csi-name": HEAD.format(name='"A\\x9b2J"') + HEAD.format(name='"A\\x9b2J"')[12:],
    "del-in-type": HEAD.format(name="A").replace("type: basic", 'type: "bas\\x7fic"'),
    "workflow-command": HEAD.format(name="A") + '    "k\\n::error file=x.yaml,line=1::pwned": 1\n',
    "carriage-return": HEAD.format(name="A") + '    "k\\r::error file=x.yaml::pwned": 1\n',
    "nel-line-separator": HEAD.format(name="A") + '    "k\\N::warning::pwned\\L\\P": 1\n',
}


def _assert_clean(text: str, where: str) -> None:
    match = RAW_CONTROL.search(text)
    assert match is None, f"raw {match.group()!r} in {where}:\n{text!r}"
    for line in text.splitlines():
        assert not line.startswith("::") or line.startswith(("::error file=", "::warning file=")), (where, line)
    assert "\u2028" not in text and "\u2029" not in text and "\x85" not in text, where


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("output_format", FORMATS)
def test_no_raw_control_character(case, output_format, write):
    path = write(f"{case}.yaml", HOSTILE[case])
    result = invoke("check", "--format", output_format, "--show-source", path)
    assert result.exit_code in (0, 1), result.output
    assert "JC" in result.output
    _assert_clean(result.output, f"{case} {output_format}")
    if output_format in ("json", "sarif", "gitlab"):
        json.loads(result.output)


def test_text_shows_the_escape(write):
    path = write("k.yaml", HOSTILE["osc-title-key"])
    output = invoke("check", "--no-show-source", path).output
    assert "\\x1b]0;owned\\x07" in output


def test_bidi_shown_as_codepoint(write):
    path = write("b.yaml", HOSTILE["bidi-key"])
    output = invoke("check", "--no-show-source", path).output
    assert "\\u{202E}" in output or "\\u{202e}" in output


def test_github_workflow_command_cannot_be_injected(write):
    path = write("w.yaml", HOSTILE["workflow-command"])
    for output_format in ("text", "github"):
        output = invoke("check", "--format", output_format, "--show-source", path).output
        assert not any(line.startswith("::error file=x.yaml") for line in output.splitlines()), output


def test_snippet_after_jc100_is_escaped(write):
    """A JC100 on a raw control character shows the source line escaped."""
    path = write("raw.yaml", "connectors:\n  - name: x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\n")
    output = invoke("check", "--show-source", path).output
    assert "JC100" in output
    _assert_clean(output, "snippet")


def _run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "jamacheck", *args], cwd=cwd, capture_output=True,
                          timeout=60, env=env)


def _run_in_process(args: list, cwd: Path) -> subprocess.CompletedProcess:
    """As ``_run``, in-process (50 runs here; a process costs ~0.15 s of CPU): bytes arguments
    reach click as a process's argv would, decoded with surrogateescape; stdout is strict UTF-8.
    The tests below this one keep the real process for the non-UTF-8 paths."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, [os.fsdecode(arg) for arg in args], catch_exceptions=False)
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout_bytes, result.stderr_bytes)


HOSTILE_NAMES = [
    b"evil\n::error file=x.yaml,line=1::pwned.yaml",
    b"title\x1b]0;owned\x07.yaml",
    b"bidi\xe2\x80\xaeLMTH.yaml",
    b"latin1-\xff\xfe.yaml",
    b"c1-\xc2\x9b2J.yaml",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["newline", "osc", "bidi", "non-utf8", "c1"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_hostile_file_names(name, output_format, tmp_path):
    folder = tmp_path / "connectors"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write(HEAD.format(name="A").encode() + b"    verify_ssl: false\n")
    for target in (b"connectors", os.fsencode(folder) + b"/" + name):
        done = _run_in_process(["check", "--format", output_format, target], tmp_path)
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr and done.stderr == b"", done.stderr
        text = done.stdout.decode("utf-8")  # valid UTF-8 whatever the file name
        _assert_clean(text, f"{name!r} {output_format}")
        assert "JC303" in text
        if output_format in ("json", "sarif", "gitlab"):
            document = json.loads(text)
            if output_format == "sarif":
                uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                assert re.fullmatch(r"[A-Za-z0-9\-._~%/:!$&'()*+,;=@]+", uri), uri


def test_non_utf8_output_file_name(tmp_path):
    (tmp_path / "c.yaml").write_text(HEAD.format(name="A"))
    out = os.fsencode(tmp_path) + b"/report-\xff.txt"
    for output_format in FORMATS:
        done = _run(["check", "--format", output_format, "--output", out, "c.yaml"], tmp_path)
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
        assert os.path.exists(out)


def test_non_utf8_sarif_uri_is_percent_encoded(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"bad-\xff.yaml"), "wb") as handle:
        handle.write(HEAD.format(name="A").encode() + b"    saml: no\n")
    done = _run(["check", "--format", "sarif", b"bad-\xff.yaml"], tmp_path)
    sarif = json.loads(done.stdout)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "bad-%FF.yaml"
    text = _run(["check", b"bad-\xff.yaml"], tmp_path).stdout.decode()
    assert text.startswith("bad-\\xff.yaml:")


def test_stderr_escapes_a_path(tmp_path):
    done = _run(["check", "no\x1b]0;owned\x07such.yaml"], tmp_path)
    assert done.returncode == 2
    _assert_clean(done.stderr.decode(), "stderr")
    assert b"\\x1b" in done.stderr


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["newline", "osc", "bidi", "non-utf8", "c1"])
def test_diff_escapes_a_hostile_file_name(name, tmp_path):
    folder = tmp_path / "connectors"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write(HEAD.format(name="A").encode() + b"    verify_ssl: no\n")
    done = _run(["check", "--diff", "connectors"], tmp_path)
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    _assert_clean(done.stdout.decode("utf-8"), f"--diff {name!r}")
    assert "+    verify_ssl: false" in done.stdout.decode()
