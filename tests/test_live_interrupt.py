"""Ctrl-C during --live: exit 130 within a second, one line, no findings, probed items unlocked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from fakes.jama import Fault, Project
from tests.conftest import ROOT
from tests.live_support import PASSWORD, connector, fake, finish, run_process, scenario


def _wait_for(condition, seconds: float = 10.0) -> None:
    until = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < until, "the run never got there"
        time.sleep(0.02)


def test_ctrl_c_exits_130_within_a_second_with_one_line(write):
    faults = {("GET", "/rest/v1/users/current"): [Fault(kind="hang", seconds=30)] * 4}
    with fake(scenario(faults=faults), tls=False) as server:
        path = write("c.yaml", "connectors:\n" + "".join(
            connector(f"C{n}", server.url, "basic") for n in range(4)))
        process = run_process(["check", "--live", "--allow-insecure-http", "--ignore", "JC304,JC402", str(path)],
                              env={"JAMA_PASSWORD": PASSWORD})
        _wait_for(lambda: len(server.requests()) >= 1)
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        code, out, err, _ = finish(process, timeout=10)
        elapsed = time.monotonic() - sent
    assert code == 130 and elapsed < 1.0, (code, elapsed, err)
    assert err.strip().splitlines() == ["jamacheck: interrupted"] and out == ""


def test_ctrl_c_unlocks_an_item_that_probe_write_locked(write):
    project = Project(20, "REQ", items=[{"id": 1, "locked": False}])
    # the first lock goes through; the unlock that follows hangs, so Ctrl-C lands in between
    faults = {("PUT", "/rest/v1/items/1/lock"): [Fault(kind="delay"), Fault(kind="delay", seconds=30)]}
    with fake(scenario(projects=[project], faults=faults), tls=False) as server:
        path = write("c.yaml", "connectors:\n" + connector("A", server.url, "basic", projects=["REQ"]))
        process = run_process(["check", "--live", "--probe-write", "--allow-insecure-http", str(path)],
                              env={"JAMA_PASSWORD": PASSWORD})
        _wait_for(lambda: len(server.lock_requests) >= 1)
        assert project.items[0]["locked"] is True
        _wait_for(lambda: len([e for e in server.requests() if e.method == "PUT"]) >= 2)
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        code, _, err, _ = finish(process, timeout=10)
        elapsed = time.monotonic() - sent
        _wait_for(lambda: project.items[0]["locked"] is False, 2.0)
    assert code == 130 and elapsed < 1.0, (code, elapsed, err)
    assert (1, False, 200) in server.lock_requests


def test_ctrl_c_while_the_lock_is_in_flight_still_unlocks_the_item(write):
    """The lock request is on its way when Ctrl-C comes: Jama locks the item anyway, so the
    run waits (briefly) for that answer and unlocks, instead of leaving the item held."""
    project = Project(20, "REQ", items=[{"id": 1, "locked": False}])
    faults = {("PUT", "/rest/v1/items/1/lock"): [Fault(kind="delay", seconds=0.15)]}
    with fake(scenario(projects=[project], faults=faults), tls=False) as server:
        path = write("c.yaml", "connectors:\n" + connector("A", server.url, "basic", projects=["REQ"]))
        process = run_process(["check", "--live", "--probe-write", "--allow-insecure-http", str(path)],
                              env={"JAMA_PASSWORD": PASSWORD})
        _wait_for(lambda: any(e.method == "PUT" for e in server.requests()))  # arrived, not yet answered
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        code, _, err, _ = finish(process, timeout=10)
        elapsed = time.monotonic() - sent
        _wait_for(lambda: (1, True, 200) in server.lock_requests, 2.0)  # Jama did lock it
        time.sleep(0.3)
        assert project.items[0]["locked"] is False, server.lock_requests
    assert code == 130 and elapsed < 1.0, (code, elapsed, err)
    assert (1, False, 200) in server.lock_requests


def test_ctrl_c_outside_the_live_checks_is_130_and_one_line_too(write):
    """click alone would print "Aborted!" and exit 1: the entry point says it as the live run does."""
    path = write("c.yaml", "connectors: []\n")
    # the run marks (with a file) that it has started, then sleeps: Ctrl-C lands in the run
    code = ("import time, jamacheck.engine as engine; run = engine.run\n"
            "engine.run = lambda *a, **k: (open('started', 'w').close(), time.sleep(30), run(*a, **k))[2]\n"
            "from jamacheck.cli import run_cli; import sys; sys.argv = ['jamacheck', 'check', 'c.yaml']; run_cli()")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=path.parent, stderr=subprocess.PIPE,
                               stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _wait_for(lambda: (path.parent / "started").exists())
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130 and time.monotonic() - sent < 1.0
    assert err.decode().strip().splitlines() == ["jamacheck: interrupted"] and out == b""
