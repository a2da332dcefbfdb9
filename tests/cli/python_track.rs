//! The Python track end to end on lru-cache.

use crate::common::*;

#[test]
fn starter_fails_cleanly_with_a_note() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("case basic_put_get failed"), "{text}");
    assert!(text.contains("error NotImplementedError"), "{text}");
    assert!(text.contains("not implemented yet"), "{text}");
    assert!(text.contains("\n30 of 30 cases failed; probe"), "{text}");
}

#[test]
fn reference_passes_with_the_probe() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("✓ all 30 cases passed"), "{text}");
    assert!(text.contains("✓ complexity: get/put"), "{text}");
    assert!(text.contains("\nall 30 cases passed; probe"), "{text}");
}

#[test]
fn every_mutant_fails_on_its_named_case() {
    assert_mutants_caught("lru-cache", "python");
}

#[test]
fn the_o_n_mutant_is_rejected_by_the_probe_with_an_explanation() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, mutant("lru-cache", "python", "list_based_o_n").0).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("✓ all 30 cases passed"), "{text}");
    assert!(
        text.contains("when the cache grows 100x: looks O(n), expected O(1)")
            || text.contains("too slow"),
        "{text}"
    );
}

#[test]
fn syntax_error_names_the_line_with_a_caret() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(
        &file,
        "class LRUCache:\n    def get(self key):\n        pass\n",
    )
    .unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("lru_cache.py:2:"), "{text}");
    assert!(text.contains("SyntaxError"), "{text}");
    assert!(text.contains("  2 |     def get(self key):"), "{text}");
    assert!(text.contains("^"), "{text}");

    // CPython reports no end column (-1) for these: still a located error, by its own name.
    std::fs::write(&file, "class LRUCache:\n    pass\n      x = 1\n").unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("lru_cache.py:3:"), "{text}");
    assert!(
        text.contains(": IndentationError: unexpected indent"),
        "{text}"
    );
}

#[test]
fn infinite_loop_hits_the_time_limit_and_names_the_operation() {
    let env = Env::new();
    env.write_settings("timeout_secs = 1.5\n");
    let file = env.start("lru-cache", "python");
    let looping = solution("lru-cache/python/reference.py").replace(
        "    def get(self, key: int) -> int:\n",
        "    def get(self, key: int) -> int:\n        while key == 3:\n            pass\n",
    );
    std::fs::write(&file, looping).unwrap();
    let started = std::time::Instant::now();
    let out = env.kata().args(["check"]).output().unwrap();
    assert!(started.elapsed().as_secs_f64() < 8.0);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("did not complete"), "{text}");
    assert!(
        text.contains("time limit of 1.5 s reached during `get 3` (operation 6)"),
        "{text}"
    );
}

#[test]
fn print_debugging_does_not_break_grading_and_is_shown() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let chatty = solution("lru-cache/python/reference.py")
        .replace(
            "    def get(self, key: int) -> int:\n",
            "    def get(self, key: int) -> int:\n        print('{\"t\":\"r\",\"v\":\"99\"}')\n        print('debug get', key)\n",
        )
        .replace(
            "        node = self.nodes.get(key)\n        if node is None:\n            return -1\n",
            "        node = self.nodes.get(key)\n        if node is None:\n            return -2\n",
        );
    std::fs::write(&file, chatty).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // The fake result line printed to stdout is ignored; the real result (-2) is graded.
    assert!(text.contains("get 3      -1        -2"), "{text}");
    assert!(
        text.contains("your output during this case (stdout):"),
        "{text}"
    );
    assert!(text.contains("| debug get 1"), "{text}");
}

#[test]
fn exception_in_one_operation_is_its_result_and_the_next_case_runs() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let raising = solution("lru-cache/python/reference.py").replace(
        "    def __len__(self) -> int:\n",
        "    def __len__(self) -> int:\n        raise RuntimeError('boom')\n",
    );
    std::fs::write(&file, raising).unwrap();
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    let report = json(&out);
    assert_eq!(test_status(&report, "basic_put_get"), "error");
    // A case without `len` still passes after the failing ones.
    assert_eq!(test_status(&report, "recency_on_get"), "pass");
    let actual = report["tests"][0]["actual"].as_str().unwrap();
    assert!(
        actual.contains("len => error RuntimeError: boom"),
        "{actual}"
    );
}

#[test]
fn json_report_follows_exercism_field_names() {
    let env = Env::new();
    env.start("lru-cache", "python");
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    let report = json(&out);
    assert_eq!(report["version"], 3);
    assert_eq!(report["status"], "fail");
    let first = &report["tests"][0];
    for field in [
        "name",
        "status",
        "message",
        "output",
        "test_code",
        "expected",
        "actual",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert_eq!(report["kata"]["passed"], 0);
    // counted as the summary line counts them: the starter fails every case, and the probes
    // after a failing case are not run, not failed
    assert_eq!(report["kata"]["failed"], 30);
    assert_eq!(report["kata"]["not_run"], 2);
}

#[test]
fn visible_examples_run_with_unittest() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, solution("lru-cache/python/reference.py")).unwrap();
    let status = std::process::Command::new("python3")
        .args(["-m", "unittest", "-q"])
        .current_dir(file.parent().unwrap())
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", stderr(&status));
}

