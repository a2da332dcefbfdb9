//! Hidden driver for task-scheduler (Rust). The same operations as the Python driver:
//!   add NAME [PRIORITY [DEPS [MAX_RETRIES]]]  add_task (missing arguments: 0, [], 0)
//!   fail NAME N          the next N calls of execute(NAME) return Err (a scripted failure)
//!   run                  run(execute): the returned list, or the error
//!   run_error_names NAME run(execute) again: whether the error it returns names NAME
//!   executed             the names execute was called with since the last `executed`
//!   status NAME          status(NAME); None reads like Python's KeyError
//!   statuses [NAMES]     the status of each name
//!   chain P N            adds P0, P1, .., P<N-1> (priority 0), each depending on the one before
//!   chain_backward P N   the same chain, added last task first (each before its dependency)
//!   cycle P N            the chain of `chain P N`, closed: P0 depends on P<N-1>
//!   run_summary          run(execute), summarised: `N completed, first "P0", last "P9"` (for
//!                        runs too long to list), or the error (a cycle as its length)
//! Follow-up 1 (stages/1-parallel-workers), behind `#[cfg(kata_stage_1)]`:
//!   add_timed NAME PRIORITY DEPS MAX_RETRIES DURATION   add_timed_task
//!   run_parallel W       run_parallel(W, execute): [[name, finish time], ...], or the error
//!   run_parallel_summary W   the same, summarised like run_summary
//! Follow-up 2 (stages/2-cancel), behind `#[cfg(kata_stage_2)]`:
//!   cancel NAME          cancel(NAME): true / false, or None read like Python's KeyError
//! Errors read like the Python exceptions: DuplicateTask and UnknownDependency are
//! `error ValueError: ...`, Cycle is `error CycleError: [the tasks, sorted]`.

use crate::harness::{self, Budget, Measured, TooSlow, Value};
use crate::learner::{Scheduler, SchedulerError, TaskState};
use std::collections::HashMap;

pub struct Driver {
    scheduler: Option<Scheduler>,
    failures: HashMap<String, i64>,
    calls: Vec<String>,
}

fn state_name(state: TaskState) -> &'static str {
    match state {
        TaskState::Pending => "PENDING",
        TaskState::Running => "RUNNING",
        TaskState::Completed => "COMPLETED",
        TaskState::Failed => "FAILED",
        TaskState::Skipped => "SKIPPED",
        #[cfg(kata_stage_2)]
        TaskState::Cancelled => "CANCELLED",
        // A state the learner added beyond the stages built in (e.g. `kata check --stage 1`
        // of a solution that already has follow-up 2's state).
        #[allow(unreachable_patterns)]
        _ => "UNKNOWN STATE",
    }
}

fn status_line(scheduler: &Scheduler, name: &str) -> String {
    match scheduler.status(name) {
        Some(state) => harness::string(state_name(state)),
        None => format!("error KeyError: no task {}", harness::string(name)),
    }
}

fn error_line(error: &SchedulerError) -> String {
    match error {
        SchedulerError::DuplicateTask(name) => {
            format!("error ValueError: duplicate task {}", harness::string(name))
        }
        SchedulerError::UnknownDependency { task, dependency } => format!(
            "error ValueError: task {} depends on unknown task {}",
            harness::string(task),
            harness::string(dependency)
        ),
        SchedulerError::Cycle(names) => {
            let mut names = names.clone();
            names.sort();
            format!(
                "error CycleError: {}",
                harness::list(names.iter().map(|n| harness::string(n)))
            )
        }
    }
}

fn names_in(error: &SchedulerError, name: &str) -> bool {
    match error {
        SchedulerError::DuplicateTask(n) => n == name,
        SchedulerError::UnknownDependency { dependency, .. } => dependency == name,
        SchedulerError::Cycle(names) => names.iter().any(|n| n == name),
    }
}

/// `run_parallel`'s result: `[["a", 2], ["b", 3]]`.
#[cfg(kata_stage_1)]
fn timed(items: &[(String, u64)]) -> String {
    harness::list(items.iter().map(pair))
}

/// `["a", 2]`.
#[cfg(kata_stage_1)]
fn pair((name, time): &(String, u64)) -> String {
    harness::list([harness::string(name), harness::int(*time as i64)])
}

