//! Snapshots of the reports people read, against the small fixture catalog in
//! `tests/fixtures/catalog` (one exercise, both languages): a failing case, a compile error, a
//! crash, a complexity verdict, a pass and what follows it, `stats` and its pictures, `list`,
//! and `review` on a narrow and a wide page. Temporary paths, timings and measured ratios are
//! redacted, so a snapshot changes only when the wording or layout does.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture_catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog")
}

/// A fixture-catalog file, e.g. `solutions/min-stack/python/reference.py`.
fn fixture(relative: &str) -> String {
    let path = fixture_catalog().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A mutant of the fixture exercise, applied to its reference.
fn fixture_mutant(lang: &str, name: &str) -> String {
    let ext = if lang == "python" { "py" } else { "rs" };
    let reference = fixture(&format!("solutions/min-stack/{lang}/reference.{ext}"));
    let patch = fixture(&format!("solutions/min-stack/{lang}/mutants/{name}.patch"));
    let parsed = diffy::Patch::from_str(&patch[patch.find("--- ").unwrap()..]).unwrap();
    diffy::apply(&reference, &parsed).unwrap()
}

struct Fixture {
    env: Env,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture { env: Env::new() }
    }

    fn kata(&self) -> assert_cmd::Command {
        let mut cmd = self.env.kata();
        cmd.env("KATA_CATALOG", fixture_catalog())
            .env("KATA_NOW", "2026-03-02T10:00:00Z")
            .env("TZ", "UTC");
        cmd
    }

    /// Starts min-stack in `lang` with `source` as the learner's file.
    fn start(&self, lang: &str, source: &str) -> PathBuf {
        self.kata()
            .args(["start", "min-stack", "--lang", lang])
            .assert()
            .success();
        let file = match lang {
            "python" => "min_stack.py",
            _ => "src/lib.rs",
        };
        let path = self.env.workspace().join(lang).join("min-stack").join(file);
        std::fs::write(&path, source).unwrap();
        path
    }

    fn check(&self, lang: &str) -> Output {
        self.kata()
            .args(["check", "min-stack", "--lang", lang])
            .output()
            .unwrap()
    }
}

/// Exit code, stdout and stderr as one text, with what varies between runs redacted.
fn shown(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    )
}

fn assert_report(name: &str, output: &Output) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.add_filter(r"/[^\s`']*kata-test-[^/\s]+", "[TMP]");
    settings.add_filter(r"\d+\.\d+ s\b", "[TIME] s");
    settings.add_filter(r"\d+(\.\d+)?x\b", "[N]x");
    settings.add_filter(r"\d+(\.\d+)? (ns|us|µs|ms)\b", "[TIME] $2");
    settings.bind(|| insta::assert_snapshot!(name, shown(output)));
}

#[test]
fn failing_case() {
    let f = Fixture::new();
    f.start("python", &fixture_mutant("python", "min_keeps_popped"));
    assert_report("failing_case", &f.check("python"));
}

/// One case alone, in full (`kata check --case`), laid out for a 60-column terminal: every
/// operation, the learner's output, the hint wrapped with its indent.
#[test]
fn one_case_in_full_on_a_narrow_terminal() {
    let f = Fixture::new();
    let chatty = fixture_mutant("python", "min_keeps_popped").replace(
        "    def min(self) -> int:\n",
        "    def min(self) -> int:\n        print(\"min of\", len(self.items), \"items\")\n",
    );
    assert!(chatty.contains("print("), "the fixture's min changed");
    f.start("python", &chatty);
    let out = f
        .kata()
        .env("COLUMNS", "60")
        .args([
            "check",
            "min-stack",
            "--lang",
            "python",
            "--case",
            "min_after_pop",
        ])
        .output()
        .unwrap();
    assert_report("one_case_in_full", &out);
}

/// A deleted solution file: what is missing and how to get the starter back.
#[test]
fn missing_solution_file() {
    let f = Fixture::new();
    let file = f.start(
        "python",
        &fixture("solutions/min-stack/python/reference.py"),
    );
    std::fs::remove_file(&file).unwrap();
    assert_report("missing_file", &f.check("python"));
}

/// A hidden case as a test in each language's idiom (`kata case NAME`).
#[test]
fn a_case_as_a_test() {
    let f = Fixture::new();
    f.start(
        "python",
        &fixture("solutions/min-stack/python/reference.py"),
    );
    f.start("rust", &fixture("solutions/min-stack/rust/reference.rs"));
    for lang in ["python", "rust"] {
        let out = f
            .kata()
            .args(["case", "min_after_pop", "min-stack", "--lang", lang])
            .output()
            .unwrap();
        assert_report(&format!("case_as_a_test_{lang}"), &out);
    }
}

