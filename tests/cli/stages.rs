//! Follow-up stages on the fixture catalog (min-stack, then "the maximum too"): a pass opens
//! the next stage (its prompt under the report, its rules appended to the README), a check
//! grades the current stage and every earlier one, `--stage N` grades one alone, and progress
//! shows stages passed.

use crate::common::*;
use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalog")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn kata(env: &Env) -> assert_cmd::Command {
    let mut cmd = env.kata();
    cmd.env(
        "KATA_CATALOG",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog"),
    );
    cmd
}

fn start(env: &Env) -> PathBuf {
    kata(env)
        .args(["start", "min-stack", "--lang", "python"])
        .assert()
        .success();
    env.workspace().join("python/min-stack/min_stack.py")
}

#[test]
fn a_pass_opens_the_next_stage_and_a_check_grades_every_stage_so_far() {
    let env = Env::new();
    let file = start(&env);
    let readme = file.with_file_name("README.md");
    std::fs::write(&file, fixture("solutions/min-stack/python/reference.py")).unwrap();
    let before = std::fs::read_to_string(&readme).unwrap();

    let out = kata(&env).arg("check").output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Follow-up 1 of 1: The maximum too"), "{text}");
    let after = std::fs::read_to_string(&readme).unwrap();
    assert!(after.starts_with(&before), "the README is only appended to");
    assert!(
        after.contains("## Follow-up 1 of 1: The maximum too"),
        "{after}"
    );
    assert!(after.contains("IndexError when empty"), "{after}");
    assert_eq!(after.matches("<!-- kata: follow-up 1 -->").count(), 1);

    // The same code now fails: the follow-up's cases are graded too, and named as such.
    let out = kata(&env).arg("check").output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("(follow-up 1, case 7 of 8)"), "{text}");
    // The exercise alone still passes (a look, not a solve), and the README is not appended
    // to twice.
    let out = kata(&env).args(["check", "--stage", "0"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("The base exercise passes on its own"),
        "{text}"
    );
    assert!(!text.contains("solved in"), "{text}");
    assert_eq!(
        std::fs::read_to_string(&readme)
            .unwrap()
            .matches("## Follow-up 1")
            .count(),
        1
    );
    let out = kata(&env).args(["check", "--stage", "3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("there is no stage 3"),
        "{}",
        stderr(&out)
    );

    let out = kata(&env).arg("list").output().unwrap();
    assert!(stdout(&out).contains("solved 1/2"), "{}", stdout(&out));
    let out = kata(&env).arg("hint").output().unwrap();
    assert!(
        stdout(&out).contains("Whatever you keep for the minimum works for the maximum."),
        "the follow-up's own hints: {}",
        stdout(&out)
    );

    std::fs::write(
        &file,
        fixture("solutions/min-stack/python/stages/1-max/reference.py"),
    )
    .unwrap();
    let out = kata(&env).arg("check").output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("all 8 cases passed"), "{text}");
    assert!(
        !text.contains("Follow-up"),
        "the last stage opens nothing: {text}"
    );
    let out = kata(&env).arg("list").output().unwrap();
    assert!(stdout(&out).contains("solved 2/2"), "{}", stdout(&out));
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    assert!(
        log.contains("\"stage\":1,\"stage_only\":false") || log.contains("\"stage\":1}"),
        "{log}"
    );
    assert!(log.contains("\"stage_only\":true"), "{log}");
    let out = kata(&env).args(["stats", "--json"]).output().unwrap();
    assert_eq!(json(&out)["stages_solved"], 1);
    let out = kata(&env)
        .args(["solution", "min-stack", "--lang", "python"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("def max(self)"),
        "the stage's reference: {}",
        stdout(&out)
    );
}

#[test]
fn a_timed_start_on_a_follow_up_uses_the_follow_ups_budget() {
    let env = Env::new();
    let file = start(&env);
    std::fs::write(&file, fixture("solutions/min-stack/python/reference.py")).unwrap();
    kata(&env).args(["check"]).assert().code(0);
    let out = kata(&env)
        .args(["start", "min-stack", "--lang", "python", "--timed"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // the exercise's budget is 15 minutes, the follow-up's 5
    assert!(
        text.contains("for min-stack (python, follow-up 1): 5 minutes from now"),
        "{text}"
    );
    let out = kata(&env).args(["check"]).output().unwrap();
    assert!(stdout(&out).contains("used of 5:00"), "{}", stdout(&out));
}
