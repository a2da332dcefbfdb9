//! Shared helpers for the integration tests: a temporary workspace and home, the real `kata`
//! binary, and one cache folder shared by all tests so Rust builds are reused.

#![allow(dead_code)]

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::Builder::new()
                .prefix("kata-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    pub fn workspace(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// `kata` with a workspace in the temp folder, no colour, and the shared cache.
    pub fn kata(&self) -> Command {
        let mut cmd = self.kata_env(Command::new(env!("CARGO_BIN_EXE_kata")));
        cmd.arg("--workspace").arg(self.workspace());
        cmd
    }

    /// `cmd` with the environment kata runs in for tests (no colour, this home and cache).
    pub fn kata_env(&self, mut cmd: Command) -> Command {
        cmd.env_remove("KATA_WORKSPACE")
            .env_remove("KATA_CATALOG")
            .env_remove("KATA_PYTHON")
            .env_remove("KATA_SANDBOX")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .env("HOME", self.home())
            .env("KATA_CACHE_DIR", cache_dir())
            .current_dir(self.dir.path());
        cmd
    }

    /// Starts an exercise and returns the learner's file.
    pub fn start(&self, slug: &str, lang: &str) -> PathBuf {
        self.kata()
            .args(["start", slug, "--lang", lang])
            .assert()
            .success();
        let file = match lang {
            "python" => format!("{}.py", slug.replace('-', "_")),
            _ => "src/lib.rs".to_string(),
        };
        self.workspace().join(lang).join(slug).join(file)
    }

    pub fn write_settings(&self, text: &str) {
        std::fs::create_dir_all(self.workspace()).unwrap();
        std::fs::write(self.workspace().join("kata.toml"), text).unwrap();
    }
}

pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("kata-cache")
}

/// A file from the repository's `solutions/` folder.
pub fn solution(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("solutions")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How many follow-up stages an exercise has (`exercises/<slug>/stages/*`).
pub fn stage_count(slug: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("exercises")
        .join(slug)
        .join("stages");
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

/// The reference of the exercise's last stage (its own when it has none): it passes every
/// stage.
pub fn final_reference(slug: &str, lang: &str) -> String {
    let ext = if lang == "python" { "py" } else { "rs" };
    let stages = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("solutions")
        .join(slug)
        .join(lang)
        .join("stages");
    let last = std::fs::read_dir(stages).ok().and_then(|entries| {
        entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .max_by_key(|name| name.split('-').next().unwrap().parse::<u32>().unwrap())
    });
    match last {
        Some(stage) => solution(&format!("{slug}/{lang}/stages/{stage}/reference.{ext}")),
        None => solution(&format!("{slug}/{lang}/reference.{ext}")),
    }
}

/// Writes the last stage's reference into `file` and checks once per stage, each pass
/// opening the next follow-up; returns the last check's output (the exercise solved through
/// every stage).
pub fn pass_every_stage(env: &Env, file: &Path, slug: &str, lang: &str) -> Output {
    std::fs::write(file, final_reference(slug, lang)).unwrap();
    let mut last = None;
    for _ in 0..=stage_count(slug) {
        let out = env
            .kata()
            .args(["check", slug, "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
        last = Some(out);
    }
    last.unwrap()
}

/// A mutant of the reference: `solutions/<slug>/<lang>/mutants/<name>.patch` applied to
/// the reference, and the case it names in `caught-by:`.
pub fn mutant(slug: &str, lang: &str, name: &str) -> (String, String) {
    let ext = if lang == "python" { "py" } else { "rs" };
    let reference = solution(&format!("{slug}/{lang}/reference.{ext}"));
    let patch = solution(&format!("{slug}/{lang}/mutants/{name}.patch"));
    let caught_by = patch
        .lines()
        .find_map(|l| l.strip_prefix("caught-by:").map(|s| s.trim().to_string()))
        .expect("mutant names its case");
    let diff = &patch[patch.find("--- ").expect("a unified diff")..];
    let parsed = diffy::Patch::from_str(diff).expect("a unified diff");
    let source = diffy::apply(&reference, &parsed).expect("the patch applies");
    (source, caught_by)
}

/// Names of the mutants of an exercise and language, sorted.
pub fn mutants(slug: &str, lang: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("solutions")
        .join(slug)
        .join(lang)
        .join("mutants");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path
                .file_name()?
                .to_str()?
                .strip_suffix(".patch")?
                .to_string();
            Some(name)
        })
        .collect();
    names.sort();
    names
}

/// Starts `slug` in `lang` and checks that every mutant fails, on the case it names.
pub fn assert_mutants_caught(slug: &str, lang: &str) {
    let env = Env::new();
    let file = env.start(slug, lang);
    let mutants = mutants(slug, lang);
    assert!(
        mutants.len() >= 6,
        "{slug} {lang}: only {} mutants",
        mutants.len()
    );
    for name in mutants {
        let (source, named) = mutant(slug, lang, &name);
        std::fs::write(&file, &source).unwrap();
        let out = env.kata().args(["check", "--json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let report = json(&out);
        assert_ne!(test_status(&report, &named), "pass", "{name}");
    }
}

/// The stdout of a finished command, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The stderr of a finished command, without the one line kata prints when it cannot confine
/// the learner's code (a kernel without Landlock): tests of other behaviour must not depend
/// on the kernel. `tests/cli/sandbox.rs` reads that line from the raw bytes.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr)
        .split_inclusive('\n')
        .filter(|line| !line.starts_with("warning: your code runs "))
        .collect()
}

/// Polls `done` for up to 10 s (a safety net against hanging, not a timing assertion): a
/// killed process may take a moment to leave /proc on a loaded machine.
pub fn eventually(done: impl Fn() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    done()
}

/// How many processes run with `needle` in their command line (Linux: /proc).
pub fn processes_running(needle: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .filter(|cmd| {
            String::from_utf8_lossy(cmd)
                .replace('\0', " ")
                .contains(needle)
        })
        .count()
}

/// Whether this kernel's Landlock has at least ABI `min` (4: TCP rules; 6: scoping), which
/// Landlock-dependent assertions need; prints a note when it does not, so a skip is visible.
#[cfg(target_os = "linux")]
pub fn landlock(min: i32, what: &str) -> bool {
    let status = landlock::RestrictSelf::default()
        .no_new_privs(false)
        .apply()
        .map(|s| s.landlock);
    let abi = match status {
        Ok(landlock::LandlockStatus::Available { effective_abi, .. }) => effective_abi as i32,
        _ => 0,
    };
    if abi < min {
        println!("note: skipping {what}: needs Landlock ABI {min}, this kernel has {abi}");
    }
    abi >= min
}

/// Parses `kata check --json` output.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// The status of one test (case or probe) in a JSON report.
pub fn test_status(report: &serde_json::Value, name: &str) -> String {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no test {name} in {report}"))["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A spawned process that is killed when dropped, so a failing test (a panic before its own
/// `wait`) never leaves a kata watcher running.
pub struct Running(pub std::process::Child);

impl std::ops::Deref for Running {
    type Target = std::process::Child;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines a spawned process writes to its stdout, as they come.
pub fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (30 s at most) for a line containing `needle`, keeping every line seen.
pub fn wait_for(rx: &mpsc::Receiver<String>, needle: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                return;
            }
        }
    }
    panic!("never saw {needle:?}; output so far:\n{}", seen.join("\n"));
}
