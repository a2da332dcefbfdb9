//! Hidden driver for circuit-breaker (Rust). Operations: new THRESHOLD TIMEOUT, clock T,
//! state, call OUTCOME (see cases.txt).
//!
//! Nothing sleeps: `clock T` sets the time the driver passes as `now` to every later `state`
//! and `call` (0.0 at first). The `op` passed to `call` is scripted: it returns `Ok(V)` or an
//! `Err(Failure)` naming its kind, and counts whether it ran.
//!
//! Follow-up 1 (trial calls and a failure-rate window), behind `#[cfg(kata_stage_1)]` so a
//! solution without that API still compiles for the base cases: new_trials THRESHOLD TIMEOUT
//! TRIALS, new_rate TIMEOUT RATE WINDOW MIN_CALLS TRIALS (`new(5, TIMEOUT)`, like Python's
//! default threshold, then `with_failure_rate` and `with_trial_calls`), and the probe workload
//! rate_window.

use crate::harness::{self, Value};
use crate::learner::{CallError, CircuitBreaker, State};
#[cfg(kata_stage_1)]
use crate::harness::{Budget, Measured, TooSlow};

/// The error type of the scripted operation (the driver's own, not the learner's).
struct Failure {
    kind: String,
}

pub struct Driver {
    breaker: Option<CircuitBreaker>,
    now: f64,
}

fn called(count: u32) -> String {
    match count {
        0 => "not called".to_string(),
        1 => "called".to_string(),
        n => format!("called {n} times"),
    }
}

impl Driver {
    fn call(&mut self, outcome: &str) -> String {
        let now = self.now;
        let breaker = harness::need(self.breaker.as_mut());
        let mut calls: u32 = 0;
        let result = breaker.call(now, || {
            calls += 1;
            match outcome.strip_prefix("ok:") {
                Some(value) => Ok(value.parse::<i64>().expect("kata driver: bad ok:VALUE")),
                None => Err(Failure {
                    kind: outcome.to_string(),
                }),
            }
        });
        let what = match result {
            Ok(value) => format!("returned {}", harness::int(value)),
            Err(CallError::Failed(failure)) => format!("failed with {}", failure.kind),
            Err(CallError::Open) => "refused".to_string(),
        };
        format!("{}: {what}", called(calls))
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            breaker: None,
            now: 0.0,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "new" => {
                self.breaker = None; // a failed constructor leaves no breaker behind
                self.breaker = Some(CircuitBreaker::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "clock" => {
                self.now = args[0].float();
                harness::ok()
            }
            "state" => {
                let state = harness::need(self.breaker.as_mut()).state(self.now);
                harness::string(match state {
                    State::Closed => "closed",
                    State::Open => "open",
                    State::HalfOpen => "half-open",
                })
            }
            "call" => self.call(args[0].str()),
            #[cfg(kata_stage_1)]
            "new_trials" => {
                self.breaker = None;
                self.breaker = Some(
                    CircuitBreaker::new(args[0].int() as u32, args[1].float())
                        .with_trial_calls(args[2].int() as u32),
                );
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "new_rate" => {
                self.breaker = None;
                self.breaker = Some(
                    CircuitBreaker::new(5, args[0].float())
                        .with_failure_rate(args[1].float(), args[2].float(), args[3].int() as u32)
                        .with_trial_calls(args[4].int() as u32),
                );
                harness::ok()
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    #[cfg(kata_stage_1)]
    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        assert_eq!(workload, "rate_window", "kata driver: unknown workload");
        rate_window(size, budget)
    }
}

/// Calls per timed batch of rate_window.
#[cfg(kata_stage_1)]
const RATE_BATCH: usize = 400;

/// Call number `i` of rate_window, at time `i`: every fourth fails. 1 returned, 2 failed,
/// 3 refused.
#[cfg(kata_stage_1)]
fn rate_call(breaker: &mut CircuitBreaker, i: usize) -> u64 {
    let fail = i % 4 == 3;
    match breaker.call(i as f64, || if fail { Err(()) } else { Ok(1u64) }) {
        Ok(value) => value,
        Err(CallError::Failed(())) => 2,
        Err(CallError::Open) => 3,
    }
}

/// A breaker on the failure-rate rule whose window holds `size` calls (the same shape as the
/// Python driver's): one call per second, window = size seconds, every fourth call failing (a
/// 25% rate, below the 75% that opens it; min_calls 1). Built with `size` calls, then timed in
/// the steady state: every call adds one to the window and pushes the oldest out.
#[cfg(kata_stage_1)]
fn rate_window(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let mut breaker = CircuitBreaker::new(5, 60.0).with_failure_rate(0.75, size as f64, 1);
    for i in 0..size {
        std::hint::black_box(rate_call(&mut breaker, i));
        if i % 512 == 0 {
            budget.check(i)?;
        }
    }
    let mut next = size;
    harness::measure(budget, 5, || {
        let mut check = 0u64;
        for i in next..next + RATE_BATCH {
            check = check.wrapping_mul(5).wrapping_add(rate_call(&mut breaker, i));
        }
        next += RATE_BATCH;
        (RATE_BATCH, check)
    })
}
