//! Visible examples for task-scheduler. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use std::collections::HashMap;
use task_scheduler::{Scheduler, TaskState};

/// An execute function for the tests: records its calls; the next `failures[name]` calls for a
/// name return Err.
struct Script {
    failures: HashMap<String, u32>,
    calls: Vec<String>,
}

impl Script {
    fn new(failures: &[(&str, u32)]) -> Self {
        Script {
            failures: failures.iter().map(|&(n, k)| (n.to_string(), k)).collect(),
            calls: Vec::new(),
        }
    }

    fn run(&mut self, scheduler: &mut Scheduler) -> Vec<String> {
        let failures = &mut self.failures;
        let calls = &mut self.calls;
        scheduler
            .run(&mut |name: &str| {
                calls.push(name.to_string());
                match failures.get_mut(name) {
                    Some(left) if *left > 0 => {
                        *left -= 1;
                        Err(format!("scripted failure of {name}"))
                    }
                    _ => Ok(()),
                }
            })
            .expect("run should succeed")
    }
}

#[test]
fn test_priority_order() {
    let mut s = Scheduler::new();
    s.add_task("low", 1, &[], 0).unwrap();
    s.add_task("high", 5, &[], 0).unwrap();
    s.add_task("mid", 3, &[], 0).unwrap();
    s.add_task("also_mid", 3, &[], 0).unwrap(); // same priority as mid, added later
    assert_eq!(Script::new(&[]).run(&mut s), ["high", "mid", "also_mid", "low"]);
    assert_eq!(s.status("low"), Some(TaskState::Completed));
}

#[test]
fn test_worked_example() {
    let mut s = Scheduler::new();
    s.add_task("fetch", 1, &[], 1).unwrap();
    s.add_task("compile", 5, &["fetch"], 0).unwrap();
    s.add_task("lint", 3, &[], 0).unwrap();
    s.add_task("docs", 3, &[], 0).unwrap();
    s.add_task("package", 0, &["compile", "lint"], 0).unwrap();
    let mut execute = Script::new(&[("fetch", 1)]); // fetch fails its first attempt
    assert_eq!(execute.run(&mut s), ["lint", "docs", "fetch", "compile", "package"]);
    assert_eq!(execute.calls, ["lint", "docs", "fetch", "fetch", "compile", "package"]);
    assert_eq!(s.status("fetch"), Some(TaskState::Completed));
}

#[test]
fn test_failure_skips_dependents() {
    let mut s = Scheduler::new();
    s.add_task("fetch", 0, &[], 1).unwrap();
    s.add_task("build", 0, &["fetch"], 0).unwrap();
    s.add_task("test", 0, &["build"], 0).unwrap();
    s.add_task("docs", 0, &[], 0).unwrap();
    let mut execute = Script::new(&[("fetch", 2)]); // both attempts of fetch fail
    assert_eq!(execute.run(&mut s), ["docs"]);
    assert_eq!(execute.calls, ["fetch", "fetch", "docs"]);
    assert_eq!(s.status("fetch"), Some(TaskState::Failed));
    assert_eq!(s.status("build"), Some(TaskState::Skipped));
    assert_eq!(s.status("test"), Some(TaskState::Skipped));
    assert_eq!(s.status("docs"), Some(TaskState::Completed));
}
