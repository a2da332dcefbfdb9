//! Everyday use: watch mode, colour, completions, the man page, errors people can act on.

use crate::common::*;
use std::process::Stdio;
use std::time::Duration;

fn has_escapes(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn piped_output_has_no_escape_codes_unless_forced() {
    let env = Env::new();
    env.start("lru-cache", "python");
    // NO_COLOR is set by Env::kata.
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(!has_escapes(&out.stdout) && !has_escapes(&out.stderr));
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .args(["check"])
        .output()
        .unwrap();
    assert!(!has_escapes(&out.stdout), "piped stdout is plain");
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .args(["list"])
        .output()
        .unwrap();
    assert!(!has_escapes(&out.stdout));
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "check"])
        .output()
        .unwrap();
    assert!(has_escapes(&out.stdout), "--color always colours a pipe");
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check"])
        .output()
        .unwrap();
    assert!(has_escapes(&out.stdout), "CLICOLOR_FORCE colours a pipe");
    let out = env
        .kata()
        .args(["--color", "never", "check", "--json"])
        .output()
        .unwrap();
    assert!(!has_escapes(&out.stdout) && !has_escapes(&out.stderr));
}

#[test]
fn rust_diagnostics_are_plain_when_piped_and_coloured_when_forced() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    std::fs::write(
        &file,
        "pub struct LruCache;\nfn broken() -> u32 { \"no\" }\n",
    )
    .unwrap();
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .args(["check"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("mismatched types"),
        "{}",
        stdout(&out)
    );
    assert!(!has_escapes(&out.stdout));
    let out = env
        .kata()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "check"])
        .output()
        .unwrap();
    assert!(has_escapes(&out.stdout));
}

#[test]
fn usage_errors_are_one_line_with_exit_code_2() {
    let env = Env::new();
    std::fs::create_dir_all(env.home()).unwrap();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["start", "lru-cahce"],
            "error: unknown exercise `lru-cahce`: did you mean `lru-cache`? (`kata list` shows them all)".into(),
        ),
        (
            vec!["chek"],
            "error: unknown command `chek`: did you mean `check`? (`kata --help` lists the commands)".into(),
        ),
        (
            vec!["start"],
            "error: missing <SLUG> (usage: kata start <SLUG>)".into(),
        ),
        (
            vec!["check", "--lang"],
            "error: `--lang` needs a value (possible values: python, rust)".into(),
        ),
        (
            vec!["start", "retry", "--timed", "abc"],
            "error: invalid value `abc` for `--timed`: invalid digit found in string".into(),
        ),
        (
            vec!["check", "--bogus"],
            "error: unexpected argument `--bogus` (usage: kata check [OPTIONS] [SLUG])".into(),
        ),
        (
            vec!["start", "lru-cache", "--lang", "pyhton"],
            "error: invalid value `pyhton` for `--lang`: did you mean `python`? (possible values: python, rust)".into(),
        ),
        (
            vec!["check"],
            format!(
                "error: no exercise given and none started in `{}`: pass a slug (e.g. `kata check lru-cache`) or run `kata start SLUG` first",
                env.workspace().display()
            ),
        ),
        (
            vec!["check", "lru-cache"],
            format!(
                "error: lru-cache (python) is not started in `{}`: run `kata start lru-cache --lang python` first",
                env.workspace().display()
            ),
        ),
    ];
    for (args, message) in cases {
        let out = env.kata().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out).trim_end(), message, "{args:?}");
        assert_eq!(stderr(&out).trim_end().lines().count(), 1, "{args:?}");
    }
}

#[test]
fn start_on_existing_work_points_at_reset() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env.kata().args(["start", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        format!(
            "error: lru-cache (python) is already started in `{}`: keep working there, or run `kata reset lru-cache --lang python` to restore the starter (your file is backed up first)",
            env.workspace().join("python/lru-cache").display()
        )
    );
}

