//! Progress that lasts: the event log, stats, next, timed mode.

use crate::common::*;

fn at(env: &Env, time: &str) -> assert_cmd::Command {
    let mut cmd = env.kata();
    cmd.env("KATA_NOW", time).env("TZ", "UTC");
    cmd
}

#[test]
fn stats_of_a_scripted_session_are_exact() {
    let env = Env::new();
    at(&env, "2026-11-20T10:00:00Z")
        .args(["start", "lru-cache", "--timed", "20"])
        .assert()
        .success();
    let file = env.workspace().join("python/lru-cache/lru_cache.py");
    at(&env, "2026-11-20T10:05:00Z")
        .args(["check"])
        .assert()
        .code(1);
    at(&env, "2026-11-20T10:06:00Z")
        .args(["hint"])
        .assert()
        .success();
    let almost = solution("lru-cache/python/reference.py").replace(
        "if len(self.nodes) == self.capacity:",
        "if len(self.nodes) == self.capacity + 1:",
    );
    std::fs::write(&file, almost).unwrap();
    let out = at(&env, "2026-11-20T10:10:00Z")
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("interview clock: 10:00 used of 20:00"),
        "{}",
        stdout(&out)
    );
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    let out = at(&env, "2026-11-20T10:12:30Z")
        .args(["check"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("solved in 12:30 of your 20:00 interview clock"),
        "{}",
        stdout(&out)
    );

    let out = at(&env, "2026-11-21T08:00:00Z")
        .args(["stats", "--json"])
        .output()
        .unwrap();
    let stats = json(&out);
    let lru = &stats["exercises"][0];
    assert_eq!(lru["slug"], "lru-cache");
    assert_eq!(lru["checks"], 3);
    assert_eq!(lru["attempts_to_pass"], 3);
    assert_eq!(lru["seconds_to_pass"], 750);
    assert_eq!(lru["hints"], 1);
    assert_eq!(lru["peeked"], false);
    assert_eq!(lru["timed_minutes"], 20);
    assert_eq!(lru["solved_within_budget"], true);
    assert_eq!(stats["languages"][0]["name"], "python");
    assert_eq!(stats["languages"][0]["solved"], 1);
    assert_eq!(stats["languages"][0]["started"], 1);
    assert_eq!(stats["current_streak"], 1);
    assert_eq!(stats["longest_streak"], 1);
    let days: Vec<u64> = stats["last_7_days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["checks"].as_u64().unwrap())
        .collect();
    assert_eq!(days, vec![0, 0, 0, 0, 0, 3, 0]);
    assert_eq!(stats["events"], 5);

    let text = stdout(
        &at(&env, "2026-11-21T08:00:00Z")
            .args(["stats"])
            .output()
            .unwrap(),
    );
    assert!(
        text.contains(
            "lru-cache  python  3       0      run 3       1      no      0        20 min: within"
        ),
        "{text}"
    );
    assert!(
        text.contains("  12 min, at run 3, within the 20 min clock\n"),
        "{text}"
    );
    assert!(
        text.contains("Progress in ") && text.contains("(5 events): 3 checks, 0 watch re-runs"),
        "{text}"
    );
    assert!(text.contains("streak: 1 day (longest 1 day)"), "{text}");
}

#[test]
fn damaged_lines_are_reported_skipped_and_kept() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let log = env.workspace().join(".kata/progress.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("this is not json\n{\"v\":7,\"ts\":\"2030-01-01T00:00:00Z\",\"event\":\"levitate\",\"slug\":\"x\",\"lang\":\"python\"}\n{\"v\":1,\"ts\":\"2026-");
    std::fs::write(&log, &text).unwrap();
    let out = env.kata().args(["stats", "--json"]).output().unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("progress.jsonl:2: skipped: not a progress event"),
        "{err}"
    );
    assert!(err.contains("(and 2 more)"), "{err}");
    assert_eq!(json(&out)["skipped_lines"], 3);
    assert_eq!(json(&out)["events"], 1);
    // Appending later keeps every damaged line as it was.
    env.kata().args(["hint"]).assert().success();
    let after = std::fs::read_to_string(&log).unwrap();
    assert!(after.starts_with(&text), "damaged lines changed");
    let out = env.kata().args(["stats", "--json"]).output().unwrap();
    assert_eq!(json(&out)["events"], 2);
}

#[test]
fn next_recommends_in_progress_then_new_work() {
    let env = Env::new();
    let out = env.kata().args(["next"]).output().unwrap();
    assert!(
        stdout(&out).contains("Next: lru-cache (python)"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("not started yet"), "{}", stdout(&out));
    env.start("lru-cache", "python");
    env.kata().args(["check"]).assert().code(1);
    let out = env.kata().args(["next"]).output().unwrap();
    assert!(
        stdout(&out).contains("failed on case `basic_put_get`"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("run: kata check lru-cache"),
        "{}",
        stdout(&out)
    );
    let file = env.workspace().join("python/lru-cache/lru_cache.py");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    env.kata().args(["check"]).assert().success();
    let out = env.kata().args(["next"]).output().unwrap();
    assert!(
        stdout(&out).contains("not started yet, and"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("weakest topic"), "{}", stdout(&out));
}

#[test]
fn timed_start_on_existing_work_restarts_the_clock_only() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, "# mine\n").unwrap();
    let out = at(&env, "2026-11-20T10:00:00Z")
        .args(["start", "lru-cache", "--timed"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("30 minutes from now"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# mine\n");
    let out = at(&env, "2026-11-20T10:45:00Z")
        .args(["check"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("45:00 used, 15:00 over the 30:00 budget"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn concurrent_hints_are_handed_out_once_each() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| env.kata().args(["hint", "lru-cache"]).output().unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outputs {
        assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    }
    let texts: Vec<String> = outputs.iter().map(stdout).collect();
    for n in 1..=3 {
        let given = texts
            .iter()
            .filter(|t| t.starts_with(&format!("hint {n} of 3:")))
            .count();
        assert_eq!(given, 1, "hint {n} handed out once: {texts:#?}");
    }
    let exhausted = texts
        .iter()
        .filter(|t| t.starts_with("All 3 hints for lru-cache are revealed"))
        .count();
    assert_eq!(exhausted, 3, "{texts:#?}");
    let log = std::fs::read_to_string(env.workspace().join(".kata/progress.jsonl")).unwrap();
    let mut hints: Vec<u64> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "hint")
        .map(|e| e["hint"].as_u64().unwrap())
        .collect();
    hints.sort();
    assert_eq!(hints, vec![1, 2, 3], "one event per hint handed out");
}