#[test]
fn a_structure_too_slow_to_build_fails_the_probe_as_too_slow() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    // Correct, but every insert beyond 5,000 burns 0.1 ms of CPU (the probe's clock): filling
    // 100,000 entries cannot finish in 2 s.
    let slow = solution("lru-cache/python/reference.py").replace(
        "        node = _Node(key, value)\n",
        "        if len(self.nodes) > 5000:\n            import time\n            until = time.thread_time() + 0.0001\n            while time.thread_time() < until:\n                pass\n        node = _Node(key, value)\n",
    );
    std::fs::write(&file, slow).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("✓ all 30 cases passed"), "{text}");
    assert!(
        text.contains("get/put too slow: building and timing a cache of 100,000 did not finish within 2.0 s of CPU time (it reached"),
        "{text}"
    );
}

#[test]
fn a_stop_is_reported_where_it_happened_even_outside_the_first_failing_case() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    std::fs::write(&file, "print('loading')\nimport sys\nsys.exit(3)\n").unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✗ no case ran: the check stopped while loading lru_cache.py: your code ended the process (exit code 3)"),
        "{text}"
    );
    assert!(
        text.contains("your output while loading (stdout):"),
        "{text}"
    );

    // The first failing case is an ordinary wrong answer; the exit happens in a later case.
    let source = solution("lru-cache/python/reference.py").replace(
        "    def get(self, key: int) -> int:\n",
        "    def get(self, key: int) -> int:\n        if key == 55:\n            import os\n            os._exit(4)\n        if key == 3:\n            return 12345\n",
    );
    std::fs::write(&file, source).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("+get 3 => 12345"), "{text}");
    assert!(
        text.contains(
            "stopped in case fifty_entries: your code ended the process (exit code 4) during `get 55`"
        ),
        "{text}"
    );
}

#[test]
fn a_probe_stopped_by_the_time_limit_is_reported_as_too_slow() {
    let env = Env::new();
    env.write_settings("timeout_secs = 1.5\n");
    let file = env.start("lru-cache", "python");
    // Correct on every case; stuck once the cache is probe-sized, where no budget check runs.
    let source = solution("lru-cache/python/reference.py").replace(
        "    def get(self, key: int) -> int:\n",
        "    def get(self, key: int) -> int:\n        while len(self) > 20000:\n            pass\n",
    );
    std::fs::write(&file, source).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("all 30 cases passed"), "{text}");
    assert!(
        text.contains("too slow: measuring up to a cache of 100,000 did not finish within the check's time limit of 1.5 s"),
        "{text}"
    );
}

/// A bug only the random cases catch (the written ones update keys only in a full cache): the
/// failing random case is shown shrunk to its shortest failing prefix, with the rule of the
/// operation that went wrong (from random.toml) as its hint.
#[test]
fn a_failing_random_case_is_shrunk_and_names_the_broken_rule() {
    let env = Env::new();
    let file = env.start("lru-cache", "python");
    let reference = solution("lru-cache/python/reference.py");
    let wrong = reference.replace(
        "            node.value = value\n",
        "            if len(self.nodes) == self.capacity:\n                node.value = value\n",
    );
    assert_ne!(
        wrong, reference,
        "the reference changed: update this test's bug"
    );
    std::fs::write(&file, wrong).unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // random_02 of exercises/lru-cache/random_cases.txt (seed 1): its 14th operation, a get
    // of the updated key, is the first to go wrong.
    assert!(text.contains("✗ case random_02 failed"), "{text}");
    assert!(
        text.contains("shrunk to its shortest failing prefix: the first 14 of its 23 operations"),
        "{text}"
    );
    let spec: toml::Value = toml::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("exercises/lru-cache/random.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let rule = spec["ops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["op"].as_str().unwrap().starts_with("get "))
        .and_then(|op| op["rule"].as_str())
        .unwrap();
    // The rule as Python learners read it: without its Rust sections.
    let mut rule = rule
        .replace("<!-- python -->", "")
        .replace("<!-- /python -->", "");
    while let Some(start) = rule.find("<!-- rust -->") {
        let end = start + rule[start..].find("<!-- /rust -->").unwrap();
        rule.replace_range(start..end + "<!-- /rust -->".len(), "");
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&text).contains(&words(&format!(
            "hint: the rule of `get` broke here: {rule}"
        ))),
        "{text}"
    );
    // The written cases come first: a random case reported first means they all passed.
    assert!(text.contains("\n2 of 30 cases failed"), "{text}");
}