#[test]
fn missing_rustc_names_what_to_install() {
    let env = Env::new();
    env.start("lru-cache", "rust");
    let out = env
        .kata()
        .env("PATH", env.dir.path())
        .args(["check", "lru-cache", "--lang", "rust"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: `rustc` not found: install Rust with rustup (https://rustup.rs), then open a new shell so it is on PATH"
    );
}

#[test]
fn rustc_that_cannot_run_is_a_toolchain_error_not_a_compile_error() {
    // What rustup's proxy does when no default toolchain is configured.
    let env = Env::new();
    env.start("lru-cache", "rust");
    let bin = env.dir.path().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let rustc = bin.join("rustc");
    std::fs::write(
        &rustc,
        "#!/bin/sh\necho \"error: rustup could not choose a version of rustc to run\" >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&rustc, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = env
        .kata()
        .env("PATH", &bin)
        .args(["check", "lru-cache", "--lang", "rust"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.trim_end().ends_with(
            "failed without compiling anything (exit status: 1): rustup could not choose a version of rustc to run"
        ),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

#[test]
fn missing_linker_is_a_toolchain_error() {
    let env = Env::new();
    env.start("lru-cache", "rust");
    let sysroot = std::process::Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let sysroot = String::from_utf8(sysroot.stdout).unwrap();
    let bin = env.dir.path().join("only-rustc");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        std::path::Path::new(sysroot.trim()).join("bin/rustc"),
        bin.join("rustc"),
    )
    .unwrap();
    let out = env
        .kata()
        .env("PATH", &bin)
        .env("KATA_CACHE_DIR", env.dir.path().join("cache"))
        .args(["check", "lru-cache", "--lang", "rust"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: linker `cc` not found: install a C toolchain that provides `cc` (Debian/Ubuntu: `apt install build-essential`, macOS: `xcode-select --install`)"
    );
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = env.kata().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains("kata") && text.contains("COMPLETE"),
            "{shell}: {text}"
        );
    }
    // The shell calls back into kata, which completes slugs from its catalog and languages
    // from their values.
    let complete = |words: &[&str]| {
        let out = env
            .kata_env(assert_cmd::Command::new(env!("CARGO_BIN_EXE_kata")))
            .env("COMPLETE", "fish")
            .arg("--")
            .args(words)
            .output()
            .unwrap();
        stdout(&out)
    };
    assert_eq!(complete(&["kata", "start", "lr"]), "lru-cache\tLRU cache\n");
    assert!(complete(&["kata", "check", "task"]).contains("task-scheduler"));
    assert_eq!(complete(&["kata", "check", "--lang", ""]), "python\nrust\n");
    assert!(complete(&["kata", "ver"]).contains("verify"));
    let out = env.kata().args(["man"]).output().unwrap();
    assert!(stdout(&out).starts_with(".ie"), "{}", stdout(&out));
    assert!(stdout(&out).contains(".TH kata 1"));
}

#[test]
fn list_filters_marks_the_current_exercise_and_totals() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env
        .kata()
        .args(["list", "--status", "started"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("*  lru-cache"), "{text}");
    assert!(
        text.contains(
            "1 exercise (python: 0 solved, 1 started, 0 new; rust: 0 solved, 0 started, 1 new)"
        ),
        "{text}"
    );
    assert!(text.contains("* current: lru-cache (python)"), "{text}");
    let out = env
        .kata()
        .args(["list", "--difficulty", "hard", "--lang", "rust"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("task-scheduler"), "{text}");
    assert!(!text.contains("LRU cache"), "{text}");
    let out = env
        .kata()
        .args(["list", "--topic", "caching"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("lru-cache"));
    assert!(!stdout(&out).contains("retry "));
    let out = env
        .kata()
        .args(["list", "--topic", "cachng"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .starts_with("error: unknown topic `cachng`: did you mean `caching`? (topics: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// Reads stdout lines on a thread so the test can wait for them with a deadline.
#[test]
fn watch_mode_rechecks_on_every_save_and_stops_on_ctrl_c() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let mut child = Running(
        std::process::Command::new(env!("CARGO_BIN_EXE_kata"))
            .env("NO_COLOR", "1")
            .env("HOME", env.home())
            .env("KATA_CACHE_DIR", cache_dir())
            .args(["--workspace"])
            .arg(env.workspace())
            .args(["check", "lru-cache", "--watch"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let rx = lines_of(&mut child);
    let mut seen = Vec::new();
    wait_for(&rx, "30 of 30 cases failed; probe", &mut seen);
    std::thread::sleep(Duration::from_millis(300));
    // The last stage's reference passes whichever stages the watch has opened by then.
    std::fs::write(&file, final_reference("lru-cache", "python")).unwrap();
    wait_for(&rx, "✓ lru-cache (python): all ", &mut seen);
    // Editors that save by rename: the file disappears, then comes back.
    std::fs::remove_file(&file).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    std::fs::write(&file, mutant("lru-cache", "python", "evicts_most_recent").0).unwrap();
    wait_for(&rx, "] run 3 ✗ lru-cache (python)", &mut seen);
    // `git stash` and `git checkout` remove the whole folder and bring it back.
    let dir = file.parent().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    std::fs::create_dir(dir).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    std::fs::write(&file, final_reference("lru-cache", "python")).unwrap();
    wait_for(&rx, "] run 4 ✓ lru-cache (python): all ", &mut seen);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(0),
        "exit status is the last check's: {}",
        seen.join("\n")
    );
    // Not a terminal: passes are never followed by an offer to move on.
    assert!(
        !seen.iter().any(|l| l.contains("press n")),
        "{}",
        seen.join("\n")
    );
    let verdicts = seen.iter().filter(|l| l.contains("] run ")).count();
    assert!((4..=5).contains(&verdicts), "{}", seen.join("\n"));
}

#[test]
#[cfg(target_os = "linux")] // util-linux `script` provides the pseudo-terminal
fn the_spinner_shows_its_steps_on_a_terminal_and_nowhere_else() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    pass_every_stage(&env, &file, "lru-cache", "python");
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    // On a terminal (util-linux `script` gives the check a pseudo-terminal).
    let command = format!(
        "'{}' --workspace '{}' check lru-cache",
        env!("CARGO_BIN_EXE_kata"),
        env.workspace().display()
    );
    let out = env
        .kata_env(assert_cmd::Command::new("script"))
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux `script` runs the check on a pseudo-terminal");
    let text = stdout(&out);
    assert!(text.contains("lru-cache (python): running "), "{text}");
    assert!(text.contains(" cases passed; probe"), "{text}");
}
