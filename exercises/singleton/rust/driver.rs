//! Hidden driver for singleton (Rust).
//!
//! Sequential operations (the learner's API called on the driver's thread, still under kst:
//! a call that would wait for ever panics with `deadlock: ...`):
//!   new / default       Once::new() / Once::default()
//!   call_once           call_once with a closure that returns: `ran` or `skipped`
//!   call_failing        call_once with a closure that panics: `raised` (it ran and its panic
//!                       reached the caller), `skipped` (not run), or `ran, but its panic did
//!                       not reach the caller`
//!   call_observing      call_once with a closure that reads is_completed() while it runs:
//!                       `ran, completed inside: false` or `skipped`
//!   completed           is_completed()
//!
//! Scenarios (explored under kst's scheduler; the line summarises what every schedule must
//! agree on, so a correct Once gives one line):
//!   race N              N threads call at once
//!   race_failing_first N   N threads call at once; the first closure to start panics
//!   race_all_failing N  N threads call at once; every closure panics
//!   race_with_reader N  N threads call at once while another reads is_completed()

use crate::harness::{self, Value};
use crate::learner::Once;
use kst::model::{self, Config};
use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

/// The message of the panics the driver's closures raise on purpose.
const PLANNED: &str = "the closure failed (a panic raised by the test)";

pub struct Driver {
    once: Option<Once>,
}

fn is_planned(payload: &(dyn Any + Send)) -> bool {
    payload_text(payload) == PLANNED
}

/// Explores a scenario with the check's seed: its result is every distinct outcome.
fn explore(schedules: usize, scenario: impl Fn() -> String + Sync) -> String {
    let config = Config {
        seed: harness::seed(),
        schedules,
        ..Config::default()
    };
    harness::explored(model::explore(&config, scenario).to_json())
}

/// Driver-side bookkeeping of a scenario: real atomics, so it adds no scheduling points.
#[derive(Default)]
struct Tally {
    /// Closures started.
    runs: AtomicUsize,
    /// A closure has returned normally.
    succeeded: AtomicBool,
    /// Callers whose call_once panicked with the closure's own (planned) panic.
    raised: AtomicUsize,
    /// Callers whose call_once returned normally.
    returned: AtomicUsize,
    /// Callers whose call_once returned while no closure had returned normally yet.
    early: AtomicUsize,
    /// Panics of the learner's own code (not the planned one), by message.
    other_panics: Mutex<Vec<String>>,
}

impl Tally {
    /// The closure a scenario thread passes to call_once: counts itself, leaves room for other
    /// threads to arrive while it runs, then returns or (when `fails` says so) panics.
    fn closure(&self, fails: impl FnOnce(usize) -> bool) {
        let run = self.runs.fetch_add(1, SeqCst);
        if run > 0 && self.succeeded.load(SeqCst) {
            model::violation("a closure runs after another one returned");
        }
        // A yield lets the other callers arrive while this closure runs, even in the schedule
        // without preemption; the scheduling point after it is one more place to switch.
        kst::thread::yield_now();
        model::yield_point();
        if fails(run) {
            panic!("{}", PLANNED);
        }
        self.succeeded.store(true, SeqCst);
    }

    /// Calls `call` (one call_once) and records how it ended.
    fn call(&self, call: impl FnOnce()) {
        match panic::catch_unwind(AssertUnwindSafe(call)) {
            Ok(()) => {
                self.returned.fetch_add(1, SeqCst);
                if !self.succeeded.load(SeqCst) {
                    model::violation("call_once returned, but no closure has finished");
                    self.early.fetch_add(1, SeqCst);
                }
            }
            Err(p) if is_planned(&*p) => {
                self.raised.fetch_add(1, SeqCst);
            }
            Err(p) => {
                let message = payload_text(&*p);
                self.other_panics.lock().unwrap().push(message);
            }
        }
    }

