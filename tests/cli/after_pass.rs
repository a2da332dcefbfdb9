//! After the pass: `kata review` (refused before a pass, recorded after), what a pass says to
//! do next, and watch mode's offer to move on.

use crate::common::*;

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
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("over 2 checks\n"), "{text}");
    assert!(text.contains("  review  kata review lru-cache "), "{text}");
    let next = text.lines().find(|l| l.starts_with("  next    ")).unwrap();
    // The JSON report stays pure JSON: the lines are not in it, the recommendation is.
    let report = json(&env.kata().args(["check", "--json"]).output().unwrap());
    let command = report["kata"]["next"]["command"].as_str().unwrap();
    assert!(command.starts_with("kata start "), "{report}");
    assert!(next.contains(command), "{next} / {command}");
}
