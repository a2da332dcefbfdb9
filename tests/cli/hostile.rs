//! Hostile learner code and damaged state: kata ends the check within its limit, explains
//! what happened, leaves the machine and the workspace as they were, and exits non-zero.

use crate::common::*;
use std::process::Command;
use std::time::{Duration, Instant};

/// Starts lru-cache (Python) with a short time limit and `source` as the learner's file.
fn python_case(source: &str) -> (Env, std::path::PathBuf) {
    let env = Env::new();
    env.write_settings("timeout_secs = 3.0\n");
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, source).unwrap();
    (env, file)
}

/// The reference with `extra` code at the start of `get`.
fn reference_with_get(extra: &str) -> String {
    solution("lru-cache/python/reference.py").replace(
        "    def get(self, key: int) -> int:\n",
        &format!("    def get(self, key: int) -> int:\n{extra}"),
    )
}

#[test]
fn a_loop_that_ignores_sigterm_is_still_stopped() {
    let (env, _) = python_case(
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nclass LRUCache:\n    def __init__(self, capacity):\n        while True:\n            pass\n",
    );
    let started = Instant::now();
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("time limit of 3.0 s reached during `new 2` (operation 1)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn children_left_running_are_killed() {
    // The children are Python itself: the sandbox lets a run execute only its toolchain.
    let (env, _) = python_case(&reference_with_get(
        "        import subprocess, sys\n        if key == 3 and not globals().get('spawned'):\n            globals()['spawned'] = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(97531)'])\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("your code left processes running after it finished: kata killed them"),
        "{}",
        stdout(&out)
    );
    assert!(
        eventually(|| processes_running("time.sleep(97531)") == 0),
        "a grandchild survived the check"
    );

    // A child that ends on its own (never waited for: a zombie) is not "left running".
    let (env, _) = python_case(&reference_with_get(
        "        import os\n        if key == 3 and os.fork() == 0:\n            os._exit(0)\n",
    ));
    env.kata().args(["check"]).assert().code(0);

    // One that leaves the process group (a new session) is found as an orphan of kata.
    let (env, _) = python_case(&reference_with_get(
        "        import os, sys\n        if key == 3 and not globals().get('spawned'):\n            globals()['spawned'] = True\n            if os.fork() == 0:\n                os.setsid()\n                os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(86421)'])\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("outside its process group) running after it finished: kata killed them"),
        "{}",
        stdout(&out)
    );
    assert!(
        eventually(|| processes_running("time.sleep(86421)") == 0),
        "a process in its own session survived the check"
    );
}

#[test]
fn unbounded_output_is_capped_and_counted() {
    let (env, _) = python_case(&reference_with_get(
        "        import sys\n        if key == 3:\n            sys.stdout.write('x' * 3000000)\n            sys.stderr.write('y' * 3000000)\n",
    ));
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "grading is not disturbed");
    assert!(
        out.stdout.len() < 1_000_000,
        "the report does not carry megabytes"
    );
    let (env, _) = python_case(&reference_with_get(
        "        while True:\n            print('spam' * 100)\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("time limit of 3.0 s reached"), "{text}");
    assert!(text.contains("(output cut:"), "{text}");
}

#[test]
fn the_last_lines_printed_before_a_crash_are_shown_after_megabytes_of_output() {
    let (env, _) = python_case(&reference_with_get(
        "        if key == 3 and not globals().get('printed'):\n            globals()['printed'] = True\n            for i in range(100000):\n                print('line', i)\n            raise RuntimeError('boom')\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("RuntimeError: boom"), "{text}");
    assert!(text.contains("line 0\n"), "the start is kept: {text}");
    assert!(text.contains("line 99999\n"), "the end is kept: {text}");
    assert!(text.contains("(output cut:"), "{text}");
    assert!(text.contains("more lines ..."), "{text}");
}

#[test]
fn memory_blow_up_hits_the_limit_and_says_so() {
    let (env, _) = python_case(&reference_with_get(
        "        self.hog = bytearray(8 * 1024 ** 3)\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("error MemoryError"), "{text}");
    assert!(
        text.contains("the memory limit (1024 MiB) was reached"),
        "{text}"
    );

    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let hog = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        let hog = vec![1u8; 8 << 30];\n        std::hint::black_box(&hog);\n",
    );
    std::fs::write(&file, hog).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("the memory limit of 1024 MiB was reached during `len`"),
        "{text}"
    );
}

#[test]
fn reading_stdin_does_not_hang() {
    let (env, _) = python_case(&reference_with_get("        input()\n"));
    let started = Instant::now();
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stdout(&out).contains("error EOFError"), "{}", stdout(&out));

    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let reads = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        let mut line = String::new();\n        let _ = std::io::stdin().read_line(&mut line);\n",
    );
    std::fs::write(&file, reads).unwrap();
    env.kata().args(["check"]).assert().code(0);
}

#[test]
fn exiting_mid_case_is_an_early_exit_never_a_pass() {
    let (env, _) = python_case(&reference_with_get(
        "        import sys\n        sys.exit(0)\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("your code ended the process (exit code 0) during `get 1` (operation 4)"),
        "{}",
        stdout(&out)
    );
    let (env, _) = python_case(&reference_with_get(
        "        import os\n        os._exit(0)\n",
    ));
    env.kata().args(["check"]).assert().code(1);

    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let exits = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        std::process::exit(0);\n",
    );
    std::fs::write(&file, exits).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("ended the process (exit code 0) during `len`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn unbounded_recursion_is_reported_as_a_stack_overflow() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let recurses = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        if self.capacity > 0 { return self.len() + 1; }\n",
    );
    std::fs::write(&file, recurses).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("the stack overflowed during `len`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn non_utf8_output_and_control_characters_are_shown_safely() {
    let (env, _) = python_case(&reference_with_get(
        "        import sys\n        sys.stdout.flush()\n        sys.stdout.buffer.write(b'\\xff\\xfe raw bytes \\x1b[2J\\r\\n')\n        raise ValueError('\\x1b[31mred')\n",
    ));
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    // Invalid UTF-8 shown lossily, control characters escaped: nothing reaches the terminal raw.
    assert!(
        text.contains("\u{fffd}\u{fffd} raw bytes \\x1b[2J"),
        "{text}"
    );
    assert!(text.contains("error ValueError: \\x1b[31mred"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn deleting_or_chmodding_its_own_file_is_undone() {
    use std::os::unix::fs::PermissionsExt;
    let source = reference_with_get(
        "        import os\n        if os.path.exists(__file__):\n            os.remove(__file__)\n",
    );
    // Confined, the exercise folder is read only: the deletion itself is refused.
    if landlock(1, "the refused deletion") {
        let (env, file) = python_case(&source);
        let out = env.kata().args(["check"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stdout(&out).contains("error PermissionError: [Errno 13] Permission denied"),
            "{}",
            stdout(&out)
        );
        assert!(!stdout(&out).contains("put back"), "{}", stdout(&out));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), source);
    }
    // Unconfined (no Landlock, or KATA_SANDBOX=off) the folder guard puts it back.
    let (env, file) = python_case(&source);
    let out = env
        .kata()
        .env("KATA_SANDBOX", "off")
        .args(["check"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("your code deleted lru_cache.py during the check: kata put back what was there before (a check that does this never counts as a pass)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), source);

    // The whole exercise folder: everything in it comes back.
    let source = reference_with_get(
        "        import os, shutil\n        here = os.path.dirname(os.path.abspath(__file__))\n        if os.path.exists(here):\n            shutil.rmtree(here)\n",
    );
    let (env, file) = python_case(&source);
    let readme = std::fs::read(file.with_file_name("README.md")).unwrap();
    let out = env
        .kata()
        .env("KATA_SANDBOX", "off")
        .args(["check", "lru-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("your code deleted "),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), source);
    assert_eq!(
        std::fs::read(file.with_file_name("README.md")).unwrap(),
        readme
    );
    assert!(file.with_file_name("test_examples.py").is_file());
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    // The probes run beside the cases, so which of them the deletion breaks varies; the
    // restore always counts as one failure (30 cases + 2 probes + 1).
    assert!(log.contains(",\"total\":33,"), "{log}");

    // Landlock does not govern permissions: confined or not, chmod works and is undone.
    let source = reference_with_get("        import os\n        os.chmod(__file__, 0o000)\n");
    let (env, file) = python_case(&source);
    let before = std::fs::metadata(&file).unwrap().permissions().mode();
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(
        stdout(&out).contains("your code changed the permissions of lru_cache.py during the check: kata put back what was there before"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode(),
        before
    );

    // The folder's own permissions too.
    let source = reference_with_get(
        "        import os\n        os.chmod(os.path.dirname(os.path.abspath(__file__)), 0o500)\n",
    );
    let (env, file) = python_case(&source);
    let dir = file.parent().unwrap();
    let before = std::fs::metadata(dir).unwrap().permissions().mode();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("your code changed the permissions of the exercise folder during the check"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::metadata(dir).unwrap().permissions().mode(), before);
}

#[test]
fn an_unwritable_progress_file_is_a_warning_and_the_result_is_still_shown() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    // A read-only workspace cannot be simulated with permissions when tests run as root, so
    // make the write fail for real: the progress file is a directory.
    let log = env.workspace().join(".kata/progress.jsonl");
    std::fs::remove_file(&log).unwrap();
    std::fs::create_dir(&log).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("all 30 cases passed; probe"));
    assert!(
        stderr(&out).contains("warning: progress not recorded: cannot open"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    // The interview clock lives in the log: without it there is no clock, so no "started".
    let out = env
        .kata()
        .args(["start", "lru-cache", "--timed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: the interview clock could not be started: cannot open"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_progress_log_symlinked_out_of_the_workspace_is_refused() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let state = env.workspace().join(".kata");
    let log = state.join("progress.jsonl");
    std::fs::remove_file(&log).unwrap();
    // A device (this was once how a full disk was simulated), then a file outside.
    std::os::unix::fs::symlink("/dev/full", &log).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "error: `{}` is a symlink to `/dev/full`, outside the workspace: kata does not read or write through it; replace it with a regular file",
            log.display()
        )
    );
    assert!(out.stdout.is_empty(), "nothing ran");
    std::fs::remove_file(&log).unwrap();
    let outside = env.dir.path().join("outside.jsonl");
    std::os::unix::fs::symlink(&outside, &log).unwrap();
    let out = env.kata().args(["hint", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(!outside.exists(), "nothing is written through the link");

    // The whole state folder.
    std::fs::remove_dir_all(&state).unwrap();
    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &state).unwrap();
    for args in [
        &["hint", "lru-cache"][..],
        &["start", "retry"],
        &["reset", "lru-cache"],
    ] {
        let out = env.kata().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("outside the workspace")
                && stderr(&out).ends_with("regular folder\n"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn reset_that_cannot_back_up_changes_nothing() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, "# precious\n").unwrap();
    std::fs::write(env.workspace().join(".kata/backups"), "not a folder").unwrap();
    let out = env.kata().args(["reset", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot create"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# precious\n");
}

#[test]
fn two_checks_of_the_same_exercise_at_once() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    std::fs::write(&file, solution("lru-cache/rust/reference.rs")).unwrap();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kata"))
            .env("NO_COLOR", "1")
            .env("KATA_CACHE_DIR", cache_dir())
            .arg("--workspace")
            .arg(env.workspace())
            .args(["check", "lru-cache", "--lang", "rust"])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!(a.status.code(), Some(0), "{}{}", stdout(&a), stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}{}", stdout(&b), stderr(&b));
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("\"event\":\"check\""))
            .count(),
        2
    );
}

#[test]
fn a_bad_custom_catalog_is_rejected_with_file_and_line() {
    let env = Env::new();
    let root = env.dir.path().join("catalog");
    let exercise = root.join("exercises/bad-one");
    std::fs::create_dir_all(exercise.join("python")).unwrap();
    std::fs::write(
        exercise.join("exercise.toml"),
        "format_version = 1\ntitle = \"Bad\"\norder = 1\ndifficulty = \"easy\"\ntopics = [\"x\"]\nsummary = \"s\"\nhints = [\"h\"]\ntime_budget_minutes = 5\n",
    )
    .unwrap();
    std::fs::write(exercise.join("cases.txt"), "case first example\n  hint: h\n  new 1 => ok\n\ncase second\n  hint: h\n  put [1, 2 => ok\n").unwrap();
    std::fs::write(exercise.join("statement.md"), "# Bad\n").unwrap();
    std::fs::write(exercise.join("python/starter.py"), "").unwrap();
    std::fs::create_dir_all(root.join("exercises/Bad_Slug")).unwrap();
    std::fs::write(root.join("exercises/Bad_Slug/exercise.toml"), "").unwrap();
    let out = env
        .kata()
        .arg("verify")
        .arg("--catalog")
        .arg(&root)
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "{}:7: unterminated list",
            root.join("exercises/bad-one/cases.txt").display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}: invalid exercise slug `Bad_Slug`",
            root.join("exercises/Bad_Slug").display()
        )),
        "{text}"
    );
}

#[test]
fn a_slug_that_climbs_out_is_unknown_and_writes_nothing() {
    let env = Env::new();
    std::fs::create_dir_all(env.workspace()).unwrap();
    for slug in ["../../escape", "../python", "/tmp/x", "lru-cache/../../x"] {
        let out = env.kata().args(["start", slug]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{slug}");
        assert!(
            stderr(&out).contains("unknown exercise"),
            "{slug}: {}",
            stderr(&out)
        );
    }
    let entries: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 1, "only the workspace exists: {entries:?}");
}

#[test]
fn ctrl_c_during_a_check_kills_the_learners_processes() {
    let (env, file) = python_case(
        "class LRUCache:\n    def __init__(self, capacity):\n        while True:\n            pass\n",
    );
    env.write_settings("timeout_secs = 60\n");
    interrupt_once_running(
        &env,
        &cache_dir(),
        &["check", "lru-cache"],
        &file.display().to_string(),
    );
}

/// Starts `kata ARGS`, waits until a process whose command line holds `needle` runs, sends
/// kata SIGINT (Ctrl-C), and checks that kata exits 130 at once, taking that process with it.
fn interrupt_once_running(env: &Env, cache: &std::path::Path, args: &[&str], needle: &str) {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_kata"))
            .env("NO_COLOR", "1")
            .env("KATA_CACHE_DIR", cache)
            .arg("--workspace")
            .arg(env.workspace())
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while processes_running(needle) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(processes_running(needle) > 0, "{needle} never started");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let started = Instant::now();
    let status = child.wait().unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(status.code(), Some(130));
    assert!(
        eventually(|| processes_running(needle) == 0),
        "{needle} outlived kata"
    );
}

#[test]
fn huge_return_values_and_output_give_a_readable_report() {
    let source = reference_with_get(
        "        if key == 3:\n            print('y' * 2000)\n            return 'x' * 1_000_000\n",
    );
    let (env, _file) = python_case(&source);
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.len() < 64 * 1024, "{} bytes", out.stdout.len());
    assert!(stdout(&out).contains("more bytes)"), "{}", stdout(&out));
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    assert!(out.stdout.len() < 256 * 1024, "{} bytes", out.stdout.len());
    let report = json(&out);
    let failing = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["status"] != "pass")
        .unwrap();
    let output = failing["output"].as_str().unwrap();
    assert!(
        output.ends_with("[output truncated to 500 characters]"),
        "{output}"
    );
    assert!(output.chars().count() < 560);
}

#[test]
fn reset_that_cannot_write_the_starter_leaves_the_learners_file_whole() {
    let env = Env::new();
    let file = env.start("task-scheduler", "rust");
    let mine = "// my work\n";
    std::fs::write(&file, mine).unwrap();
    // A 1 KiB file-size limit: the backup (11 bytes) fits, the starter (several KiB) does not.
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 1 && exec '{}' --workspace '{}' reset task-scheduler --lang rust",
            env!("CARGO_BIN_EXE_kata"),
            env.workspace().display()
        ))
        .env("KATA_CACHE_DIR", env.dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), mine);
}

#[test]
fn a_runaway_rust_build_hits_the_build_limit_and_ctrl_c_stops_it() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    // 2^24 macro expansions: rustc would take minutes.
    let bomb = "\nmacro_rules! b { () => {}; (x $($r:tt)*) => { b!($($r)*); b!($($r)*); }; }\n\
                #[allow(dead_code)]\nfn bomb() { b!(x x x x x x x x x x x x x x x x x x x x x x x x); }\n";
    std::fs::write(&file, solution("lru-cache/rust/reference.rs") + bomb).unwrap();
    let cache = env.dir.path().join("cache");
    env.write_settings("build_timeout_secs = 1\n");
    let started = Instant::now();
    let out = env
        .kata()
        .env("KATA_CACHE_DIR", &cache)
        .args(["check", "lru-cache", "--lang", "rust"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("error: rustc did not finish within 1 s (build_timeout_secs in kata.toml)"),
        "{}",
        stdout(&out)
    );

    env.write_settings("build_timeout_secs = 120\n");
    interrupt_once_running(
        &env,
        &cache,
        &["check", "lru-cache", "--lang", "rust"],
        &cache.display().to_string(),
    );
}

#[test]
fn a_module_without_the_class_names_what_is_missing() {
    let (env, _) = python_case("class LruCache:  # the right module, the wrong name\n    pass\n");
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("lru_cache.py does not define `LRUCache`"),
        "{}",
        stdout(&out)
    );
}

/// Learner code that finds kata's results channel among its open files and forges an early
/// end: the check fails and says the results did not come from kata's driver.
#[test]
fn forged_results_never_pass() {
    let forge = "
import os
def _forge():
    for fd in os.listdir('/proc/self/fd'):
        try:
            target = os.readlink('/proc/self/fd/' + fd)
        except OSError:
            continue
        if 'results.jsonl' in target:
            os.write(int(fd), b'{\"t\":\"case\",\"i\":5}\\n{\"t\":\"done\"}\\n')
            os._exit(0)
_forge()
";
    let (env, _) = python_case(&(solution("lru-cache/python/reference.py") + forge));
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("the results did not come from kata's driver as they should"),
        "{}",
        stdout(&out)
    );

    // A `done` of its own on fd 0 (stdin, where the channel arrives) goes nowhere: by the time
    // the learner's code runs, fd 0 reads /dev/null.
    let (env, _) = python_case(
        &(solution("lru-cache/python/reference.py")
            + "\nimport os\ntry:\n    os.write(0, b'{\"t\":\"done\"}\\n')\nexcept OSError:\n    pass\nos._exit(0)\n"),
    );
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("your code ended the process (exit code 0)"),
        "{}",
        stdout(&out)
    );
}

