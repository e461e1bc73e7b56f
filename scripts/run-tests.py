#!/usr/bin/env python3
"""Runs the test executables cargo built, a few side by side, each under its own time limit,
and ends with a table of times (slowest first) and one closing line.

    scripts/run-tests.py [--jobs N] [--limit SECONDS] [--total SECONDS] [--only NAME]...
                         [-- CARGO_TEST_ARGS...]

Why not `cargo test` under one `timeout`: that limit also covered compiling (a cold machine ran
out of it), a hung test only showed as the whole run being killed, and nothing said which test
binary grew slow. Here cargo builds every test target first (`cargo test --no-run`, outside any
limit), then:

- the library's and binaries' unit tests run as one process each;
- every test of an integration test file (`tests/*.rs`) runs as its own process
  (`BINARY --exact NAME`), so a file's tests — each with its own regtest chain — spread over the
  jobs, and a hung test is named and killed alone after `--limit` seconds;
- the longest units start first (their last times are kept under the build folder; a cold run
  uses the order of `SLOW_FIRST` below).

Each unit's output is kept and printed when it ends (all of it when it failed). The exit code is
non-zero when any test failed or timed out, or the whole run went past `--total` seconds.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Known slow test files, slowest first, for a cold run without recorded times.
SLOW_FIRST = [
    "lab_scenario_files", "regtest_receive", "regtest_channel", "regtest_payment",
    "drill_kill9", "drill_kill9_channels", "drill_backup", "lab_channel_parts", "drill_server",
    "lab_htlc_timeout_onchain", "regtest_onchain", "ui_channels", "lab_node_offline_and_back",
    "pay_names", "drill_broadcast", "lab_breach_penalty", "ui_screens",
]


def build(cargo_args):
    """Builds every test target; returns [(target name, kind, executable)] of those to run."""
    cmd = ["cargo", "test", "--all-targets", "--no-run", "--message-format=json-render-diagnostics"]
    cmd += cargo_args
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    found = []
    for line in proc.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-artifact" or not msg.get("executable"):
            continue
        if not msg.get("profile", {}).get("test"):
            continue
        target = msg["target"]
        found.append((target["name"], target["kind"][0], msg["executable"]))
    if proc.wait() != 0:
        sys.exit("cargo could not build the tests")
    return found


def list_tests(exe, ignored=False):
    cmd = [exe, "--list", "--format", "terse"] + (["--ignored"] if ignored else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [l[: -len(": test")] for l in out.splitlines() if l.endswith(": test")]


def units_of(targets):
    """One unit per unit-test binary, one per test of an integration test file."""
    units = []
    for name, kind, exe in targets:
        if kind != "test":
            units.append({"binary": f"{name} ({kind})", "test": None, "cmd": [exe]})
            continue
        ignored = set(list_tests(exe, ignored=True))
        for test in list_tests(exe):
            if test in ignored:
                continue
            units.append({"binary": name, "test": test,
                          "cmd": [exe, "--exact", test, "--test-threads", "1"]})
    return units


def run_unit(unit, limit, logdir):
    log = tempfile.NamedTemporaryFile(mode="w+", dir=logdir, delete=False, suffix=".log")
    started = time.monotonic()
    # Its own process group, so a timed-out test's children (bitcoind, electrs, a drill's
    # wallet) go with it.
    proc = subprocess.Popen(unit["cmd"], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        code = proc.wait(timeout=limit)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        code, timed_out = -9, True
    # Anything the test left in its group (a node it did not stop) goes too.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    unit["secs"] = time.monotonic() - started
    log.seek(0)
    unit["output"] = log.read()
    log.close()
    os.unlink(log.name)
    unit["timed_out"] = timed_out
    unit["ok"] = code == 0
    passed = failed = 0
    for line in unit["output"].splitlines():
        if line.startswith("test result:"):
            # "test result: ok. 3 passed; 0 failed; 0 ignored; ..."
            parts = line.split(";")
            passed += int(parts[0].split()[-2])
            failed += int(parts[1].split()[0])
    if not unit["ok"] and failed == 0:
        failed = 1  # killed, or died before its summary
    unit["passed"], unit["failed"] = passed, failed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jobs", type=int, default=int(os.environ.get("SHANDIAN_TEST_JOBS", "3")))
    p.add_argument("--limit", type=int, default=600, help="seconds one unit may take")
    p.add_argument("--total", type=int, default=1500, help="seconds the whole run may take")
    p.add_argument("--only", action="append", default=[],
                   help="run only units whose 'binary test' name contains this (repeatable)")
    p.add_argument("cargo_args", nargs="*")
    args = p.parse_args()

    targets = build(args.cargo_args)
    units = units_of(targets)
    if args.only:
        units = [u for u in units
                 if any(o in f"{u['binary']} {u['test'] or ''}" for o in args.only)]
    target_dir = Path(json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"],
        capture_output=True, text=True, check=True).stdout)["target_directory"])
    times_file = target_dir / "test-times.json"
    try:
        last = json.loads(times_file.read_text())
    except (OSError, ValueError):
        last = {}

    def expected(u):
        key = f"{u['binary']}::{u['test']}"
        if key in last:
            return last[key]
        base = u["binary"]
        return 1000 - SLOW_FIRST.index(base) if base in SLOW_FIRST else 10

    units.sort(key=expected, reverse=True)
    print(f"== running {len(units)} test units from {len(targets)} executables, "
          f"{args.jobs} at a time, {args.limit} s each at most", flush=True)

    logdir = tempfile.mkdtemp(prefix="shandian-tests-")
    queue = list(units)
    lock = threading.Lock()
    started = time.monotonic()
    over_time = threading.Event()

    def worker():
        while True:
            with lock:
                if not queue or over_time.is_set():
                    return
                unit = queue.pop(0)
            left = args.total - (time.monotonic() - started)
            if left <= 0:
                over_time.set()
                return
            run_unit(unit, min(args.limit, left), logdir)
            with lock:
                label = unit["binary"] + (f" {unit['test']}" if unit["test"] else "")
                verdict = "ok" if unit["ok"] else ("TIMED OUT" if unit["timed_out"] else "FAILED")
                print(f"-- {label}: {verdict} in {unit['secs']:.0f} s", flush=True)
                if not unit["ok"]:
                    print(unit["output"], flush=True)
                    print(f"-- end of {label}", flush=True)

    threads = [threading.Thread(target=worker) for _ in range(max(1, args.jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started

    done = [u for u in units if "secs" in u]
    not_run = [u for u in units if "secs" not in u]
    with_times = dict(last)
    for u in done:
        with_times[f"{u['binary']}::{u['test']}"] = round(u["secs"], 1)
    try:
        times_file.write_text(json.dumps(with_times, indent=1, sort_keys=True))
    except OSError:
        pass

    per_binary = {}
    for u in done:
        b = per_binary.setdefault(u["binary"], {"secs": 0.0, "tests": 0, "failed": 0, "slowest": 0.0})
        b["secs"] += u["secs"]
        b["tests"] += u["passed"] + u["failed"]
        b["failed"] += u["failed"]
        b["slowest"] = max(b["slowest"], u["secs"])
    print("\n== test times per executable (seconds of its own processes, slowest first)")
    print(f"{'executable':<34} {'tests':>5} {'failed':>6} {'total s':>8} {'longest s':>9}")
    for name, b in sorted(per_binary.items(), key=lambda kv: -kv[1]["secs"]):
        print(f"{name:<34} {b['tests']:>5} {b['failed']:>6} {b['secs']:>8.0f} {b['slowest']:>9.0f}")
    busy = sum(u["secs"] for u in done)
    print(f"wall {wall:.0f} s for {busy:.0f} s of tests ({args.jobs} at a time)")

    passed = sum(u["passed"] for u in done)
    failed = sum(u["failed"] for u in done)
    for u in done:
        if not u["ok"]:
            print(f"failed: {u['binary']} {u['test'] or ''}".rstrip())
    if not_run:
        print(f"not run ({len(not_run)}): the whole run reached its limit of {args.total} s")
        failed += len(not_run)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