#[test]
fn compile_error() {
    let f = Fixture::new();
    let broken = fixture("solutions/min-stack/rust/reference.rs")
        .replace("self.items.len()", "self.items.len() + undefined_count");
    f.start("rust", &broken);
    assert_report("compile_error", &f.check("rust"));
}

#[test]
fn crash() {
    let f = Fixture::new();
    let crashing = fixture("solutions/min-stack/python/reference.py").replace(
        "        return len(self.items)",
        "        raise RuntimeError(\"len is broken\")",
    );
    f.start("python", &crashing);
    assert_report("crash", &f.check("python"));
}

#[test]
fn complexity_verdict() {
    let f = Fixture::new();
    f.start("python", &fixture_mutant("python", "scan_for_min"));
    assert_report("complexity_verdict", &f.check("python"));
}

/// A mutant of a concurrency exercise of the real catalog, applied to its reference.
fn catalog_mutant(slug: &str, lang: &str, name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("solutions")
        .join(slug);
    let ext = if lang == "python" { "py" } else { "rs" };
    let read = |path: PathBuf| std::fs::read_to_string(&path).unwrap();
    let reference = read(root.join(format!("{lang}/reference.{ext}")));
    let patch = read(root.join(format!("{lang}/mutants/{name}.patch")));
    let parsed = diffy::Patch::from_str(&patch[patch.find("--- ").unwrap()..]).unwrap();
    diffy::apply(&reference, &parsed).unwrap()
}

/// Checks `source` as the learner's singleton (the built-in catalog) with a fixed seed.
fn check_singleton(lang: &str, source: &str) -> Output {
    let env = Env::new();
    env.kata()
        .args(["start", "singleton", "--lang", lang])
        .assert()
        .success();
    let file = match lang {
        "python" => "singleton.py",
        _ => "src/lib.rs",
    };
    let dir = env.workspace().join(lang).join("singleton");
    std::fs::write(dir.join(file), source).unwrap();
    env.kata()
        .args(["check", "singleton", "--lang", lang, "--seed", "7"])
        .output()
        .unwrap()
}

/// A race a single-threaded test cannot see: the failing schedule as a trace, one column per
/// thread, the first violation marked.
#[test]
fn race_trace_python() {
    let source = catalog_mutant("singleton", "python", "no_lock");
    assert_report("race_trace_python", &check_singleton("python", &source));
}

#[test]
fn race_trace_rust() {
    let source = catalog_mutant("singleton", "rust", "no_second_check");
    assert_report("race_trace_rust", &check_singleton("rust", &source));
}

/// One case alone (`--case`) shows its failing schedule from the first step: nothing elided.
#[test]
fn one_race_alone_shows_every_step() {
    let env = Env::new();
    let file = env.start("singleton", "python");
    std::fs::write(&file, catalog_mutant("singleton", "python", "no_lock")).unwrap();
    let args = ["check", "singleton", "--seed", "7"];
    let whole = stdout(&env.kata().args(args).output().unwrap());
    assert!(whole.contains("later steps"), "{whole}");
    let out = env
        .kata()
        .args(args)
        .args(["--case", "race_of_two"])
        .output()
        .unwrap();
    let alone = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{alone}");
    assert!(alone.contains("replays it, step for step"), "{alone}");
    assert!(!alone.contains("earlier steps"), "{alone}");
    assert!(!alone.contains("later steps"), "{alone}");
    assert!(
        alone.lines().any(|l| l.trim_start().starts_with("1 ")),
        "{alone}"
    );
}

/// A deadlock in a one-thread case: the case's hint explains it (it is not shown as a crash).
#[test]
fn deadlock_in_a_sequential_case() {
    let source = catalog_mutant("singleton", "python", "one_plain_lock");
    assert_report("deadlock", &check_singleton("python", &source));
}

#[test]
fn pass() {
    let f = Fixture::new();
    f.start("rust", &fixture("solutions/min-stack/rust/reference.rs"));
    assert_report("pass", &f.check("rust"));
}

/// A pass after two hours of practice in Rust, with Python solved the day before: the time
/// taken, `kata review`, and (everything solved) a timed redo as the next step.
#[test]
fn pass_after_practice() {
    let f = with_log();
    f.start("rust", &fixture("solutions/min-stack/rust/reference.rs"));
    assert_report("pass_after_practice", &f.check("rust"));
}

/// A pass nine minutes into a timed start: the interview clock's verdict, then the next step.
#[test]
fn pass_timed() {
    let f = Fixture::new();
    f.kata()
        .args(["start", "min-stack", "--lang", "python", "--timed"])
        .assert()
        .success();
    let file = f.env.workspace().join("python/min-stack/min_stack.py");
    std::fs::write(file, fixture("solutions/min-stack/python/reference.py")).unwrap();
    let out = f
        .kata()
        .env("KATA_NOW", "2026-03-02T10:09:00Z")
        .args(["check", "min-stack"])
        .output()
        .unwrap();
    assert_report("pass_timed", &out);
}