/// The Rust attack from the issue: write a `done` where the results go, then exit with 0.
#[test]
fn a_rust_solution_that_forges_done_and_exits_fails() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let forging = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        use std::io::Write;\n        use std::os::fd::AsFd;\n        if let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() {\n            let _ = std::fs::File::from(fd).write_all(b\"{\\\"t\\\":\\\"done\\\"}\\n\");\n        }\n        for arg in std::env::args().skip(1) {\n            let _ = std::fs::OpenOptions::new().append(true).open(&arg).and_then(|mut f| f.write_all(b\"{\\\"t\\\":\\\"done\\\"}\\n\"));\n        }\n        std::process::exit(0);\n",
    );
    std::fs::write(&file, forging).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("ended the process (exit code 0) during `len`"),
        "{}",
        stdout(&out)
    );
}

/// The attack from the issue: an O(n) cache that replaces the harness's timing through
/// `sys.modules` still gets the O(n) verdict: kata's harness times the batches itself with a
/// clock bound before the learner's module loads.
#[test]
fn a_solution_cannot_replace_the_probes_timing() {
    let (slow, _) = mutant("lru-cache", "python", "list_based_o_n");
    let patched = slow
        + "\nimport sys\nfor name in ('measure', '_measure', 'run_probe'):\n    setattr(sys.modules['kata_harness'], name, lambda *a, **k: (1.0, '0' * 16))\nimport time\ntime.perf_counter_ns = lambda: 0\n";
    let (env, _) = python_case(&patched);
    env.write_settings("timeout_secs = 20\n");
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // O(n) either way: measured as such, or too slow to finish measuring on a busy machine.
    assert!(text.contains("✗ complexity: get/put"), "{text}");
    assert!(!text.contains("consistent with O(1)"), "{text}");
}

