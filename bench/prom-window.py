#!/usr/bin/env python3
"""The latency histograms of one measured window, from two Prometheus scrapes of one instance.

    bench/prom-window.py START.prom END.prom

Subtracts START's bucket counts from END's (Prometheus histograms are cumulative since the
process started) and prints, per histogram series of the live documents' path (an edit's
arrival → its delivery to the outboxes, the relay's legs through Redis) the
samples the window holds and, per bucket bound, the share above it. The
buckets are the server's (`http/metrics.rs`), so a figure reads "x % took longer than b".
run-collab-bench.sh's cluster scenario runs it after each run.
"""

import re
import sys

SERIES = ("codeview_doc_edit_relay_seconds", "codeview_doc_relay_seconds")
BUCKET = re.compile(r"^(\w+)_bucket\{(.*)\} (\S+)$")


def read(path):
    """{(metric, labels without le): {le: count}}"""
    histograms = {}
    with open(path, encoding="utf-8") as scrape:
        for line in scrape:
            match = BUCKET.match(line.strip())
            if not match or match.group(1) not in SERIES:
                continue
            labels = match.group(2).split(",")
            le = next(label for label in labels if label.startswith("le="))[4:-1]
            rest = ",".join(label for label in labels if not label.startswith("le="))
            bound = float("inf") if le == "+Inf" else float(le)
            histograms.setdefault((match.group(1), rest), {})[bound] = float(match.group(3))
    return histograms


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    start, end = read(sys.argv[1]), read(sys.argv[2])
    for key in sorted(end):
        buckets = {bound: count - start.get(key, {}).get(bound, 0.0) for bound, count in end[key].items()}
        total = buckets.get(float("inf"), 0.0)
        if total <= 0:
            continue
        above = ", ".join(
            f">{bound * 1000:g} ms {100 * (total - count) / total:.2f} %"
            for bound, count in sorted(buckets.items())
            if bound != float("inf") and 0.0005 <= bound <= 0.025
        )
        name = key[0] + (f"{{{key[1]}}}" if key[1] else "")
        print(f"     {name}: {total:.0f} samples; {above}")


if __name__ == "__main__":
    main()
