//! Hidden driver for retry (Rust). Operations: new MAX INITIAL MAX_DELAY BASE JITTER [KINDS],
//! new_defaults, new_defaults_attempts N, call SCRIPT [RANDS], attempts (see cases.txt).
//! Follow-up 1 (stages/1-deadline): new_deadline MAX INITIAL MAX_DELAY BASE JITTER DEADLINE
//! [KINDS] (then `call` goes through `retry_with_deadline`), attempt_takes DURATIONS, elapsed.
//! Follow-up 2 (stages/2-async-retry-after): call_classified SCRIPT [RANDS] (`retry_classified`;
//! a script entry `RateLimited:2.5` is an error whose server asks to wait 2.5 s).
//!
//! Nothing sleeps: the learner's `retry` gets a `sleep` that records each delay and a `rand`
//! that returns scripted values and counts its calls. `op` is scripted too: call n returns
//! `Ok(V)` or `Err(Failure)` naming its kind and call number, so the result line shows which
//! attempt's error came back. A fake clock (follow-up 1, starting at 100 s) moves only with
//! the recorded sleeps and the scripted calls' durations (`attempt_takes`).

use std::cell::Cell;
use std::time::Duration;

use crate::harness::{self, Value};
use crate::learner::{retry, RetryPolicy};
#[cfg(kata_stage_1)]
use crate::learner::retry_with_deadline;
#[cfg(kata_stage_2)]
use crate::learner::{retry_classified, RetryDecision};

/// The error type of the scripted operation (the driver's own, not the learner's).
struct Failure {
    kind: String,
    call: u32,
}

enum Step {
    Ok(i64),
    Fail(String),
}

/// `RateLimited:2.5` -> ("RateLimited", Some(2.5)): a kind and the delay its server asks for.
fn kind_and_delay(entry: &str) -> (&str, Option<f64>) {
    match entry.split_once(':') {
        Some((kind, secs)) => (kind, Some(secs.parse().expect("kata driver: bad KIND:SECONDS"))),
        None => (entry, None),
    }
}

fn step(entry: &str) -> Step {
    match entry.strip_prefix("ok:") {
        Some(value) => Step::Ok(value.parse().expect("kata driver: bad ok:VALUE")),
        None => Step::Fail(entry.to_string()),
    }
}

/// `[0.5, 1.0, 60.0 x192]`: a run of 3 or more equal delays is written once with a count.
fn render_sleeps(sleeps: &[Duration]) -> String {
    let rendered: Vec<String> = sleeps
        .iter()
        .map(|d| harness::float(d.as_secs_f64()))
        .collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < rendered.len() {
        let mut j = i;
        while j < rendered.len() && rendered[j] == rendered[i] {
            j += 1;
        }
        if j - i >= 3 {
            items.push(format!("{} x{}", rendered[i], j - i));
        } else {
            items.extend(rendered[i..j].iter().cloned());
        }
        i = j;
    }
    format!("[{}]", items.join(", "))
}

pub struct Driver {
    policy: Option<RetryPolicy>,
    /// Kinds `retryable` accepts; "Exception" accepts every kind.
    retryable: Vec<String>,
    /// Attempt numbers `op` received during the last call.
    attempts: Vec<u32>,
    /// Follow-up 1: the deadline `new_deadline` set (seconds), for `call`.
    deadline: Option<f64>,
    /// The fake clock (seconds): moved by recorded sleeps and scripted call durations.
    now: f64,
    /// The clock when the last call started.
    started_at: f64,
    /// How long call n of the operation takes (the last one repeats).
    durations: Vec<f64>,
}

/// Which entry point a call goes through.
#[derive(Clone, Copy)]
#[allow(dead_code)] // the follow-ups' modes exist only in their stages' builds
enum Mode {
    Plain,
    Deadline(f64),
    Classified,
}

