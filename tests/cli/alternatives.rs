//! Correct answers other than the reference pass: kata grades behaviour, not one
//! implementation. Each file under `tests/alternatives/<slug>/` is checked as the learner's
//! solution with the real binary.

use crate::common::*;
use std::path::Path;

/// Every alternative answer to `slug` in `lang`, by file name.
fn alternatives(slug: &str, ext: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/alternatives")
        .join(slug);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Whether python3 is at least 3.`minor` (asyncio.TaskGroup needs 3.11).
fn python_at_least(minor: u32) -> bool {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            &format!("import sys; print(sys.version_info >= (3, {minor}))"),
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}

#[test]
fn one_task_per_job_bounded_gather_passes() {
    // Tasks created in input order start in that order and an asyncio.Semaphore serves its
    // waiters first come, first served (asyncio's ready queue is FIFO): the textbook answer,
    // with gather or a TaskGroup, is correct, and kata's scheduler must not invent an order
    // asyncio never produces.
    let env = Env::new();
    let file = env.start("bounded-gather", "python");
    let found = alternatives("bounded-gather", "py");
    assert_eq!(found.len(), 3, "{found:?}");
    for (name, source) in found {
        if name == "taskgroup" && !python_at_least(11) {
            println!("note: skipping {name}: asyncio.TaskGroup needs Python 3.11");
            continue;
        }
        std::fs::write(&file, source).unwrap();
        for seed in ["0", "5"] {
            let out = env
                .kata()
                .args(["check", "--seed", seed, "bounded-gather"])
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}, seed {seed}: {}",
                stdout(&out)
            );
        }
    }
}
