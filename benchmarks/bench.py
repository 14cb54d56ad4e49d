"""Benchmark jamacheck against check-jsonschema (same schema, same files), and the live checks.

    python benchmarks/bench.py                 # everything (about two minutes)
    python benchmarks/bench.py --skip-live     # offline only
    python benchmarks/bench.py --reps 9 --sizes 1,100,1000

Needs the test extras (`pip install '.[test]'`: check-jsonschema, trustme). Both tools run as
whole processes, alternating, several repetitions; the table shows medians, the ratio
jamacheck / check-jsonschema, and each one's peak memory (max RSS of the process).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "connector.schema.json"
BUDGETS = {1: 0.5, 1000: 0.4}  # ratio of wall time, from the speed issue
LIVE_BUDGET = 2.0  # seconds for 50 instances answering in 200 ms

CONNECTOR = """\
# yaml-language-server: $schema=connector.schema.json
version: 1
connectors:
  - name: Jama Connect {n}
    application: jama-connect
    url: https://acme{n}.jamacloud.com
    verify_ssl: true
    auth:
      type: oauth
      client_id: interchange-{n}
      client_secret: ${{JAMA_CLIENT_SECRET_{n}}}
    projects: [REQ, SYS, {n}]
    admin_groups: [Organization Admin]
  - name: Jira Cloud {n}
    application: jira
    deployment: cloud
    url: https://acme{n}.atlassian.net
    auth: {{type: basic, username: svc-{n}@acme.example, password: "${{JIRA_API_TOKEN_{n}}}"}}
    projects: [PROJ{n}]
"""


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} not found; pip install '.[test]'")
    return found


def run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak memory (KiB) of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"bench: {command[0]} exited {process.returncode}: {process.stderr.read().decode()[:400]}")
    return elapsed, process.returncode, usage.ru_maxrss


def make_files(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"c{n:04d}.yaml"
        path.write_text(CONNECTOR.format(n=n))
        paths.append(str(path))
    return paths


def offline(sizes: list[int], reps: int) -> list[dict]:
    jamacheck, check_jsonschema = tool("jamacheck"), tool("check-jsonschema")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            files = make_files(Path(tmp) / str(size), size)
            commands = {
                "jamacheck": [jamacheck, "check", "--no-color", *files],
                "check-jsonschema": [check_jsonschema, "--schemafile", str(SCHEMA), *files],
            }
            for command in commands.values():  # warm the file cache and .pyc files
                run(command)
            times: dict[str, list[float]] = {name: [] for name in commands}
            memory: dict[str, int] = dict.fromkeys(commands, 0)
            for _ in range(reps):
                for name, command in commands.items():  # alternate
                    elapsed, _, peak = run(command)
                    times[name].append(elapsed)
                    memory[name] = max(memory[name], peak)
            ours, theirs = statistics.median(times["jamacheck"]), statistics.median(times["check-jsonschema"])
            rows.append({"files": size, "jamacheck": ours, "check-jsonschema": theirs, "ratio": ours / theirs,
                         "mem_ours": memory["jamacheck"], "mem_theirs": memory["check-jsonschema"]})
    return rows


def live_run(servers_needed: int, connectors: int, latency: float, concurrency: int, ca: str, tmp: Path):
    from fakes.jama import FakeJama, Scenario, User
    from tests.live_support import server_tls

    servers = []
    for _ in range(servers_needed):
        scenario = Scenario(users=[User(1, "svc", "bench-password")], latency=latency,
                            groups=[{"id": 10, "name": "Organization Admin", "members": [1]}])
        server = FakeJama(scenario, tls=server_tls())
        server.start()
        servers.append(server)
    lines = ["connectors:"]
    for n in range(connectors):
        url = servers[n % servers_needed].url
        lines += [f"  - name: Bench {n}", "    application: jama-connect", f"    url: {url}",
                  "    auth: {type: basic, username: svc, password: '${BENCH_PASSWORD}'}"]
    path = tmp / f"live-{servers_needed}-{connectors}-{concurrency}.yaml"
    path.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "BENCH_PASSWORD": "bench-password"}
    command = [tool("jamacheck"), "check", "--live", "--ca-bundle", ca, "--concurrency", str(concurrency),
               "--ignore", "JC402", "--format", "json", str(path)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    for server in servers:
        server.stop()
    if result.returncode != 0:
        sys.exit(f"bench: live run failed ({result.returncode}): {result.stdout[-600:]} {result.stderr[-300:]}")
    return elapsed, servers


def live() -> list[str]:
    sys.path.insert(0, str(ROOT))  # the fake server's TLS set-up lives with the tests
    from tests.live_support import _AUTHORITY

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        ca = str(Path(tmp) / "ca.pem")
        _AUTHORITY.cert_pem.write_to_path(ca)
        fast, _ = live_run(50, 50, 0.2, 50, ca, Path(tmp))
        slow, _ = live_run(50, 50, 0.2, 1, ca, Path(tmp))
        verdict = "meets" if fast <= LIVE_BUDGET else "MISSES"
        out.append(f"50 connectors on 50 instances, 200 ms per answer: --concurrency 50 {fast:.2f} s, "
                   f"--concurrency 1 {slow:.2f} s (x{slow / fast:.1f}); {verdict} the {LIVE_BUDGET:.0f} s budget")
        elapsed, (server,) = live_run(1, 30, 0.0, 8, ca, Path(tmp))
        peak = server.max_in_window(1.0)
        verdict = "within" if peak <= 10 else "OVER"
        out.append(f"30 connectors on one instance: {len(server.requests())} requests in {elapsed:.2f} s; "
                   f"at most {peak} requests in any 1 s window at the server ({verdict} Jama's 10/s)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--skip-live", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}; "
          f"{args.reps} repetitions, medians")
    print(f"{'files':>6} {'jamacheck':>10} {'check-jsonschema':>17} {'ratio':>6} {'budget':>7} "
          f"{'peak MiB (ours/theirs)':>23}")
    for row in offline(sizes, args.reps):
        budget = BUDGETS.get(row["files"])
        verdict = "" if budget is None else ("ok" if row["ratio"] <= budget else "MISS")
        memory = f"{row['mem_ours'] / 1024:.1f} / {row['mem_theirs'] / 1024:.1f}"
        mem_verdict = "ok" if row["mem_ours"] <= row["mem_theirs"] else "MISS"
        print(f"{row['files']:>6} {row['jamacheck']:>9.3f}s {row['check-jsonschema']:>16.3f}s "
              f"{row['ratio']:>6.2f} {('≤' + str(budget) + ' ' + verdict) if budget else '':>7} "
              f"{memory:>19} {mem_verdict}")
    if not args.skip_live:
        for line in live():
            print(line)


if __name__ == "__main__":
    main()