impl Driver {
    fn call(&mut self, script: &[Value], rands: &[Value], mode: Mode) -> String {
        let steps: Vec<Step> = script.iter().map(|v| step(v.str())).collect();
        assert!(!steps.is_empty(), "kata driver: empty script");
        let rands: Vec<f64> = rands.iter().map(Value::float).collect();
        let policy = harness::need(self.policy.as_mut());
        let kinds = &self.retryable;
        let durations = &self.durations;
        let clock = Cell::new(self.now);
        self.started_at = self.now;
        let mut calls: u32 = 0;
        let mut attempts = Vec::new();
        let mut sleeps = Vec::new();
        let mut rand_calls: usize = 0;
        let op = |attempt: u32| {
            attempts.push(attempt);
            calls += 1;
            let n = calls as usize;
            clock.set(clock.get() + durations[n.min(durations.len()) - 1]);
            match &steps[n.min(steps.len()) - 1] {
                Step::Ok(value) => Ok(*value),
                Step::Fail(kind) => Err(Failure {
                    kind: kind.clone(),
                    call: calls,
                }),
            }
        };
        let retryable = |error: &Failure| {
            let kind = kind_and_delay(&error.kind).0;
            kinds.iter().any(|k| k == "Exception" || k == kind)
        };
        let sleep = |delay: Duration| {
            sleeps.push(delay);
            clock.set(clock.get() + delay.as_secs_f64());
        };
        let rand = || {
            rand_calls += 1;
            match rands.last() {
                None => 0.5,
                Some(last) => *rands.get(rand_calls - 1).unwrap_or(last),
            }
        };
        let result = match mode {
            #[cfg(kata_stage_1)]
            Mode::Deadline(deadline) => retry_with_deadline(
                &*policy,
                Duration::from_secs_f64(deadline),
                op,
                retryable,
                sleep,
                rand,
                || Duration::from_secs_f64(clock.get()),
            ),
            #[cfg(kata_stage_2)]
            Mode::Classified => retry_classified(
                &*policy,
                op,
                |error: &Failure| match kind_and_delay(&error.kind) {
                    _ if !retryable(error) => RetryDecision::GiveUp,
                    (_, Some(secs)) => RetryDecision::RetryAfter(Duration::from_secs_f64(secs)),
                    (_, None) => RetryDecision::Retry,
                },
                sleep,
                rand,
            ),
            _ => retry(&*policy, op, retryable, sleep, rand),
        };
        self.attempts = attempts;
        self.now = clock.get();
        let outcome = match result {
            Ok(value) => format!("returned {}", harness::int(value)),
            Err(failure) => format!(
                "failed with {} from call {}",
                kind_and_delay(&failure.kind).0,
                failure.call
            ),
        };
        format!(
            "{outcome} after {calls} call{}; sleeps {}; rand calls {rand_calls}",
            if calls == 1 { "" } else { "s" },
            render_sleeps(&sleeps)
        )
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            policy: None,
            retryable: Vec::new(),
            attempts: Vec::new(),
            deadline: None,
            now: 100.0,
            started_at: 100.0,
            durations: vec![0.0],
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        if name.starts_with("new") {
            self.deadline = None; // a new policy; new_deadline sets its own below
        }
        match name {
            "new" => {
                self.policy = Some(RetryPolicy {
                    max_attempts: args[0].int() as u32,
                    initial_delay: Duration::from_secs_f64(args[1].float()),
                    max_delay: Duration::from_secs_f64(args[2].float()),
                    exponential_base: args[3].float(),
                    jitter: args[4].bool(),
                });
                self.retryable = match args.get(5) {
                    Some(kinds) => kinds.list().iter().map(|k| k.str().to_string()).collect(),
                    None => vec!["Exception".to_string()],
                };
                harness::ok()
            }
            "new_defaults" => {
                self.policy = Some(RetryPolicy::default());
                self.retryable = vec!["Exception".to_string()];
                harness::ok()
            }
            "new_defaults_attempts" => {
                self.policy = Some(RetryPolicy {
                    max_attempts: args[0].int() as u32,
                    ..RetryPolicy::default()
                });
                self.retryable = vec!["Exception".to_string()];
                harness::ok()
            }
            "call" => {
                let rands = args.get(1).map(Value::list).unwrap_or(&[]);
                let mode = self.deadline.map_or(Mode::Plain, Mode::Deadline);
                self.call(args[0].list(), rands, mode)
            }
            // ---- follow-up 1: an overall deadline on an injected clock ----
            "new_deadline" => {
                self.policy = Some(RetryPolicy {
                    max_attempts: args[0].int() as u32,
                    initial_delay: Duration::from_secs_f64(args[1].float()),
                    max_delay: Duration::from_secs_f64(args[2].float()),
                    exponential_base: args[3].float(),
                    jitter: args[4].bool(),
                });
                self.deadline = Some(args[5].float());
                self.retryable = match args.get(6) {
                    Some(kinds) => kinds.list().iter().map(|k| k.str().to_string()).collect(),
                    None => vec!["Exception".to_string()],
                };
                harness::ok()
            }
            "attempt_takes" => {
                self.durations = args[0].list().iter().map(Value::float).collect();
                if self.durations.is_empty() {
                    self.durations.push(0.0);
                }
                harness::ok()
            }
            "elapsed" => harness::float(self.now - self.started_at),
            // ---- follow-up 2: the server's Retry-After overrides the backoff ----
            "call_classified" => {
                let rands = args.get(1).map(Value::list).unwrap_or(&[]);
                self.call(args[0].list(), rands, Mode::Classified)
            }
            "attempts" => harness::list(self.attempts.iter().map(|a| harness::int(*a))),
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
