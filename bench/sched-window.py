#!/usr/bin/env python3
"""How long the benchmark's threads ran and waited for a CPU in one measured window.

    bench/sched-window.py snap OUT.json   # every thread of the benchmark's processes, now
    bench/sched-window.py diff START.json END.json

`snap` reads the Linux scheduler's per-thread counters (`/proc/PID/task/TID/schedstat`: time
on a CPU, time runnable but waiting for one, times run) of the processes a cluster run
involves: the CodeView instances, the load generator, `redis-server`, and the PostgreSQL
backends serving the benchmark's database. `diff` prints, per process and thread name, the
window's run time, its wait time and the mean wait before each run. When threads wait as long
as they run, the cores are the bottleneck, and every wake-up on an edit's path adds that wait.
run-collab-bench.sh's cluster scenario runs it beside the metrics scrapes.
"""

import collections
import json
import os
import sys

DATABASE = "codeview_bench"


def process_label(pid):
    """The benchmark's name for process `pid`, or None when it is not one of its processes."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as raw:
            argv = raw.read().decode(errors="replace").split("\0")
    except OSError:
        return None
    program = os.path.basename(argv[0]) if argv else ""
    if program == "codeview" and "--addr" in argv:
        return "codeview " + argv[argv.index("--addr") + 1]
    if program == "codeview-loadgen":
        return program
    # Redis titles itself "redis-server ADDRESS:PORT". An idle one (the machine's own) is
    # snapshotted too, but spends less time on a CPU than `diff` prints (10 ms).
    if program.startswith("redis-server "):
        return argv[0]
    # A backend's title reads "postgres: 15/main: USER DATABASE ADDRESS STATE".
    if argv[0].startswith("postgres:") and f" {DATABASE} " in argv[0]:
        return "postgres backends"
    return None


def snap(out):
    threads = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        label = process_label(pid)
        if label is None:
            continue
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat", encoding="ascii") as stat:
                    ran_ns, waited_ns, runs = map(int, stat.read().split())
                with open(f"/proc/{pid}/task/{tid}/comm", encoding="utf-8") as comm:
                    name = comm.read().strip()
            except OSError:
                continue
            threads[f"{pid}/{tid}"] = {"label": label, "thread": name, "ran": ran_ns, "waited": waited_ns, "runs": runs}
    with open(out, "w", encoding="utf-8") as file:
        json.dump(threads, file)


def diff(start_path, end_path):
    with open(start_path, encoding="utf-8") as file:
        start = json.load(file)
    with open(end_path, encoding="utf-8") as file:
        end = json.load(file)
    totals = collections.defaultdict(lambda: [0, 0, 0])
    for key, after in end.items():
        before = start.get(key)
        if before is None:
            continue
        total = totals[(after["label"], after["thread"])]
        total[0] += after["ran"] - before["ran"]
        total[1] += after["waited"] - before["waited"]
        total[2] += after["runs"] - before["runs"]
    for (label, thread), (ran, waited, runs) in sorted(totals.items(), key=lambda item: -item[1][0]):
        if ran < 10_000_000:  # under 10 ms on a CPU: not worth a line
            continue
        print(
            f"     {label:30} {thread:16} ran {ran / 1e9:6.2f} s, waited {waited / 1e9:6.2f} s,"
            f" {waited / max(runs, 1) / 1e3:6.1f} µs a wake-up"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "snap":
        snap(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        diff(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
