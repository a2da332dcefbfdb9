//! Commands around the check: start, list, hint, workspace resolution, errors.

use crate::common::*;

#[test]
fn unknown_slug_gets_a_suggestion_and_exit_code_2() {
    let env = Env::new();
    let out = env.kata().args(["start", "lru-cahce"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim(),
        "error: unknown exercise `lru-cahce`: did you mean `lru-cache`? (`kata list` shows them all)"
    );
}

#[test]
fn start_never_overwrites_and_points_at_reset() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, "# my work\n").unwrap();
    let out = env.kata().args(["start", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is already started"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("kata reset lru-cache"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# my work\n");
}

#[test]
fn start_scaffolds_statement_examples_and_settings() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let dir = env.workspace().join("python/lru-cache");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("class LRUCache:"));
    assert!(!readme.contains("impl LruCache"), "rust section leaked");
    assert!(readme.contains("### recency_on_get"));
    assert!(dir.join("test_examples.py").is_file());
    assert!(env.workspace().join("kata.toml").is_file());
    env.start("lru-cache", "rust");
    let rust = env.workspace().join("rust/lru-cache");
    assert!(rust.join("Cargo.toml").is_file());
    assert!(rust.join("tests/examples.rs").is_file());
}

#[test]
fn default_workspace_is_home_kata_and_check_infers_the_exercise() {
    let env = Env::new();
    let kata = || {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_kata"));
        cmd.env_remove("KATA_WORKSPACE")
            .env("NO_COLOR", "1")
            .env("HOME", env.home())
            .env("KATA_CACHE_DIR", cache_dir())
            .current_dir(env.dir.path());
        cmd
    };
    std::fs::create_dir_all(env.home()).unwrap();
    let out = kata().args(["start", "lru-cache"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("created workspace"),
        "{}",
        stderr(&out)
    );
    assert!(env
        .home()
        .join("kata/python/lru-cache/lru_cache.py")
        .is_file());
    // No slug: the most recently started exercise.
    let out = kata().args(["check", "--json"]).output().unwrap();
    assert_eq!(json(&out)["kata"]["slug"], "lru-cache");
    // Inside the exercise folder the nearest kata.toml is the workspace.
    let out = kata()
        .current_dir(env.home().join("kata/python/lru-cache"))
        .args(["check", "--json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["kata"]["language"], "python");
}

#[test]
fn check_before_start_is_a_clear_error() {
    let env = Env::new();
    std::fs::create_dir_all(env.workspace()).unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("lru-cache (python) is not started"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_deleted_solution_file_is_named_and_reset_brings_the_starter_back() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::remove_file(&file).unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("lru_cache.py` is missing: `kata reset lru-cache --lang python` writes the starter again"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let out = env.kata().args(["reset", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("There was no file to save"),
        "{}",
        stdout(&out)
    );
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("class LRUCache"));
}

#[test]
fn hints_are_progressive_and_recorded() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let first = env.kata().args(["hint", "lru-cache"]).output().unwrap();
    assert!(
        stdout(&first).starts_with("hint 1 of 3:"),
        "{}",
        stdout(&first)
    );
    let second = env.kata().args(["hint"]).output().unwrap();
    assert!(
        stdout(&second).starts_with("hint 2 of 3:"),
        "{}",
        stdout(&second)
    );
    env.kata().args(["hint"]).assert().success();
    let all = env.kata().args(["hint"]).output().unwrap();
    assert!(stdout(&all).starts_with("All 3 hints"), "{}", stdout(&all));
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("\"event\":\"hint\""))
            .count(),
        3
    );
}

#[test]
fn list_shows_status_per_language() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    env.kata().args(["check"]).assert().success();
    let out = env.kata().args(["list"]).output().unwrap();
    let text = stdout(&out);
    let row = text.lines().find(|l| l.contains("lru-cache ")).unwrap();
    assert!(row.contains("solved"), "{text}");
    assert!(row.trim_end().ends_with("new"), "{text}");
}

#[test]
fn settings_syntax_error_names_file_and_line() {
    let env = Env::new();
    env.write_settings("language = \"python\"\ntimeout_secs = [\n");
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("kata.toml:2:"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // `list` still shows the catalog, and says why every status is "new".
    let out = env.kata().args(["list"]).output().unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("warning: every status shows as new: ") && err.contains("kata.toml:2:"),
        "{err}"
    );
}

#[test]
fn limits_in_settings_outside_their_range_are_one_line_errors() {
    let env = Env::new();
    for (line, value, range) in [
        ("timeout_secs = inf", "inf", "600"),
        ("timeout_secs = nan", "nan", "600"),
        ("timeout_secs = 1e308", "1e308", "600"),
        ("timeout_secs = 0", "0", "600"),
        ("timeout_secs = -5", "-5", "600"),
        ("build_timeout_secs = -inf", "-inf", "3600"),
        ("build_timeout_secs = 0.0", "0", "3600"),
        ("build_timeout_secs = 86400", "86400", "3600"),
    ] {
        env.write_settings(&format!("{line}\n"));
        let key = line.split(' ').next().unwrap();
        for args in [&["check", "lru-cache"][..], &["start", "lru-cache"]] {
            let out = env.kata().args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{line}: {args:?}");
            assert_eq!(
                stderr(&out),
                format!("error: `{key}` in kata.toml is {value}: use a number of seconds in (0, {range}]\n"),
                "{line}: {args:?}"
            );
        }
    }
    env.write_settings("timeout_secs = 600\nbuild_timeout_secs = 0.5\n");
    env.kata().args(["start", "lru-cache"]).assert().success();
}

#[test]
fn missing_python_names_what_to_install() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env
        .kata()
        .env("PATH", env.dir.path())
        .args(["check", "lru-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: `python3` not found: install Python 3.8 or newer (e.g. `apt install python3`), or point `python` in kata.toml (or KATA_PYTHON) at an interpreter"
    );
}

#[test]
fn reset_backs_up_the_learners_file_first() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let starter = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, "# my precious work\n").unwrap();
    let out = env.kata().args(["reset", "lru-cache"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), starter);
    let saved = stdout(&out)
        .lines()
        .find_map(|l| l.strip_prefix("Your previous file is saved as "))
        .map(std::path::PathBuf::from)
        .expect("names the backup");
    assert!(saved.starts_with(env.workspace().join(".kata/backups")));
    assert_eq!(
        std::fs::read_to_string(saved).unwrap(),
        "# my precious work\n"
    );
    // A second reset keeps both copies.
    env.kata().args(["reset", "lru-cache"]).assert().success();
    let backups = std::fs::read_dir(env.workspace().join(".kata/backups"))
        .unwrap()
        .count();
    assert_eq!(backups, 2);
}

