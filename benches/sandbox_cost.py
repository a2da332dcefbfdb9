#!/usr/bin/env python3
"""What the sandbox costs a check: `kata check` on lru-cache (reference solution, every case
and the probe), confined (the default) and with KATA_SANDBOX=off, on both tracks.

Usage: python3 benches/sandbox_cost.py [--runs N] [--no-build]

Runs alternate (on, off, on, off, ...) so load from other processes falls on both alike.
Prints, in milliseconds, the median wall-clock time of each, the median of the paired
differences (on - off), and the same for the CPU time of kata and its children (user +
system), which other load on the machine disturbs less. The Rust file is unchanged between
runs, so no build happens: the figures are the runs themselves (cases and probe run side by
side, each through the trampoline).

Then the trampoline alone: `/usr/bin/true` and `python3 -S -c pass` started directly and
through `kata __sandbox-exec` (the interpreter's paths as kata recorded them), 200 runs each.
Nothing here is asserted: timings belong in this report, not in tests.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "lru-cache"



def base_stage(kata):
    """`--stage 0` when this kata has follow-up stages: after the first pass a plain check
    would grade the first follow-up (which the base reference fails); the base alone is the
    same work every time."""
    usage = subprocess.run([kata, "check", "--help"], capture_output=True, text=True).stdout
    return ["--stage", "0"] if "--stage" in usage else []

def cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd, env):
    """(wall-clock, CPU) seconds of one run."""
    start, cpu_start = time.perf_counter(), cpu()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed, cpu_used = time.perf_counter() - start, cpu() - cpu_start
    if proc.returncode != 0:
        sys.exit("command failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr.decode()))
    return elapsed, cpu_used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    kata = os.path.join(target, "release", "kata")
    tmp = tempfile.mkdtemp(prefix="kata-bench-")
    env = dict(os.environ, KATA_CACHE_DIR=os.path.join(tmp, "cache"), NO_COLOR="1")
    env.pop("KATA_WORKSPACE", None)
    env.pop("KATA_SANDBOX", None)
    off = dict(env, KATA_SANDBOX="off")
    ws = os.path.join(tmp, "ws")
    print("medians of %d runs each, interleaved, milliseconds\n" % args.runs)
    print("| track | | sandbox on | KATA_SANDBOX=off | on - off (median of pairs) |")
    print("| --- | --- | --- | --- | --- |")
    for lang, learner in (("python", "lru_cache.py"), ("rust", os.path.join("src", "lib.rs"))):
        subprocess.run([kata, "--workspace", ws, "start", SLUG, "--lang", lang], env=env, check=True, capture_output=True)
        shutil.copy(
            os.path.join(ROOT, "solutions", SLUG, lang, "reference." + ("py" if lang == "python" else "rs")),
            os.path.join(ws, lang, SLUG, learner),
        )
        check = [kata, "--workspace", ws, "check", SLUG, "--lang", lang] + base_stage(kata)
        timed(check, env)  # resolves the interpreter, builds the Rust driver
        timed(check, off)
        on_times, off_times = [], []
        for _ in range(args.runs):
            on_times.append(timed(check, env))
            off_times.append(timed(check, off))
        for i, what in ((0, "wall clock"), (1, "CPU")):
            on = [t[i] for t in on_times]
            off_ = [t[i] for t in off_times]
            print("| %s | %s | %.1f | %.1f | %+.1f |" % (
                lang,
                what,
                statistics.median(on) * 1000,
                statistics.median(off_) * 1000,
                statistics.median([a - b for a, b in zip(on, off_)]) * 1000,
            ))
    trampoline_alone(kata, os.path.join(tmp, "cache", "python-interpreters.json"))
    shutil.rmtree(tmp, ignore_errors=True)


def trampoline_alone(kata, interpreters):
    """Median start-to-exit time of two programs, directly and through the trampoline."""
    python = next(iter(json.load(open(interpreters)).values()))
    limits = ["--memory", str(1280 << 20), "--cpu", "21", "--file-size", str(64 << 20), "--tasks", "128"]

    def confined(paths, cmd):
        args = [kata, "__sandbox-exec"]
        for path in paths:
            args += ["--exec", path]
        return args + limits + ["--parent", str(os.getpid()), "--"] + cmd

    def start(cmd):
        begin = time.perf_counter()
        subprocess.run(cmd, check=True)
        return time.perf_counter() - begin

    print("\n| started | directly | through the trampoline | difference of medians |")
    print("| --- | --- | --- | --- |")
    for name, paths, cmd in (
        ("true", ["/usr/bin/true"], ["/usr/bin/true"]),
        ("python3 -S -c pass", python["sandbox"], [python["executable"], "-S", "-c", "pass"]),
    ):
        direct, through = [], []
        for _ in range(200):
            direct.append(start(cmd))
            through.append(start(confined(paths, cmd)))
        a, b = statistics.median(direct), statistics.median(through)
        print("| `%s` | %.2f ms | %.2f ms | %+.2f ms |" % (name, a * 1000, b * 1000, (b - a) * 1000))


if __name__ == "__main__":
    main()