    /// `; a thread panicked: ...` for panics of the learner's own code.
    fn panics(&self) -> String {
        let panics = self.other_panics.lock().unwrap();
        panics
            .iter()
            .map(|m| format!("; a thread panicked: {m}"))
            .collect()
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// Spawns `n` threads that each run `body(once, tally)`, joins them, and returns the shared
/// state for the summary.
fn callers(
    n: usize,
    body: impl Fn(&Once, &Tally) + Send + Sync + 'static,
) -> (Arc<Once>, Arc<Tally>) {
    let once = Arc::new(Once::new());
    let tally = Arc::new(Tally::default());
    let body = Arc::new(body);
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (once, tally, body) = (once.clone(), tally.clone(), body.clone());
            kst::thread::spawn(move || body(&once, &tally))
        })
        .collect();
    for handle in handles {
        let _ = handle.join();
    }
    (once, tally)
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver { once: None }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "new" => {
                self.once = Some(Once::new());
                harness::ok()
            }
            "default" => {
                self.once = Some(Once::default());
                harness::ok()
            }
            "call_once" => {
                let mut ran = false;
                harness::need(self.once.as_mut()).call_once(|| ran = true);
                if ran { "ran" } else { "skipped" }.to_string()
            }
            "call_failing" => {
                let once = harness::need(self.once.as_mut());
                let ran = Cell::new(false);
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    once.call_once(|| {
                        ran.set(true);
                        panic!("{}", PLANNED);
                    })
                }));
                match result {
                    Err(p) if is_planned(&*p) => "raised".to_string(),
                    // The learner's own panic: reported as `panic: <message>`.
                    Err(p) => panic::resume_unwind(p),
                    Ok(()) if ran.get() => {
                        "ran, but its panic did not reach the caller".to_string()
                    }
                    Ok(()) => "skipped".to_string(),
                }
            }
            "call_observing" => {
                let once = harness::need(self.once.as_mut());
                let inside = Cell::new(None);
                once.call_once(|| inside.set(Some(once.is_completed())));
                match inside.get() {
                    Some(seen) => format!("ran, completed inside: {seen}"),
                    None => "skipped".to_string(),
                }
            }
            "completed" => harness::boolean(harness::need(self.once.as_mut()).is_completed()),
            "race" => {
                let n = args[0].int() as usize;
                explore(200, move || {
                    let (once, tally) = callers(n, |once, tally| {
                        tally.call(|| once.call_once(|| tally.closure(|_| false)))
                    });
                    format!(
                        "runs={} returned_early={} completed={}{}",
                        tally.runs.load(SeqCst),
                        tally.early.load(SeqCst),
                        once.is_completed(),
                        tally.panics()
                    )
                })
            }
            "race_failing_first" | "race_all_failing" => {
                let n = args[0].int() as usize;
                let all = name == "race_all_failing";
                explore(200, move || {
                    let (once, tally) = callers(n, move |once, tally| {
                        tally.call(|| once.call_once(|| tally.closure(|run| all || run == 0)))
                    });
                    format!(
                        "runs={} raised={} returned={} returned_early={} completed={}{}",
                        tally.runs.load(SeqCst),
                        tally.raised.load(SeqCst),
                        tally.returned.load(SeqCst),
                        tally.early.load(SeqCst),
                        once.is_completed(),
                        tally.panics()
                    )
                })
            }
            "race_with_reader" => {
                let n = args[0].int() as usize;
                explore(200, move || {
                    let once = Arc::new(Once::new());
                    let tally = Arc::new(Tally::default());
                    let premature = Arc::new(AtomicBool::new(false));
                    let reverted = Arc::new(AtomicBool::new(false));
                    let reader = {
                        let (once, tally) = (once.clone(), tally.clone());
                        let (premature, reverted) = (premature.clone(), reverted.clone());
                        kst::thread::spawn(move || {
                            let mut seen = false;
                            for _ in 0..3 {
                                let now = once.is_completed();
                                if now && !tally.succeeded.load(SeqCst) {
                                    model::violation(
                                        "is_completed() is true before a closure returned",
                                    );
                                    premature.store(true, SeqCst);
                                }
                                if seen && !now {
                                    model::violation("is_completed() went back to false");
                                    reverted.store(true, SeqCst);
                                }
                                seen = now;
                                kst::thread::yield_now();
                            }
                        })
                    };
                    let handles: Vec<_> = (0..n)
                        .map(|_| {
                            let (once, tally) = (once.clone(), tally.clone());
                            kst::thread::spawn(move || {
                                tally.call(|| once.call_once(|| tally.closure(|_| false)))
                            })
                        })
                        .collect();
                    for handle in handles {
                        let _ = handle.join();
                    }
                    let _ = reader.join();
                    format!(
                        "runs={} returned_early={} completed_before_done={} went_back={} completed={}{}",
                        tally.runs.load(SeqCst),
                        tally.early.load(SeqCst),
                        premature.load(SeqCst),
                        reverted.load(SeqCst),
                        once.is_completed(),
                        tally.panics()
                    )
                })
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
