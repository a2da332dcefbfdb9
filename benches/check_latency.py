#!/usr/bin/env python3
"""Check latency of `kata check` on lru-cache, next to the plain toolchains doing the same work.

Usage: python3 benches/check_latency.py [--runs N] [--no-build]

Python track: `kata check` (starter and reference) vs `python3` (as found on PATH, shim
included) running the same hidden driver on the same cases and probes alone.
Rust track: `kata check` unchanged / after a one-line edit / cold, vs (a) plain `rustc`
compiling the same two files (learner + driver) and running them, and (b) `cargo test` on an
equivalent crate whose hidden cases are ordinary #[test] functions.

Prints medians (seconds) as a Markdown table. Nothing here is asserted: timings belong in
this report, not in tests.
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
SLUG = "lru-cache"



def base_stage(kata):
    """`--stage 0` when this kata has follow-up stages: after the first pass a plain check
    would grade the first follow-up (which the base reference fails); the base alone is the
    same work every time."""
    usage = subprocess.run([kata, "check", "--help"], capture_output=True, text=True).stdout
    return ["--stage", "0"] if "--stage" in usage else []

def timed(cmd, cwd=None, env=None, ok=(0, 1), results=None):
    """Seconds `cmd` took; `results`: a file the driver writes its results to, as its stdin
    (kata's results channel)."""
    stdin = open(results, "w") if results else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit("command failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr.decode()))
    return elapsed


def median_of(runs, fn):
    return statistics.median(fn(i) for i in range(runs))


def literal(token):
    for kind in (int, float):
        try:
            return kind(token)
        except ValueError:
            pass
    return token


def parse_cases(lang):
    """The driver input kata would send for lru-cache (its cases use only plain tokens): the
    cases of cases.txt, then the random ones of random_cases.txt."""
    cases, probes, current, probe = [], [], None, None
    lines_in = []
    for name in ("cases.txt", "random_cases.txt"):
        path = os.path.join(ROOT, "exercises", SLUG, name)
        if os.path.exists(path):
            with open(path) as f:
                lines_in.extend(f.readlines())
    for raw in lines_in:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[0] == "case" and "=>" not in line:
            langs = [w for w in words[2:] if w in ("python", "rust")]
            current = [] if not langs or lang in langs else None
            if current is not None:
                cases.append(current)
            probe = None
        elif words[0] == "probe" and "=>" not in line:
            probe = {"workload": None, "sizes": None}
            probes.append(probe)
            current = None
        elif "=>" in line and current is not None:
            op = line.split("=>")[0].split()
            current.append([op[0]] + [literal(t) for t in op[1:]])
        elif probe is not None and ":" in line:
            key, value = [p.strip() for p in line.split(":", 1)]
            if key == "workload":
                probe["workload"] = value
            elif key == "sizes" and probe["sizes"] is None:
                probe["sizes"] = [int(v) for v in value.split()]
            elif key == "sizes." + lang:
                probe["sizes"] = [int(v) for v in value.split()]
    lines = [json.dumps({"case": i, "ops": ops}) for i, ops in enumerate(cases)]
    probe_lines = [
        json.dumps({"probe": i, "workload": p["workload"], "size": s, "budget_ms": 2000})
        for i, p in enumerate(probes)
        for s in p["sizes"]
    ]
    return "\n".join(lines) + "\n", "\n".join(probe_lines) + "\n", cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    kata = os.path.join(ROOT, "target", "release", "kata")
    tmp = tempfile.mkdtemp(prefix="kata-bench-")
    env = dict(os.environ, KATA_CACHE_DIR=os.path.join(tmp, "cache"), NO_COLOR="1")
    env.pop("KATA_WORKSPACE", None)
    ws = os.path.join(tmp, "ws")
    rows = []

    # ---- Python ---------------------------------------------------------------------------
    subprocess.run([kata, "--workspace", ws, "start", SLUG], env=env, check=True, capture_output=True)
    pdir = os.path.join(ws, "python", SLUG)
    learner = os.path.join(pdir, "lru_cache.py")
    starter = open(learner).read()
    reference = open(os.path.join(ROOT, "solutions", SLUG, "python", "reference.py")).read()
    check = [kata, "--workspace", ws, "check", SLUG] + base_stage(kata)
    timed(check, env=env)  # resolves and remembers the interpreter behind any shim
    stage = os.path.join(tmp, "cache", "python", SLUG)
    cases_in, probes_in, _ = parse_cases("python")
    with open(os.path.join(tmp, "py-all.jsonl"), "w") as f:
        f.write(cases_in + probes_in)
    with open(os.path.join(tmp, "py-cases.jsonl"), "w") as f:
        f.write(cases_in)
    bare = lambda input_file: [  # noqa: E731
        "python3", "-B", "-S", os.path.join(stage, "kata_harness.py"), os.path.join(tmp, input_file),
        "nonce", learner, "lru_cache", "1024",
    ]
    py_results = os.path.join(tmp, "py-results")
    # A version manager's shim, when there is one: what typing `python3` costs its users.
    shim = os.path.join(os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv")), "shims", "python3")
    for name, source, bare_input in (("starter", starter, "py-cases.jsonl"), ("reference", reference, "py-all.jsonl")):
        with open(learner, "w") as f:
            f.write(source)
        k = median_of(runs, lambda i: timed(check, env=env))
        b = median_of(runs, lambda i: timed(bare(bare_input), cwd=pdir, results=py_results))
        with open(py_results) as f:
            assert '"t":"done"' in f.read().replace(" ", ""), "the bare driver did not finish"
        rows.append(("python", "check, %s" % name, k, "python3 (interpreter) driver alone", b))
        if os.path.exists(shim):
            cmd = [shim] + bare(bare_input)[1:]
            b = median_of(runs, lambda i: timed(cmd, cwd=pdir, results=py_results))
            rows.append(("python", "", None, "python3 (pyenv shim) driver alone", b))

    # ---- Rust -----------------------------------------------------------------------------
    subprocess.run([kata, "--workspace", ws, "start", SLUG, "--lang", "rust"], env=env, check=True, capture_output=True)
    rdir = os.path.join(ws, "rust", SLUG)
    lib = os.path.join(rdir, "src", "lib.rs")
    rust_reference = open(os.path.join(ROOT, "solutions", SLUG, "rust", "reference.rs")).read()
    marker = 'assert!(capacity > 0, "capacity must be at least 1");'
    assert marker in rust_reference

    def edit(i):
        with open(lib, "w") as f:
            f.write(rust_reference.replace(marker, marker.replace("at least 1", "at least 1 (%d)" % i)))

    rcheck = [kata, "--workspace", ws, "check", SLUG, "--lang", "rust"] + base_stage(kata)
    rust_stage = None
    edit(0)
    timed(rcheck, env=env, ok=(0,))
    rust_root = os.path.join(tmp, "cache", "rust")
    rust_stage = os.path.join(rust_root, [d for d in os.listdir(rust_root) if d.startswith(SLUG + "-")][0])
    unchanged = median_of(runs, lambda i: timed(rcheck, env=env, ok=(0,)))

    def edited(i):
        edit(i + 1)
        return timed(rcheck, env=env, ok=(0,))

    after_edit = median_of(runs, edited)

    def cold(i):
        shutil.rmtree(rust_stage, ignore_errors=True)
        return timed(rcheck, env=env, ok=(0,))

    cold_check = median_of(max(3, runs // 2), cold)

    # (a) plain rustc on the same two files, then running them (cases, then probes).
    plain = os.path.join(tmp, "plain")
    os.makedirs(plain)
    for name in ("main.rs", "driver.rs", "harness.rs"):
        shutil.copy(os.path.join(rust_stage, name), plain)
    cases_in, probes_in, _ = parse_cases("rust")
    for name, text in (("cases.jsonl", cases_in), ("probes.jsonl", probes_in)):
        with open(os.path.join(plain, name), "w") as f:
            f.write(text)

    def plain_rustc(i, incremental):
        edit(100 + i)
        start = time.perf_counter()
        cmd = ["rustc", "--edition=2021", "main.rs", "-o", "bin"]
        if incremental:
            cmd.append("-Cincremental=inc")
        subprocess.run(cmd, cwd=plain, check=True, capture_output=True)
        for input_file in ("cases.jsonl", "probes.jsonl"):
            with open(os.path.join(plain, "results"), "w") as results:
                subprocess.run(["./bin", input_file, "n", "1024"], cwd=plain, check=True, stdin=results, capture_output=True)
        return time.perf_counter() - start

    plain_rustc(0, True)
    rustc_edit_incr = median_of(runs, lambda i: plain_rustc(i, True))
    rustc_edit = median_of(runs, lambda i: plain_rustc(i, False))

    def plain_cold(i):
        shutil.rmtree(os.path.join(plain, "inc"), ignore_errors=True)
        return plain_rustc(i, False)

    rustc_cold = median_of(max(3, runs // 2), plain_cold)

    # (b) cargo test on an equivalent crate with ordinary #[test] functions.
    crate = os.path.join(tmp, "cargo-crate")
    os.makedirs(os.path.join(crate, "src"))
    os.makedirs(os.path.join(crate, "tests"))
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "lru_cache"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    cargo_lib = os.path.join(crate, "src", "lib.rs")
    write_cargo_tests(os.path.join(crate, "tests", "hidden.rs"), parse_cases("rust")[2])
    cargo_env = dict(env, CARGO_TARGET_DIR=os.path.join(crate, "target"))

    def cargo_test(i):
        with open(cargo_lib, "w") as f:
            f.write(rust_reference.replace(marker, marker.replace("at least 1", "at least 1 (%d)" % i)))
        return timed(["cargo", "test", "--offline", "--quiet"], cwd=crate, env=cargo_env, ok=(0,))

    cargo_test(0)
    cargo_edit = median_of(runs, lambda i: cargo_test(i + 1))

    def cargo_cold(i):
        shutil.rmtree(os.path.join(crate, "target"), ignore_errors=True)
        return cargo_test(1000 + i)

    cargo_cold_t = median_of(max(3, runs // 2), cargo_cold)

    rows.append(("rust", "check, unchanged file", unchanged, "", None))
    rows.append(("rust", "check, after a one-line edit", after_edit, "(a) rustc + run, -C incremental", rustc_edit_incr))
    rows.append(("rust", "", None, "(a) rustc + run, plain", rustc_edit))
    rows.append(("rust", "", None, "(b) cargo test, #[test] cases", cargo_edit))
    rows.append(("rust", "check, cold (no cache)", cold_check, "(a) rustc + run, cold", rustc_cold))
    rows.append(("rust", "", None, "(b) cargo test, cold", cargo_cold_t))

    print("medians of %d runs (cold: %d), seconds\n" % (runs, max(3, runs // 2)))
    print("| track | kata | median | baseline | median | kata / baseline |")
    print("| --- | --- | --- | --- | --- | --- |")
    last = None
    for track, what, k, base, b in rows:
        if k is not None:
            last = k
        ratio = "%.2fx" % (last / b) if (b and last) else ""
        print("| %s | %s | %s | %s | %s | %s |" % (
            track, what, "%.3f" % k if k is not None else "", base, "%.3f" % b if b is not None else "", ratio))
    shutil.rmtree(tmp, ignore_errors=True)


def write_cargo_tests(path, cases):
    """The hidden cases as ordinary #[test] functions, plus the probe's workload."""
    out = ["use lru_cache::LruCache;", ""]
    for i, ops in enumerate(cases):
        out.append("#[test]")
        out.append("fn case_%d() {" % i)
        out.append("    let r = std::panic::catch_unwind(|| {")
        for op in ops:
            name, a = op[0], op[1:]
            if name == "new":
                out.append("    let mut c = LruCache::new(%d);" % a[0])
            elif name == "put":
                out.append("    c.put(%d, %d);" % (a[0], a[1]))
            elif name == "get":
                out.append("    let _ = c.get(%d);" % a[0])
            elif name == "len":
                out.append("    let _ = c.len();")
        out.append("    });")
        out.append("    let _ = r;")
        out.append("}")
    out.append("""
fn measure(size: usize) -> f64 {
    let mut cache = LruCache::new(size);
    for i in 0..size as i64 { cache.put(i, i); }
    let mut next = size as i64;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        for key in next..next + 500 { cache.put(key, key); std::hint::black_box(cache.get(key - size as i64 + 1)); }
        next += 500;
        best = best.min(start.elapsed().as_nanos() as f64 / 1000.0);
    }
    best
}

#[test]
fn probe() {
    let ratio = measure(30000) / measure(1000);
    assert!(ratio < 30000f64.powf(0.6) / 1000f64.powf(0.6));
}
""")
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