impl Driver {
    /// run_parallel(workers, execute) with the scripted execute of `run`.
    #[cfg(kata_stage_1)]
    fn run_parallel(&mut self, workers: usize) -> Result<Vec<(String, u64)>, SchedulerError> {
        let scheduler = self.scheduler.get_or_insert_with(Scheduler::new);
        let failures = &mut self.failures;
        let calls = &mut self.calls;
        scheduler.run_parallel(workers, &mut |name: &str| {
            calls.push(name.to_string());
            match failures.get_mut(name) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    Err(format!("scripted failure of {name:?}"))
                }
                _ => Ok(()),
            }
        })
    }

    fn scheduler(&mut self) -> &mut Scheduler {
        self.scheduler.get_or_insert_with(Scheduler::new)
    }

    fn run(&mut self) -> Result<Vec<String>, SchedulerError> {
        let scheduler = self.scheduler.get_or_insert_with(Scheduler::new);
        let failures = &mut self.failures;
        let calls = &mut self.calls;
        scheduler.run(&mut |name: &str| {
            calls.push(name.to_string());
            match failures.get_mut(name) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    Err(format!("scripted failure of {name:?}"))
                }
                _ => Ok(()),
            }
        })
    }
}

fn strings(items: &[String]) -> String {
    harness::list(items.iter().map(|s| harness::string(s)))
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            scheduler: None,
            failures: HashMap::new(),
            calls: Vec::new(),
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "add" => {
                let priority = args.get(1).map_or(0, |v| v.int()) as i32;
                let deps: Vec<&str> = args.get(2).map_or(Vec::new(), |v| {
                    v.list().iter().map(|d| d.str()).collect()
                });
                let retries = args.get(3).map_or(0, |v| v.int()) as u32;
                match self.scheduler().add_task(args[0].str(), priority, &deps, retries) {
                    Ok(()) => harness::ok(),
                    Err(e) => error_line(&e),
                }
            }
            "fail" => {
                self.failures.insert(args[0].str().to_string(), args[1].int());
                harness::ok()
            }
            "run" => match self.run() {
                Ok(done) => strings(&done),
                Err(e) => error_line(&e),
            },
            "run_error_names" => match self.run() {
                Ok(done) => strings(&done),
                Err(e) => harness::boolean(names_in(&e, args[0].str())),
            },
            "executed" => strings(&std::mem::take(&mut self.calls)),
            "status" => status_line(self.scheduler(), args[0].str()),
            "statuses" => {
                let scheduler = self.scheduler.get_or_insert_with(Scheduler::new);
                let lines: Vec<String> =
                    args[0].list().iter().map(|n| status_line(scheduler, n.str())).collect();
                match lines.iter().find(|l| l.starts_with("error ")) {
                    Some(error) => error.clone(),
                    None => harness::list(lines),
                }
            }
            "chain" => self.chain(args[0].str(), args[1].int() as usize, false, false),
            "chain_backward" => self.chain(args[0].str(), args[1].int() as usize, true, false),
            "cycle" => self.chain(args[0].str(), args[1].int() as usize, false, true),
            "run_summary" => match self.run() {
                Ok(done) => match (done.first(), done.last()) {
                    (Some(first), Some(last)) => format!(
                        "{} completed, first {}, last {}",
                        done.len(),
                        harness::string(first),
                        harness::string(last)
                    ),
                    _ => "0 completed".to_string(),
                },
                Err(SchedulerError::Cycle(names)) => {
                    format!("error CycleError: a cycle of {} tasks", names.len())
                }
                Err(e) => error_line(&e),
            },
            // ---- follow-up 1: N workers, task durations, simulated time ----
            #[cfg(kata_stage_1)]
            "add_timed" => {
                let deps: Vec<&str> = args[2].list().iter().map(|d| d.str()).collect();
                let (priority, retries) = (args[1].int() as i32, args[3].int() as u32);
                let duration = args[4].int() as u64;
                match self.scheduler().add_timed_task(args[0].str(), priority, &deps, retries, duration) {
                    Ok(()) => harness::ok(),
                    Err(e) => error_line(&e),
                }
            }
            #[cfg(kata_stage_1)]
            "run_parallel" => match self.run_parallel(args[0].int() as usize) {
                Ok(done) => timed(&done),
                Err(e) => error_line(&e),
            },
            #[cfg(kata_stage_1)]
            "run_parallel_summary" => match self.run_parallel(args[0].int() as usize) {
                Ok(done) => match (done.first(), done.last()) {
                    (Some(first), Some(last)) => format!(
                        "{} completed, first {}, last {}",
                        done.len(),
                        pair(first),
                        pair(last),
                    ),
                    _ => "0 completed".to_string(),
                },
                Err(e) => error_line(&e),
            },
            // ---- follow-up 2: cancelling a task and its dependents ----
            #[cfg(kata_stage_2)]
            "cancel" => match self.scheduler().cancel(args[0].str()) {
                Some(cancelled) => harness::boolean(cancelled),
                None => format!("error KeyError: no task {}", harness::string(args[0].str())),
            },
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        #[cfg(kata_stage_1)]
        if workload == "parallel_mix" {
            return parallel_probe(size, budget);
        }
        assert_eq!(workload, "scheduler_mix", "kata driver: unknown workload");
        let (tasks, failing) = graph(size);
        let deps: Vec<Vec<&str>> = tasks
            .iter()
            .map(|t| t.deps.iter().map(|&d| tasks[d].name.as_str()).collect())
            .collect();
        let measured =
            harness::measure(budget, repeats(size), || batch(&tasks, &deps, &failing, budget));
        if let Some(reached) = ABANDONED.with(|a| a.get()) {
            return Err(TooSlow {
                reached: Some(reached),
            });
        }
        measured
    }
}

