#!/usr/bin/env python3
"""What lru-cache's random cases add to a passing check: the same kata binary on two copies of
the catalog (KATA_CATALOG), one without lru-cache's random.toml and random_cases.txt.

Usage: python3 benches/random_cases_cost.py [--runs N]   (after `cargo build --release`)

For each language: the reference is checked (`--stage 0`: the base exercise) N times per
catalog, interleaved; prints the median wall time and the median CPU time of kata and its
children. Nothing is asserted.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLUG = "lru-cache"
FILES = {"python": "lru_cache.py", "rust": os.path.join("src", "lib.rs")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    kata = os.path.join(ROOT, "target", "release", "kata")
    tmp = tempfile.mkdtemp(prefix="kata-random-cost-")
    catalogs = {}
    for name in ("with", "without"):
        catalog = os.path.join(tmp, "catalog-" + name)
        for part in ("exercises", "solutions"):
            shutil.copytree(os.path.join(ROOT, part), os.path.join(catalog, part))
        if name == "without":
            for f in ("random.toml", "random_cases.txt"):
                os.remove(os.path.join(catalog, "exercises", SLUG, f))
        catalogs[name] = catalog
    setups = {}
    for lang, learner in FILES.items():
        for name, catalog in catalogs.items():
            home = os.path.join(tmp, lang + "-" + name)
            env = dict(os.environ, KATA_CATALOG=catalog, KATA_CACHE_DIR=os.path.join(home, "cache"), NO_COLOR="1")
            env.pop("KATA_WORKSPACE", None)
            ws = os.path.join(home, "ws")
            subprocess.run([kata, "--workspace", ws, "start", SLUG, "--lang", lang], env=env, check=True, capture_output=True)
            ext = "py" if lang == "python" else "rs"
            shutil.copy(os.path.join(ROOT, "solutions", SLUG, lang, "reference." + ext), os.path.join(ws, lang, SLUG, learner))
            check = [kata, "--workspace", ws, "check", SLUG, "--lang", lang, "--stage", "0"]
            subprocess.run(check, env=env, check=True, capture_output=True)  # builds, resolves python
            setups[(lang, name)] = (check, env)
    times = {key: [] for key in setups}
    for _ in range(args.runs):
        for key, (check, env) in setups.items():
            before, start = os.times(), time.perf_counter()
            subprocess.run(check, env=env, check=True, capture_output=True)
            wall, after = time.perf_counter() - start, os.times()
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            times[key].append((wall, cpu))
    print("medians of %d runs each, interleaved, seconds\n" % args.runs)
    print("| track | random cases | wall | CPU |")
    print("| --- | --- | --- | --- |")
    for (lang, name), samples in times.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print("| %s | %s | %.3f | %.3f |" % (lang, name, wall, cpu))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
