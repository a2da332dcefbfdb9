//! The Rust track end to end on lru-cache.

use crate::common::*;

#[test]
fn starter_compiles_and_reports_not_implemented() {
    let env = Env::new();
    env.start("lru-cache", "rust");
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("panic: not yet implemented"), "{text}");
    assert!(text.contains("not implemented yet"), "{text}");
}

#[test]
fn reference_passes_and_an_unchanged_file_reuses_the_build() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    // Solved through every follow-up, so the stages graded stay the same from here on.
    pass_every_stage(&env, &file, "lru-cache", "rust");
    let again = env.kata().args(["check", "--json"]).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(json(&again)["kata"]["build_reused"], true);
    // From the exercise folder (paths in messages are relative to it), a build of its own;
    // then each place keeps its build. A human report and --json share one.
    let dir = file.parent().unwrap().parent().unwrap();
    let from_dir = |args: &[&str]| env.kata().current_dir(dir).args(args).output().unwrap();
    assert_eq!(
        json(&from_dir(&["check", "--json"]))["kata"]["build_reused"],
        false
    );
    let text = stdout(&from_dir(&["check"]));
    assert!(text.contains(" cases passed; probe"), "{text}");
    assert_eq!(
        json(&from_dir(&["check", "--json"]))["kata"]["build_reused"],
        true
    );
    let again = env
        .kata()
        .args(["check", "lru-cache", "--lang", "rust", "--json"])
        .output()
        .unwrap();
    assert_eq!(json(&again)["kata"]["build_reused"], true);
}

#[test]
fn every_mutant_fails_on_its_named_case() {
    assert_mutants_caught("lru-cache", "rust");
}

#[test]
fn compile_error_points_at_the_learners_file() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let broken = solution("lru-cache/rust/reference.rs").replace(
        "        self.map.len()\n",
        "        self.map.len() + \"one\"\n",
    );
    std::fs::write(&file, broken).unwrap();
    let out = env
        .kata()
        .current_dir(file.parent().unwrap().parent().unwrap())
        .args(["check"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("--> src/lib.rs:"), "{text}");
    assert!(
        text.contains("src/lib.rs does not compile: 1 error"),
        "{text}"
    );
    assert!(!text.contains("kata-cache"), "{text}");
}

#[test]
fn wrong_signature_is_explained() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let wrong = solution("lru-cache/rust/reference.rs")
        .replace(
            "pub fn get(&mut self, key: i64)",
            "pub fn get(&mut self, key: i32)",
        )
        .replace("self.map.get(&key)?", "self.map.get(&(key as i64))?");
    std::fs::write(&file, wrong).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("your types or signatures differ from the API"),
        "{text}"
    );
}

#[test]
fn panic_is_the_operations_result_and_println_is_harmless() {
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let panicky = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        println!(\"{{\\\"t\\\":\\\"done\\\"}}\");\n        println!(\"debug len\");\n        if self.map.len() == 3 { panic!(\"three is a crowd\"); }\n",
    );
    std::fs::write(&file, panicky).unwrap();
    let out = env.kata().args(["check", "--json"]).output().unwrap();
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(test_status(&report, "basic_put_get"), "pass");
    assert_eq!(test_status(&report, "many_evictions"), "error");
    // The first failing case is shown in full, with where the panic happened.
    let first = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["status"] != "pass")
        .unwrap();
    assert!(
        first["actual"]
            .as_str()
            .unwrap()
            .contains("len => panic: three is a crowd"),
        "{first}"
    );
    assert!(
        first["message"].as_str().unwrap().contains("src/lib.rs:"),
        "{first}"
    );
    assert!(first["output"].as_str().unwrap().contains("debug len"));
}

#[test]
fn infinite_loop_hits_the_time_limit() {
    let env = Env::new();
    env.write_settings("timeout_secs = 1.5\n");
    let file = env.start("lru-cache", "rust");
    let looping = solution("lru-cache/rust/reference.rs").replace(
        "    pub fn len(&self) -> usize {\n",
        "    pub fn len(&self) -> usize {\n        while self.map.len() == 2 { std::hint::spin_loop(); }\n",
    );
    std::fs::write(&file, looping).unwrap();
    let out = env.kata().args(["check"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("time limit of 1.5 s reached during `len`"),
        "{text}"
    );
}

#[test]
fn a_relative_cache_dir_works() {
    let env = Env::new();
    env.start("lru-cache", "rust");
    let out = env
        .kata()
        .env("KATA_CACHE_DIR", "relative-cache")
        .args(["check", "lru-cache", "--lang", "rust"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("not implemented yet"),
        "{}",
        stdout(&out)
    );
    assert!(env.dir.path().join("relative-cache/rust").is_dir());
}

#[test]
fn a_solution_that_reads_files_while_it_compiles_is_refused() {
    // rustc runs outside the sandbox: include_bytes! of kata's own binary would carry the
    // hidden cases into the solution. Through a macro of the learner's, too.
    let env = Env::new();
    let file = env.start("lru-cache", "rust");
    let kata = env!("CARGO_BIN_EXE_kata");
    let hostile = format!(
        "{}\nmacro_rules! embed {{ ($m:ident) => {{ $m!({kata:?}) }} }}\npub static KATA: &[u8] = embed!(include_bytes);\n",
        solution("lru-cache/rust/reference.rs")
    );
    std::fs::write(&file, &hostile).unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let line = hostile.lines().count();
    assert!(
        text.contains("error: `include_bytes!` reads a file while your solution compiles"),
        "{text}"
    );
    assert!(text.contains(&format!("src/lib.rs:{line}:")), "{text}");
    assert!(!text.contains("Hidden cases"), "{text}");

    // An out-of-line module, which #[path] can point anywhere, is refused the same way.
    std::fs::write(
        &file,
        format!(
            "{}\n#[path = {kata:?}]\nmod leak;\n",
            solution("lru-cache/rust/reference.rs")
        ),
    )
    .unwrap();
    let out = env.kata().args(["check", "lru-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("a `mod` declared without its body"),
        "{}",
        stdout(&out)
    );
}
