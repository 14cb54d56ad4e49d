"""Issue 9, memory and time: hostile files end within their bounds (SPEC §9, JC103).

Each case runs the real command in a child process with an address-space cap (so a regression
fails the test instead of eating the machine) and measures its wall time and peak memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space for the child
SECOND = 1.0


def run_bounded(args: list, cwd: Path, timeout: float = 20.0) -> tuple[int, bytes, bytes, float, int]:
    """Run jamacheck; return exit code, stdout, stderr, seconds, the child's peak RSS in KiB.

    The seconds are the child's own CPU time (user + system): on a machine shared by many
    processes, wall time measures the neighbours; a hang is caught by ``timeout`` (wall time).
    """
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "jamacheck", *args], cwd=cwd, env=env,
                                 preexec_fn=limit, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        while True:  # os.wait4 gives this child's own peak memory
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                child.kill()
                os.wait4(child.pid, 0)
                pytest.fail(f"jamacheck {args} did not end within {timeout} s")
            time.sleep(0.005)
        elapsed = usage.ru_utime + usage.ru_stime
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return child.returncode, out.read(), err.read(), elapsed, usage.ru_maxrss


@pytest.fixture(scope="module")
def startup(tmp_path_factory: pytest.TempPathFactory) -> float:
    """CPU time of a run that checks a tiny file: the interpreter and import cost to subtract."""
    cwd = tmp_path_factory.mktemp("startup")
    (cwd / "tiny.yaml").write_text("connectors: []\n")
    return min(run_bounded(["check", "--format", output_format, "tiny.yaml"], cwd)[3]
               for output_format in ("text", "sarif"))


def merge_bomb(depth: int = 7, width: int = 10) -> str:
    lines = ["x-a0: &a0 {" + ", ".join(f"k{n}: 1" for n in range(width)) + "}"]
    for level in range(1, depth + 1):
        lines.append(f"x-a{level}: &a{level} {{<<: [" + ", ".join([f"*a{level - 1}"] * width) + "]}")
    lines.append("connectors: []")
    return "\n".join(lines) + "\n"


def test_merge_key_bomb_is_jc103_fast(tmp_path, startup):
    text = merge_bomb()
    assert len(text) < 600
    (tmp_path / "bomb.yaml").write_text(text)
    base = startup
    code, out, err, elapsed, peak = run_bounded(["check", "bomb.yaml"], tmp_path)
    assert code == 1, err
    assert b"JC103" in out and b"10,000" in out
    assert elapsed - base < SECOND, elapsed
    print(f"merge bomb: {elapsed - base:.3f} s over startup, peak {peak // 1024} MiB")


def test_merge_keys_and_aliases_count_before_expansion(tmp_path):
    """A wide merge of a big mapping counts every merged pair, not only aliased nodes."""
    big = "x-big: &big {" + ", ".join(f"k{n}: 1" for n in range(2000)) + "}\n"
    merges = "".join(f"x-m{n}: {{<<: *big}}\n" for n in range(6))
    (tmp_path / "wide.yaml").write_text(big + merges + "connectors: []\n")
    code, out, _, _, _ = run_bounded(["check", "wide.yaml"], tmp_path)
    assert code == 1 and b"JC103" in out
    (tmp_path / "ok.yaml").write_text(big + "x-m: {<<: *big}\nconnectors: []\n")
    code, out, _, _, _ = run_bounded(["check", "ok.yaml"], tmp_path)
    assert b"JC103" not in out


LONG_VALUES = {
    "dotted-url": "url: " + "a." * 500_000,
    "at-signs": "url: https://" + "a@" * 500_000,
    "colons": "url: " + "a:" * 500_000,
    "query-tokens": "url: https://x/?" + "&token=" * 130_000,
    "percent": "url: https://x/?" + "%7" * 330_000,
    "dollar-braces": "name: " + "${" * 500_000,
    "comment-assignments": "# " + "password: " * 100_000,
    "comment-equals": "# " + "token=a " * 120_000,
    "secret-key-name": "passwordpassword" * 60_000 + ": x",
    "case-change-param": "url: https://x/?" + "aB" * 500_000 + "=1",
}


@pytest.mark.parametrize("case", sorted(LONG_VALUES))
def test_a_mebibyte_value_is_linear(case, tmp_path, startup):
    line = LONG_VALUES[case]
    text = f"connectors:\n  - name: x\n    application: jama-connect\n    {line}\n" \
        "    auth: {type: basic, username: u, password: \"${P}\"}\n"
    text = text if len(text) <= 1024 * 1024 else text[: 1024 * 1024 - 80] + "\n"
    (tmp_path / "long.yaml").write_text(text)
    base = startup
    # text with the snippet: every pattern (masking, escaping) runs on the line; sarif once
    for output_format in ("text", "sarif") if case == "dotted-url" else ("text",):
        code, _, err, elapsed, peak = run_bounded(
            ["check", "--show-source", "--format", output_format, "long.yaml"], tmp_path)
        assert code in (0, 1), err
        assert b"Traceback" not in err
        assert elapsed - base < SECOND, f"{case} {output_format}: {elapsed - base:.2f} s"
    print(f"{case}: {elapsed - base:.3f} s over startup, peak {peak // 1024} MiB")


def test_big_file_reads_at_most_a_mebibyte(tmp_path):
    """A 2 GiB sparse file is JC103 at once, with flat memory: only 1 MiB + 1 bytes are read."""
    with open(tmp_path / "huge.yaml", "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    code, out, err, elapsed, peak = run_bounded(["check", "huge.yaml"], tmp_path)
    assert code == 1 and b"JC103" in out and b"1 MiB" in out, (out, err)
    assert elapsed < 5 and peak < 200 * 1024, (elapsed, peak)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_symlink_to_dev_zero_named_explicitly(tmp_path):
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    code, out, err, _, peak = run_bounded(["check", "zero.yaml"], tmp_path, timeout=10)
    assert code == 1 and b"JC103" in out, (out, err)
    assert peak < 200 * 1024


def test_fifo_named_explicitly_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    code, out, err, elapsed, _ = run_bounded(["check", "pipe.yaml"], tmp_path, timeout=10)
    assert code == 1 and b"JC103" in out, (out, err)
    assert elapsed < 5


def test_fifo_as_config_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "config.toml")
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    code, _, err, elapsed, _ = run_bounded(["check", "--config", "config.toml", "c.yaml"], tmp_path, timeout=10)
    assert code == 2 and b"config.toml" in err and b"Traceback" not in err
    assert elapsed < 5


def test_fifo_as_env_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / ".env")
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    code, _, err, elapsed, _ = run_bounded(["check", "--live", "--env-file", ".env", "c.yaml"], tmp_path, timeout=10)
    assert code == 2 and b".env" in err and b"Traceback" not in err
    assert elapsed < 5


def test_huge_config_and_env_file_are_refused(tmp_path):
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    with open(tmp_path / "big.toml", "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    code, _, err, elapsed, peak = run_bounded(["check", "--config", "big.toml", "c.yaml"], tmp_path)
    assert code == 2 and b"big.toml" in err and elapsed < 5 and peak < 200 * 1024, (err, elapsed, peak)
    os.symlink("/dev/zero", tmp_path / "zero.env")
    code, _, err, elapsed, peak = run_bounded(["check", "--live", "--env-file", "zero.env", "c.yaml"], tmp_path)
    assert code == 2 and b"zero.env" in err and elapsed < 5 and peak < 200 * 1024, (err, elapsed, peak)


def test_ca_bundle_is_read_bounded(tmp_path):
    """--ca-bundle: a FIFO, /dev/zero or a 2 GiB file is refused at once (exit 2), never read whole."""
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    os.mkfifo(tmp_path / "fifo.pem")
    os.symlink("/dev/zero", tmp_path / "zero.pem")
    with open(tmp_path / "big.pem", "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    for name in ("fifo.pem", "zero.pem", "big.pem"):
        code, _, err, seconds, peak = run_bounded(["check", "--live", "--ca-bundle", name, "c.yaml"], tmp_path,
                                                  timeout=10)
        assert code == 2 and name.encode() in err and b"Traceback" not in err, (name, err)
        assert seconds < 5 and peak < 200 * 1024, (name, seconds, peak)


def test_thousands_of_secrets_sharing_a_prefix(tmp_path, startup):
    """The run-wide masker stays linear with 20,000 secrets of one prefix and 2,000 findings."""
    lines = ["x-secrets:", "  passwords:", *(f"    - secretvalue{n:05d}" for n in range(20_000)), "connectors:"]
    for n in range(2_000):
        lines += [f"  - name: c{n}", "    application: jama-connect", f"    url: https://a{n}.jamacloud.com",
                  f"    auth: {{type: basic, username: u, password: pw{n:06d}}}"]
    (tmp_path / "many.yaml").write_text("\n".join(lines) + "\n")
    code, out, err, seconds, peak = run_bounded(["check", "--show-source", "many.yaml"], tmp_path)
    assert code == 1 and out.count(b"JC301") == 2_000, err
    assert b"secretvalue" not in out and b"pw000" not in out
    assert seconds - startup < 5, seconds
    print(f"20,000 secrets, 2,000 findings: {seconds - startup:.2f} s over startup, peak {peak // 1024} MiB")


def test_baseline_is_read_bounded(tmp_path):
    """--baseline: a FIFO is refused at once, a 2 GiB file is not read whole (exit 2 either way)."""
    (tmp_path / "c.yaml").write_text("connectors: []\n")
    os.mkfifo(tmp_path / "fifo.json")
    with open(tmp_path / "big.json", "wb") as handle:
        handle.truncate(2 * 1024 ** 3)
    for name in ("fifo.json", "big.json"):
        code, _, err, seconds, peak = run_bounded(["check", "--baseline", name, "c.yaml"], tmp_path, timeout=10)
        assert code == 2 and name.encode() in err and b"Traceback" not in err, (name, err)
        assert seconds < 5 and peak < 200 * 1024, (name, seconds, peak)
