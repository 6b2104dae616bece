#!/usr/bin/env python3
"""The tail of a disk's fdatasync time, which every durable commit waits for.

PostgreSQL's own pg_test_fsync reports averages; the edit latency budget is a p99, so this
writes 8 KiB and calls fdatasync in a loop for SECONDS and prints the percentiles and how
often a flush stalled past 5 ms. Run it on the filesystem of PostgreSQL's data directory:

    python3 bench/fsync-tail.py /var/lib/postgresql/fsync-tail.tmp 10
"""

import os
import sys
import time

STALL_MS = 5.0


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} SCRATCH_FILE SECONDS")
    path, seconds = sys.argv[1], float(sys.argv[2])
    block = os.urandom(8192)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        times = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            os.pwrite(fd, block, (len(times) % 256) * len(block))
            start = time.perf_counter()
            os.fdatasync(fd)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(fd)
        os.unlink(path)
    times.sort()

    def at(q: float) -> float:
        return times[int(q * (len(times) - 1))]

    stalls = sum(1 for t in times if t > STALL_MS)
    print(
        f"{len(times)} flushes in {seconds:g} s: p50 {at(0.5):.3f} ms, p99 {at(0.99):.3f}, "
        f"p99.9 {at(0.999):.3f}, max {times[-1]:.1f}; {stalls} over {STALL_MS:g} ms "
        f"({stalls / seconds:.1f}/s)"
    )


if __name__ == "__main__":
    main()