impl Driver {
    /// `chain`, `chain_backward` and `cycle`: adds prefix0 .. prefix<n-1>, each depending on
    /// the one before (prefix0 on the last one when `closed`), last task first when `backward`.
    fn chain(&mut self, prefix: &str, n: usize, backward: bool, closed: bool) -> String {
        let names: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
        let scheduler = self.scheduler();
        for k in 0..n {
            let i = if backward { n - 1 - k } else { k };
            let deps: Vec<&str> = match i {
                0 if closed => vec![names[n - 1].as_str()],
                0 => Vec::new(),
                _ => vec![names[i - 1].as_str()],
            };
            if let Err(e) = scheduler.add_task(&names[i], 0, &deps, 0) {
                return error_line(&e);
            }
        }
        harness::ok()
    }
}

// ---- complexity probe -------------------------------------------------------------------------

const CHAINS: usize = 4;

/// Batches per size: each builds and runs the whole graph (most of a second at 100,000 tasks
/// in the debug build), and the probe's clock is CPU time, which a busy machine disturbs
/// little: 5 for small graphs, 3 up to 30,000 tasks, 1 beyond.
fn repeats(size: usize) -> usize {
    if size <= 1_000 {
        5
    } else if size <= 30_000 {
        3
    } else {
        1
    }
}

struct ProbeTask {
    name: String,
    priority: i32,
    deps: Vec<usize>,
    retries: u32,
}

/// A graph both wide and deep, in insertion order. Even positions are independent tasks with
/// varied priorities (half the graph is ready at once); odd positions form CHAINS long chains
/// (each task depends on the previous task of its chain and on the independent task added just
/// before it). The first task of chain 0 always fails after one retry, so its whole chain
/// (size / 8 tasks) is skipped.
fn graph(size: usize) -> (Vec<ProbeTask>, String) {
    let tasks = (0..size)
        .map(|i| {
            if i % 2 == 0 {
                ProbeTask {
                    name: format!("t{i}"),
                    priority: ((i * 7919) % 1009) as i32 - 504,
                    deps: Vec::new(),
                    retries: 0,
                }
            } else {
                let mut deps = vec![i - 1];
                if i > 2 * CHAINS {
                    deps.push(i - 2 * CHAINS);
                }
                ProbeTask {
                    name: format!("t{i}"),
                    priority: ((i * 31) % 97) as i32,
                    deps,
                    retries: u32::from(i == 1),
                }
            }
        })
        .collect();
    (tasks, "t1".to_string())
}