#[test]
fn solution_is_gated_until_solved_or_revealed() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let out = env.kata().args(["solution", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--reveal"), "{}", stderr(&out));
    let out = env
        .kata()
        .args(["solution", "lru-cache", "--reveal"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&out), solution("lru-cache/python/reference.py"));
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    assert!(log.contains("\"event\":\"reveal\""));
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    env.kata().args(["check"]).assert().success();
    env.kata()
        .args(["solution", "lru-cache"])
        .assert()
        .success();
}

#[test]
fn a_case_is_printed_or_exported_into_the_visible_tests() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    let out = env.kata().args(["case", "capacity_one"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("def test_capacity_one(self):"),
        "{}",
        stdout(&out)
    );
    let tests = file.with_file_name("test_examples.py");
    let before = std::fs::read_to_string(&tests).unwrap();
    let out = env
        .kata()
        .args(["case", "capacity_one", "--export"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(&tests).unwrap();
    assert!(after.contains("cache = LRUCache(1)"), "{after}");
    assert!(
        after.trim_end().ends_with("unittest.main()"),
        "still runnable as a script"
    );
    // The learner's previous file is kept, and the new test runs as they would run it.
    let backups: Vec<_> = std::fs::read_dir(env.workspace().join(".kata/backups"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(backups.contains(&before));
    let run = std::process::Command::new("python3")
        .args(["-m", "unittest", "-q"])
        .current_dir(file.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Exported twice is refused; an unknown case gets a suggestion.
    let out = env
        .kata()
        .args(["case", "capacity_one", "--export"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env.kata().args(["case", "capacity_on"]).output().unwrap();
    assert!(
        stderr(&out).contains("did you mean `capacity_one`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_scenario_case_cannot_be_exported_and_says_how_to_replay_it() {
    let env = Env::new();
    env.start("singleton", "python");
    let out = env.kata().args(["case", "race_of_two"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(
        text.contains("case `race_of_two` uses `race`, which only kata's driver runs"),
        "{text}"
    );
    assert!(text.contains("`kata check --case race_of_two`"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
}
