//! Hidden driver for circuit-breaker (Rust). Operations: new THRESHOLD TIMEOUT, clock T,
//! state, call OUTCOME (see cases.txt).
//!
//! Nothing sleeps: `clock T` sets the time the driver passes as `now` to every later `state`
//! and `call` (0.0 at first). The `op` passed to `call` is scripted: it returns `Ok(V)` or an
//! `Err(Failure)` naming its kind, and counts whether it ran.

use crate::harness::{self, Value};
use crate::learner::{CallError, CircuitBreaker, State};

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
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
