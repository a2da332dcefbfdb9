//! After the pass: `kata review` (refused before a pass, recorded after), what a pass says to
//! do next, and watch mode's offer to move on.

use crate::common::*;
use std::time::{Duration, Instant};

fn log_lines(env: &Env) -> Vec<serde_json::Value> {
    std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn review_is_refused_before_a_pass_and_recorded_after_one() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let out = env.kata().args(["review"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("lru-cache (python) is not solved yet"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).is_empty(),
        "nothing of the reference before a pass"
    );
    assert!(log_lines(&env).iter().all(|e| e["event"] != "review"));

    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    env.kata().args(["check"]).assert().success();
    let out = env.kata().args(["review", "lru-cache"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("yours: lru_cache.py and reference are the same, line for line"),
        "{text}"
    );
    assert!(text.contains("OrderedDict"), "the trade-off notes: {text}");
    assert!(
        !text.contains("Rc<RefCell"),
        "only the Python notes: {text}"
    );
    assert!(text.contains("get_put_scaling: get/put"), "{text}");
    let last = log_lines(&env).pop().unwrap();
    assert_eq!(last["event"], "review");
    assert_eq!(last["slug"], "lru-cache");
    let stats = json(&env.kata().args(["stats", "--json"]).output().unwrap());
    assert_eq!(stats["exercises"][0]["reviews"], 1);
}

#[test]
fn a_pass_names_the_next_exercise_in_text_and_json() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let failing = json(&env.kata().args(["check", "--json"]).output().unwrap());
    assert!(failing["kata"].get("next").is_none(), "{failing}");
    // The last pass, after one per follow-up, ends the exercise.
    let out = pass_every_stage(&env, &file, "lru-cache", "python");
    let text = stdout(&out);
    let checks = 2 + stage_count("lru-cache");
    assert!(text.contains(&format!("over {checks} checks\n")), "{text}");
    assert!(text.contains("  review  kata review lru-cache "), "{text}");
    let next = text.lines().find(|l| l.starts_with("  next    ")).unwrap();
    // The JSON report stays pure JSON: the lines are not in it, the recommendation is.
    let report = json(&env.kata().args(["check", "--json"]).output().unwrap());
    let command = report["kata"]["next"]["command"].as_str().unwrap();
    assert!(command.starts_with("kata start "), "{report}");
    assert!(next.contains(command), "{next} / {command}");
}

/// On a terminal (util-linux `script` gives kata a pseudo-terminal, and forwards what the test
/// writes as keypresses), a pass in watch mode offers the next exercise; `n` starts it and the
/// watch moves there; Ctrl-C still stops it.
#[test]
#[cfg(target_os = "linux")]
fn on_a_terminal_n_after_a_pass_moves_the_watch_to_the_next_exercise() {
    use std::io::Write;
    use std::process::Stdio;
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    pass_every_stage(&env, &file, "lru-cache", "python");
    let command = format!(
        "'{}' --workspace '{}' watch lru-cache",
        env!("CARGO_BIN_EXE_kata"),
        env.workspace().display()
    );
    let mut child = Running(
        std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env_remove("KATA_WORKSPACE")
            .env_remove("KATA_CATALOG")
            .env("NO_COLOR", "1")
            .env("HOME", env.home())
            .env("KATA_CACHE_DIR", cache_dir())
            .current_dir(env.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("util-linux `script` runs the watch on a pseudo-terminal"),
    );
    let rx = lines_of(&mut child);
    let mut seen = Vec::new();
    wait_for(&rx, "press n to start the next exercise, ", &mut seen);
    let offer = seen.last().unwrap().clone();
    let next = offer
        .split("next exercise, ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_string();
    let mut keys = child.stdin.take().unwrap();
    // Any other key is ignored; `n` takes the offer.
    keys.write_all(b"x").unwrap();
    keys.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    keys.write_all(b"n").unwrap();
    keys.flush().unwrap();
    wait_for(&rx, &format!("started {next} (python): edit "), &mut seen);
    let module = next.replace('-', "_");
    assert!(env
        .workspace()
        .join(format!("python/{next}/{module}.py"))
        .is_file());
    let started = log_lines(&env)
        .iter()
        .any(|e| e["event"] == "start" && e["slug"] == next.as_str());
    assert!(started, "the move is recorded as a start");
    // Ctrl-C reaches kata through the terminal; it stops with the last check's status.
    keys.write_all(b"\x03").unwrap();
    keys.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "{}", seen.join("\n"));
        std::thread::sleep(Duration::from_millis(100));
    }
    let shown = seen.join("\n");
    assert!(
        shown.contains(&format!("run 1 ✗ {next} (python)")),
        "{shown}"
    );
}
