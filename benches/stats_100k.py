#!/usr/bin/env python3
"""`kata stats` on a workspace with 100,000 progress events (median wall time).

Usage: python3 benches/stats_100k.py [--runs N] [--events N] [--no-build]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    kata = os.path.join(ROOT, "target", "release", "kata")
    ws = tempfile.mkdtemp(prefix="kata-stats-")
    os.makedirs(os.path.join(ws, ".kata"))
    rnd = random.Random(7)
    slugs = ["lru-cache", "rate-limiter", "retry", "task-scheduler"]
    start = 1_700_000_000
    with open(os.path.join(ws, ".kata", "progress.jsonl"), "w") as f:
        for i in range(args.events):
            ts = start + i * 157  # about 180 days of history
            slug, lang = rnd.choice(slugs), rnd.choice(["python", "rust"])
            kind = rnd.choices(["check", "hint", "start", "reset"], [90, 5, 4, 1])[0]
            event = {"v": 1, "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)),
                     "event": kind, "slug": slug, "lang": lang}
            if kind == "check":
                total = 21
                passed = rnd.choice([21, 20, 3])
                event.update(passed=passed, total=total, duration_ms=rnd.randrange(50, 900))
                if passed < total:
                    event["first_failing"] = "recency_on_get"
            elif kind == "hint":
                event["hint"] = 1
            f.write(json.dumps(event) + "\n")
    size = os.path.getsize(os.path.join(ws, ".kata", "progress.jsonl"))
    for mode in (["stats"], ["stats", "--json"], ["next"], ["list"]):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([kata, "--workspace", ws] + mode, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t)
        print("kata %-13s %d events (%.1f MB): median %.1f ms (min %.1f, max %.1f) over %d runs" % (
            " ".join(mode), args.events, size / 1e6, 1000 * statistics.median(times),
            1000 * min(times), 1000 * max(times), args.runs))


if __name__ == "__main__":
    main()
