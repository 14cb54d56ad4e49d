"""--write-baseline / --baseline (SPEC §8): old findings hidden, new ones shown, stale ones listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.fix_support import run_cli, write_file

OLD = """\
connectors:
  - name: Jama production
    application: jama-connect
    url: https://acme.jamacloud.com/rest/v1?token=tok-SECRET-1
    verify_ssl: no
    auth:
      type: basic
      username: svc
      password: hunter2
  - name: Jama staging
    application: jama-connect
    url: http://staging.jamacloud.com
    verify_ssl: no
    auth: {type: oauth, client_id: x, client_secret: "${STAGING_SECRET}"}
"""


def _json(folder: Path, *args: str) -> tuple[dict, object]:
    result = run_cli(folder, "check", "--format", "json", *args)
    return json.loads(result.stdout), result


def _write_baseline(folder: Path, *paths: str) -> dict:
    result = run_cli(folder, "check", "--write-baseline", "baseline.json", *paths)
    assert result.exit_code == 0, result.output
    return json.loads((folder / "baseline.json").read_text())


def test_written_baseline_is_sorted_json_without_secrets_or_line_numbers(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    document = _write_baseline(folder, "connectors")
    text = (folder / "baseline.json").read_text()
    for secret in ("hunter2", "tok-SECRET-1"):
        assert secret not in text
    entries = document
    assert isinstance(entries, list)
    assert entries == sorted(entries, key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    assert {e["path"] for e in entries} == {"connectors/c.yaml"}
    codes = sorted(e["code"] for e in entries for _ in range(e.get("count", 1)))
    found, _ = _json(folder, "connectors")
    assert codes == sorted(f["code"] for f in found["findings"])
    for entry in entries:
        assert set(entry) <= {"path", "code", "fingerprint", "count"}
        assert entry.get("count", 2) >= 2


def test_baseline_hides_recorded_findings(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    _write_baseline(folder, "connectors")
    result = run_cli(folder, "check", "--baseline", "baseline.json", "connectors")
    assert result.exit_code == 0, result.output
    hidden = len(_json(folder, "connectors")[0]["findings"])
    assert result.stdout.rstrip("\n").endswith(f"({hidden} hidden by the baseline)")
    assert "stale" not in result.stderr


def test_baseline_survives_lines_moving_and_shows_new_findings(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "connectors/c.yaml", OLD.encode())
    _write_baseline(folder, "connectors")
    moved = "# a comment that moves every line\n\n" + OLD + """\
  - name: Jama new
    application: jama-connect
    url: https://new.jamacloud.com
    verify_ssl: no
    auth: {type: oauth, client_id: x, client_secret: "${NEW_SECRET}"}
"""
    path.write_text(moved)
    document, result = _json(folder, "--baseline", "baseline.json", "connectors")
    assert [(f["code"], f["connector"]) for f in document["findings"]] == [
        ("JC104", "Jama new"), ("JC303", "Jama new")]
    assert result.exit_code == 0  # both are warnings


def test_baseline_counts_identical_looking_findings(tmp_path: Path):
    folder = tmp_path / "repo"
    block = '    extra: 1\n    auth:\n      type: oauth\n      client_id: x\n      client_secret: "${STAGING_SECRET}"\n'
    text = OLD.replace('    auth: {type: oauth, client_id: x, client_secret: "${STAGING_SECRET}"}\n', block)
    path = write_file(folder, "connectors/c.yaml", text.encode())
    _write_baseline(folder, "connectors")
    # The same mistake once more, on a line that reads exactly like the recorded one: shown.
    path.write_text(text + "      extra: 1\n")
    document, _ = _json(folder, "--baseline", "baseline.json", "connectors")
    assert [f["code"] for f in document["findings"]] == ["JC202"]
    # Two findings of one code on one line: one fingerprint with a count of 2.
    twice = OLD.replace('auth: {type: oauth, client_id: x,', 'auth: {type: oauth, clientid: x, clientsecret: y,')
    path.write_text(twice)
    recorded = _write_baseline(folder, "connectors")
    assert [entry.get("count", 1) for entry in recorded if entry["code"] == "JC202"] == [2]
    document, result = _json(folder, "--baseline", "baseline.json", "connectors")
    assert document["findings"] == [] and result.exit_code == 0


def test_stale_entries_are_listed_on_stderr(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "connectors/c.yaml", OLD.encode())
    _write_baseline(folder, "connectors")
    path.write_text(OLD.replace("verify_ssl: no\n    auth: {", "verify_ssl: true\n    auth: {"))
    result = run_cli(folder, "check", "--baseline", "baseline.json", "connectors")
    assert result.exit_code == 0
    stale = [line for line in result.stderr.splitlines() if "stale" in line]
    assert len(stale) == 2, result.stderr  # JC104 and JC303 of Jama staging
    assert all("connectors/c.yaml" in line for line in stale)
    assert {re.search(r"JC\d{3}", line).group() for line in stale} == {"JC104", "JC303"}


def test_baseline_from_the_configuration(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    _write_baseline(folder, "connectors")
    write_file(folder, "pyproject.toml", b'[tool.jamacheck]\nbaseline = "baseline.json"\n')
    result = run_cli(folder, "check", "connectors")
    assert result.exit_code == 0, result.output
    assert "hidden by the baseline" in result.stdout


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    _write_baseline(folder, "connectors")
    sub = folder / "connectors"
    result = run_cli(sub, "check", "--baseline", "../baseline.json", "c.yaml")
    assert result.exit_code == 0, result.output


def test_unreadable_baseline_is_exit_2(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    for name, data in (("missing.json", None), ("bad.json", b"{not json"), ("list.json", b"[1, 2]"),
                       ("entries.json", b'[{"path": 1}]'), ("object.json", b'{"entries": []}')):
        if data is not None:
            write_file(folder, name, data)
        result = run_cli(folder, "check", "--baseline", name, "connectors")
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr.startswith("jamacheck: error: ") and name in result.stderr
        assert "Traceback" not in result.output


def test_baseline_never_hides_always_reported_codes(tmp_path: Path):
    folder = tmp_path / "repo"
    path = write_file(folder, "connectors/c.yaml", b"connectors:\n  - name: [\n")
    recorded = _write_baseline(folder, "connectors")
    assert all(entry["code"] != "JC100" for entry in recorded)
    result = run_cli(folder, "check", "--baseline", "baseline.json", "connectors")
    assert result.exit_code == 1 and "JC100" in result.stdout
    path.write_text(OLD)


def test_write_baseline_records_what_a_configured_baseline_would_hide(tmp_path: Path):
    folder = tmp_path / "repo"
    write_file(folder, "connectors/c.yaml", OLD.encode())
    first = _write_baseline(folder, "connectors")
    write_file(folder, "pyproject.toml", b'[tool.jamacheck]\nbaseline = "baseline.json"\n')
    again = _write_baseline(folder, "connectors")
    assert again == first