/// A solution that answers correctly while small but cuts corners when it is big (where only
/// the probe looks) fails: the probe's results do not match the reference's digest.
#[test]
fn a_solution_that_behaves_differently_when_measured_fails() {
    let (env, _) = python_case(&reference_with_get(
        "        if len(self) > 50000:\n            return -1\n",
    ));
    env.write_settings("timeout_secs = 20\n");
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("✓ all 30 cases passed"), "{text}");
    assert!(
        text.contains("returned different results than the reference while being measured with a cache of 100,000"),
        "{text}"
    );
}

/// `check --json` reveals no more of the hidden cases than the text report: the visible
/// examples and the first failing case in full, the others by name and status only.
#[test]
fn json_reveals_no_more_hidden_cases_than_the_report() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    let report = json(&out);
    let tests = report["tests"].as_array().unwrap();
    let full: Vec<&str> = tests
        .iter()
        .filter(|t| {
            t["test_code"]
                .as_str()
                .is_some_and(|code| !code.starts_with("complexity probe"))
        })
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        full,
        ["basic_put_get", "eviction_order", "recency_on_get"],
        "examples only (the first failing case is one of them)"
    );
    let hidden = tests.iter().find(|t| t["name"] == "capacity_one").unwrap();
    assert!(
        hidden["expected"].is_null() && hidden["hint"].is_null(),
        "{hidden}"
    );
    assert_eq!(hidden["status"], "error");
}