thread_local! {
    static ABANDONED: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

const ABANDON: &str = "kata probe: budget spent";

/// Adds every task to a new scheduler and runs it; returns the number of tasks and a check
/// folding the order run returned (each task as its position in the graph, plus one) and the
/// number of execute calls. When the budget runs out, building stops, or execute panics
/// (unwinding out of run), and ABANDONED says how far it got.
fn batch(
    tasks: &[ProbeTask],
    deps: &[Vec<&str>],
    failing: &str,
    budget: &Budget,
) -> (usize, u64) {
    ABANDONED.with(|a| a.set(None));
    let outcome = harness::catch(|| {
        let mut scheduler = Scheduler::new();
        for (n, task) in tasks.iter().enumerate() {
            let _ = scheduler.add_task(&task.name, task.priority, &deps[n], task.retries);
            if n % 512 == 0 && budget.check(n).is_err() {
                ABANDONED.with(|a| a.set(Some(n)));
                panic!("{ABANDON}");
            }
        }
        let mut calls = 0usize;
        let result = scheduler.run(&mut |name: &str| {
            calls += 1;
            if calls % 16 == 0 && budget.check(calls).is_err() {
                ABANDONED.with(|a| a.set(Some(calls)));
                panic!("{ABANDON}");
            }
            if name == failing {
                Err("scripted failure".to_string())
            } else {
                Ok(())
            }
        });
        let mut check = 0u64;
        for name in result.unwrap_or_default() {
            let number = name.get(1..).and_then(|i| i.parse::<u64>().ok()).map_or(0, |i| i + 1);
            check = check.wrapping_mul(1_000_003).wrapping_add(number);
        }
        check.wrapping_mul(1_000_003).wrapping_add(calls as u64)
    });
    match outcome {
        Ok(check) => (tasks.len(), check),
        Err(message) if message == ABANDON => (0, 0),
        Err(message) => panic!("{message}"),
    }
}

// ---- follow-up 1: the parallel probe ----------------------------------------------------------

/// The duration of task i in the parallel probe: large and varied (1 to 1,000 million).
#[cfg(kata_stage_1)]
fn duration_of(i: usize) -> u64 {
    ((i * 7919) % 1000 + 1) as u64 * 1_000_000
}

/// Times add_timed_task for `size` tasks plus one run_parallel over them with a worker per 8
/// tasks, per task (the graph of scheduler_mix).
#[cfg(kata_stage_1)]
fn parallel_probe(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let (tasks, failing) = graph(size);
    let deps: Vec<Vec<&str>> = tasks
        .iter()
        .map(|t| t.deps.iter().map(|&d| tasks[d].name.as_str()).collect())
        .collect();
    let measured = harness::measure(budget, repeats(size), || {
        parallel_batch(&tasks, &deps, &failing, budget)
    });
    if let Some(reached) = ABANDONED.with(|a| a.get()) {
        return Err(TooSlow {
            reached: Some(reached),
        });
    }
    measured
}

/// Like `batch`, with durations and run_parallel; the check also folds the finish times.
#[cfg(kata_stage_1)]
fn parallel_batch(
    tasks: &[ProbeTask],
    deps: &[Vec<&str>],
    failing: &str,
    budget: &Budget,
) -> (usize, u64) {
    ABANDONED.with(|a| a.set(None));
    let workers = (tasks.len() / 8).max(1);
    let outcome = harness::catch(|| {
        let mut scheduler = Scheduler::new();
        for (n, task) in tasks.iter().enumerate() {
            let _ = scheduler.add_timed_task(
                &task.name,
                task.priority,
                &deps[n],
                task.retries,
                duration_of(n),
            );
            if n % 512 == 0 && budget.check(n).is_err() {
                ABANDONED.with(|a| a.set(Some(n)));
                panic!("{ABANDON}");
            }
        }
        let mut calls = 0usize;
        let result = scheduler.run_parallel(workers, &mut |name: &str| {
            calls += 1;
            if calls % 16 == 0 && budget.check(calls).is_err() {
                ABANDONED.with(|a| a.set(Some(calls)));
                panic!("{ABANDON}");
            }
            if name == failing {
                Err("scripted failure".to_string())
            } else {
                Ok(())
            }
        });
        let mut check = 0u64;
        for (name, finish) in result.unwrap_or_default() {
            let number = name.get(1..).and_then(|i| i.parse::<u64>().ok()).map_or(0, |i| i + 1);
            check = check.wrapping_mul(1_000_003).wrapping_add(number);
            check = check.wrapping_mul(1_000_003).wrapping_add(finish);
        }
        check.wrapping_mul(1_000_003).wrapping_add(calls as u64)
    });
    match outcome {
        Ok(check) => (tasks.len(), check),
        Err(message) if message == ABANDON => (0, 0),
        Err(message) => panic!("{message}"),
    }
}
