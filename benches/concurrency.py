#!/usr/bin/env python3
"""Concurrency grading, measured: a correct solution's check time, and whether every race
mutant is caught under many seeds, for the concurrency exercises in both languages.

Usage: python3 benches/concurrency.py [--runs N] [--seeds N] [--kata PATH] [SLUG...]

For each exercise and language: the median wall time of N warm `kata check` runs of the
reference (the first, cold run builds the driver and, for Rust, the kst model once), then each
mutant whose named case explores schedules (a race a single-threaded test cannot see),
checked with seeds 1..S: how many seeds catch it (the case it names fails). The same
seed always gives the same verdict (that is checked too: each mutant's first seed is run
twice and the reports compared). Prints Markdown tables. Nothing is asserted.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXERCISES = ["singleton", "bounded-queue", "connection-pool", "bounded-gather"]
EXT = {"python": "py", "rust": "rs"}


def learner_file(workspace, slug, lang):
    folder = os.path.join(workspace, lang, slug)
    if lang == "python":
        return os.path.join(folder, slug.replace("-", "_") + ".py")
    return os.path.join(folder, "src", "lib.rs")


def apply_patch(reference, patch_path):
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        shutil.copy(reference, base)
        out = os.path.join(tmp, "out")
        subprocess.run(["patch", "-s", "-o", out, base, patch_path], check=True,
                       stdout=subprocess.DEVNULL)
        with open(out) as f:
            return f.read()


def header(patch_path):
    fields = {}
    with open(patch_path) as f:
        for line in f:
            if line.startswith("---"):
                break
            if ":" in line:
                key, value = line.split(":", 1)
                fields[key.strip()] = value.strip()
    return fields


def explored_ops(slug, lang):
    """Operations whose driver code explores schedules (calls an `explore` function)."""
    path = os.path.join(ROOT, "exercises", slug, lang, "driver." + EXT[lang])
    with open(path) as f:
        source = f.read()
    if lang == "python":
        pattern = r"def op_(\w+)\(.*?(?=\n    def |\Z)"
    else:
        pattern = r'"(\w+)" => .*?(?=\n\s+"\w+" =>|\Z)'
    return {m.group(1) for m in re.finditer(pattern, source, re.S) if "explore" in m.group(0)}


def concurrent_cases(slug, lang):
    """Cases with an operation that explores schedules."""
    ops = explored_ops(slug, lang)
    names, current = set(), None
    with open(os.path.join(ROOT, "exercises", slug, "cases.txt")) as f:
        for line in f:
            words = line.split()
            if words[:1] == ["case"]:
                current = words[1]
            elif current and "=>" in line and words and words[0] in ops:
                names.add(current)
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--kata", default=os.path.join(ROOT, "target", "release", "kata"))
    parser.add_argument("slugs", nargs="*", default=EXERCISES)
    args = parser.parse_args()
    if not os.path.exists(args.kata):
        sys.exit("build kata first (cargo build --release) or pass --kata PATH")
    work = tempfile.mkdtemp(prefix="kata-bench-conc-")
    env = dict(os.environ, KATA_CATALOG=ROOT, KATA_CACHE_DIR=os.path.join(work, "cache"),
               NO_COLOR="1")
    env.pop("KATA_WORKSPACE", None)
    workspace = os.path.join(work, "ws")
    kata = lambda *a, **kw: subprocess.run([args.kata, "--workspace", workspace, *a], env=env,
                                           capture_output=True, text=True, **kw)
    timing_rows, mutant_rows = [], []
    for slug in args.slugs:
        for lang in ("python", "rust"):
            solutions = os.path.join(ROOT, "solutions", slug, lang)
            if not os.path.isdir(solutions):
                continue
            kata("start", slug, "--lang", lang)
            target = learner_file(workspace, slug, lang)
            reference = os.path.join(solutions, "reference." + EXT[lang])
            shutil.copy(reference, target)
            kata("check", slug, "--lang", lang)  # cold: builds once
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = kata("check", slug, "--lang", lang)
                times.append(time.perf_counter() - start)
                if result.returncode != 0:
                    sys.exit("the reference of %s (%s) fails:\n%s" % (slug, lang, result.stdout))
            timing_rows.append((slug, lang, statistics.median(times), min(times), max(times)))
            scenarios = concurrent_cases(slug, lang)
            mutants_dir = os.path.join(solutions, "mutants")
            for name in sorted(os.listdir(mutants_dir)):
                patch = os.path.join(mutants_dir, name)
                fields = header(patch)
                caught_by = fields.get("caught-by", "")
                if caught_by not in scenarios:
                    continue
                with open(target, "w") as f:
                    f.write(apply_patch(reference, patch))
                caught = 0
                reports = []
                for seed in range(1, args.seeds + 1):
                    result = kata("check", slug, "--lang", lang, "--json", "--seed", str(seed))
                    report = json.loads(result.stdout)
                    status = next(t["status"] for t in report["tests"] if t["name"] == caught_by)
                    caught += status != "pass"
                    if seed == 1:
                        again = kata("check", slug, "--lang", lang, "--json", "--seed", "1")
                        strip = lambda r: {k: v for k, v in json.loads(r).items() if k != "kata"}
                        reports.append(strip(result.stdout) == strip(again.stdout))
                mutant_rows.append((slug, lang, name[:-6], caught_by, caught, args.seeds,
                                    all(reports)))
            shutil.copy(reference, target)
    print("## Check time of the reference (warm, %d runs), seconds\n" % args.runs)
    print("| exercise | language | median | min | max |\n| --- | --- | --- | --- | --- |")
    for slug, lang, med, lo, hi in timing_rows:
        print("| %s | %s | %.2f | %.2f | %.2f |" % (slug, lang, med, lo, hi))
    print("\n## Race mutants: seeds that catch them (1..%d), same seed twice identical\n" % args.seeds)
    print("| exercise | language | mutant | caught by | caught | same report |")
    print("| --- | --- | --- | --- | --- | --- |")
    for slug, lang, name, case, caught, seeds, same in mutant_rows:
        print("| %s | %s | %s | %s | %d of %d | %s |" % (slug, lang, name, case, caught, seeds,
                                                        "yes" if same else "NO"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
