//! `kst::model`: what a hidden driver uses to explore schedules of a scenario.
//!
//! ```ignore
//! let outcomes = kst::model::explore(&Config { seed: 7, ..Config::default() }, || {
//!     let q = Arc::new(BoundedQueue::new(1));
//!     let t = { let q = q.clone(); kst::thread::spawn(move || q.put(1)) };
//!     let v = q.get();
//!     t.join().unwrap();
//!     format!("got {v}")
//! });
//! // one outcome for a correct queue; kata compares every distinct outcome with the expected line
//! ```

use std::panic::{catch_unwind, AssertUnwindSafe, Location};

use crate::sched::{self as rt, Exec, Plan, Planner, Strategy};
use crate::time::Instant;

/// How to explore. Budgets are counts, never wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Seeds every random choice; same code + same seed = same outcomes and traces.
    pub seed: u64,
    /// Schedules to run at most (each from a fresh state).
    pub schedules: usize,
    /// Scheduling points one schedule may take before it is reported as `no progress`.
    pub max_steps: usize,
    /// Stop once this many distinct outcomes were seen (0: never stop early). Exploration
    /// also ends at the first `no progress` outcome.
    pub stop_after_distinct: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 0,
            schedules: 200,
            max_steps: 20_000,
            stop_after_distinct: 2,
        }
    }
}

/// One trace event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `main`, `T1`, `T2`... (spawn order).
    pub thread: String,
    /// `lock`, `locked`, `unlock`, `wait`, `wake`, `spurious`, `notify`, `notify_all`,
    /// `timeout`, `sleep`, `spawn`, `join`, `exit`, `blocked`, `atomic`, `violation`,
    /// `panic`, `clock`.
    pub ev: &'static str,
    /// `file:line` of the learner's call.
    pub at: Option<String>,
    pub detail: Option<String>,
}

/// One distinct result, with the first schedule that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The scenario's result, or `deadlock: ...`, `panic: ...`, `no progress: ...`.
    pub text: String,
    pub schedule: usize,
    /// That schedule's seed.
    pub seed: u64,
    /// Scheduling points it took.
    pub steps: usize,
    /// The first 100 events and the last 300 (`trace_cut` were dropped in between).
    pub trace: Vec<Event>,
    pub trace_cut: usize,
}

/// The distinct outcomes in the order first seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub outcomes: Vec<Outcome>,
    /// Schedules actually run (fewer than `Config::schedules` after an early stop).
    pub schedules_run: usize,
}

impl Outcomes {
    /// The distinct result texts, in order first seen.
    pub fn texts(&self) -> Vec<&str> {
        self.outcomes.iter().map(|o| o.text.as_str()).collect()
    }

    /// `[{"v": text, "schedule": i, "seed": s, "steps": n, "trace": [...], "trace_cut": k}]`
    /// where each trace event is `{"th":"T1","ev":"lock","at":"src/lib.rs:14","detail":"Mutex#1"}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("[");
        for (i, o) in self.outcomes.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"v\":{},\"schedule\":{},\"seed\":{},\"steps\":{},\"trace\":[",
                json_string(&o.text),
                o.schedule,
                o.seed,
                o.steps
            ));
            for (j, e) in o.trace.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str(&format!(
                    "{{\"th\":{},\"ev\":{}",
                    json_string(&e.thread),
                    json_string(e.ev)
                ));
                if let Some(at) = &e.at {
                    out.push_str(&format!(",\"at\":{}", json_string(at)));
                }
                if let Some(d) = &e.detail {
                    out.push_str(&format!(",\"detail\":{}", json_string(d)));
                }
                out.push('}');
            }
            out.push_str(&format!("],\"trace_cut\":{}}}", o.trace_cut));
        }
        out.push(']');
        out
    }
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs `scenario` once per schedule, each time from a fresh model state, on the calling
/// thread (the model's `main`). The scenario creates its own objects and threads and returns
/// a result line; see [`Config`] and the crate docs for the strategy.
pub fn explore<F>(cfg: &Config, scenario: F) -> Outcomes
where
    F: Fn() -> String + Sync,
{
    if let Some((exec, _)) = rt::peek_ctx() {
        if exec.lock().explore {
            panic!("kst::model::explore cannot be nested");
        }
    }
    let mut result = Outcomes::default();
    let mut planner: Option<Planner> = None;
    let mut max_seen = 1;
    for i in 0..cfg.schedules.max(1) {
        let seed = rt::schedule_seed(cfg.seed, i);
        let plan = match &planner {
            None => Plan::base(),
            Some(p) => p.plan(i, seed, max_seen),
        };
        let exec = Exec::new(true, Strategy::new(plan, seed, i == 0), cfg.max_steps);
        let prev = rt::swap_ctx(Some((exec.clone(), 0)));
        let r = catch_unwind(AssertUnwindSafe(&scenario));
        let done = exec.finish(r);
        rt::swap_ctx(prev);
        result.schedules_run = i + 1;
        max_seen = max_seen.max(done.steps);
        if let Some(base) = &done.base {
            planner = Some(Planner::new(base, cfg.schedules, cfg.seed));
        }
        // A schedule without progress is never a correct result and each costs `max_steps`
        // steps: it ends the exploration.
        let final_outcome = done.text.starts_with("no progress:");
        if !result.outcomes.iter().any(|o| o.text == done.text) {
            let events = done.trace.head.iter().chain(done.trace.tail.iter());
            let trace = events
                .map(|e| Event {
                    thread: rt::tname(e.th),
                    ev: e.ev,
                    at: e.at.map(rt::fmt_loc),
                    detail: e.detail.clone(),
                })
                .collect();
            result.outcomes.push(Outcome {
                text: done.text,
                schedule: i,
                seed,
                steps: done.steps,
                trace,
                trace_cut: done.trace.cut,
            });
            if cfg.stop_after_distinct > 0 && result.outcomes.len() >= cfg.stop_after_distinct {
                break;
            }
        }
        if final_outcome {
            break;
        }
    }
    result
}

/// Records that an invariant broke here (a `violation` trace event); the schedule goes on,
/// and its outcome gets `; violation: <msg>` appended.
#[track_caller]
pub fn violation(msg: &str) {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        exec.violation(me, loc, msg);
    }
}

/// A plain scheduling point (the scheduler may switch threads here).
#[track_caller]
pub fn yield_point() {
    let loc = Location::caller();
    if let Some((exec, me)) = rt::ctx() {
        rt::settle(exec.point(me, Some(loc), false));
    }
}

/// The virtual time.
pub fn now() -> Instant {
    Instant::now()
}

/// The calling model thread's name: `main`, `T1`, `T2`...
pub fn thread_name() -> String {
    rt::ctx()
        .map(|(_, me)| rt::tname(me))
        .unwrap_or_else(|| "main".to_string())
}

/// Whether the caller runs inside [`explore`].
pub fn exploring() -> bool {
    rt::peek_ctx().is_some_and(|(exec, _)| exec.lock().explore)
}