/// A fixed progress log: two days of practice in both languages.
const LOG: &str = r#"{"v":1,"ts":"2026-03-01T09:00:00Z","event":"start","slug":"min-stack","lang":"python"}
{"v":1,"ts":"2026-03-01T09:05:00Z","event":"check","slug":"min-stack","lang":"python","passed":3,"total":7,"duration_ms":90,"first_failing":"min_after_pop"}
{"v":1,"ts":"2026-03-01T09:06:00Z","event":"hint","slug":"min-stack","lang":"python","hint":1}
{"v":1,"ts":"2026-03-01T09:12:00Z","event":"check","slug":"min-stack","lang":"python","passed":7,"total":7,"duration_ms":95}
{"v":1,"ts":"2026-03-02T08:00:00Z","event":"start","slug":"min-stack","lang":"rust"}
{"v":1,"ts":"2026-03-02T08:20:00Z","event":"check","slug":"min-stack","lang":"rust","passed":5,"total":7,"duration_ms":400,"first_failing":"pop_order"}
"#;

fn with_log() -> Fixture {
    let f = Fixture::new();
    f.env.write_settings("language = \"python\"\n");
    std::fs::create_dir_all(f.env.workspace().join(".kata")).unwrap();
    std::fs::write(f.env.workspace().join(".kata/progress.jsonl"), LOG).unwrap();
    f
}

/// Five months of practice (`tests/fixtures/progress/practice.jsonl`): Python solved in
/// October with watch re-runs, reset and solved again in November, Rust over its interview
/// clock in February, reviews, and a four-day streak up to today.
fn with_practice() -> Fixture {
    let f = Fixture::new();
    std::fs::create_dir_all(f.env.workspace().join(".kata")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/progress/practice.jsonl"),
        f.env.workspace().join(".kata/progress.jsonl"),
    )
    .unwrap();
    f
}

/// The pictures laid out for 80 columns, as when piped: the calendar, topics, time to pass.
#[test]
fn stats() {
    let out = with_practice().kata().arg("stats").output().unwrap();
    assert_report("stats", &out);
}

/// The same on a 44-column terminal: fewer weeks, shorter bars.
#[test]
fn stats_narrow() {
    let out = with_practice()
        .kata()
        .arg("stats")
        .env("COLUMNS", "44")
        .output()
        .unwrap();
    assert_report("stats_narrow", &out);
}

#[test]
fn list() {
    let f = with_log();
    let out = f.kata().arg("list").output().unwrap();
    assert_report("list", &out);
}

/// A correct min-stack that is not the reference: a second stack of minimums.
const TWO_STACKS: &str = r#"class MinStack:
    def __init__(self):
        self.values = []
        self.mins = []  # only values <= the minimum below them

    def push(self, value: int) -> None:
        self.values.append(value)
        if not self.mins or value <= self.mins[-1]:
            self.mins.append(value)

    def pop(self) -> int:
        if not self.values:
            raise IndexError("pop from an empty stack")
        value = self.values.pop()
        if value == self.mins[-1]:
            self.mins.pop()
        return value

    def min(self) -> int:
        if not self.mins:
            raise IndexError("min of an empty stack")
        return self.mins[-1]

    def __len__(self) -> int:
        return len(self.values)
"#;

/// A session on min-stack in Python: a failing check, a hint, watch re-runs, a pass.
const REVIEW_LOG: &str = r#"{"v":1,"ts":"2026-03-01T09:00:00Z","event":"start","slug":"min-stack","lang":"python"}
{"v":1,"ts":"2026-03-01T09:05:00Z","event":"check","slug":"min-stack","lang":"python","passed":3,"total":6,"duration_ms":90,"first_failing":"min_after_pop"}
{"v":1,"ts":"2026-03-01T09:06:00Z","event":"hint","slug":"min-stack","lang":"python","hint":1}
{"v":1,"ts":"2026-03-01T09:10:00Z","event":"check","slug":"min-stack","lang":"python","passed":4,"total":6,"duration_ms":95,"first_failing":"pop_order","watch":true}
{"v":1,"ts":"2026-03-01T09:23:00Z","event":"check","slug":"min-stack","lang":"python","passed":6,"total":6,"duration_ms":95,"watch":true,"probe_ratios":{"min_scaling":1.04}}
"#;

fn reviewed(columns: &str) -> Output {
    let f = Fixture::new();
    f.start("python", TWO_STACKS);
    std::fs::write(f.env.workspace().join(".kata/progress.jsonl"), REVIEW_LOG).unwrap();
    f.kata()
        .args(["review", "min-stack"])
        .env("COLUMNS", columns)
        .output()
        .unwrap()
}

#[test]
fn review_narrow() {
    assert_report("review_narrow", &reviewed("80"));
}

#[test]
fn review_wide() {
    assert_report("review_wide", &reviewed("130"));
}
