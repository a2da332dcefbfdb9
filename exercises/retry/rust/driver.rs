//! Hidden driver for retry (Rust). Operations: new MAX INITIAL MAX_DELAY BASE JITTER [KINDS],
//! new_defaults, new_defaults_attempts N, call SCRIPT [RANDS], attempts (see cases.txt).
//!
//! Nothing sleeps: the learner's `retry` gets a `sleep` that records each delay and a `rand`
//! that returns scripted values and counts its calls. `op` is scripted too: call n returns
//! `Ok(V)` or `Err(Failure)` naming its kind and call number, so the result line shows which
//! attempt's error came back.

use std::time::Duration;

use crate::harness::{self, Value};
use crate::learner::{retry, RetryPolicy};

/// The error type of the scripted operation (the driver's own, not the learner's).
struct Failure {
    kind: String,
    call: u32,
}

enum Step {
    Ok(i64),
    Fail(String),
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
}

impl Driver {
    fn call(&mut self, script: &[Value], rands: &[Value]) -> String {
        let steps: Vec<Step> = script.iter().map(|v| step(v.str())).collect();
        assert!(!steps.is_empty(), "kata driver: empty script");
        let rands: Vec<f64> = rands.iter().map(Value::float).collect();
        let policy = harness::need(self.policy.as_mut());
        let kinds = &self.retryable;
        let mut calls: u32 = 0;
        let mut attempts = Vec::new();
        let mut sleeps = Vec::new();
        let mut rand_calls: usize = 0;
        let result = retry(
            &*policy,
            |attempt| {
                attempts.push(attempt);
                calls += 1;
                match &steps[(calls as usize).min(steps.len()) - 1] {
                    Step::Ok(value) => Ok(*value),
                    Step::Fail(kind) => Err(Failure {
                        kind: kind.clone(),
                        call: calls,
                    }),
                }
            },
            |error: &Failure| kinds.iter().any(|k| k == "Exception" || *k == error.kind),
            |delay: Duration| sleeps.push(delay),
            || {
                rand_calls += 1;
                match rands.last() {
                    None => 0.5,
                    Some(last) => *rands.get(rand_calls - 1).unwrap_or(last),
                }
            },
        );
        self.attempts = attempts;
        let outcome = match result {
            Ok(value) => format!("returned {}", harness::int(value)),
            Err(failure) => format!("failed with {} from call {}", failure.kind, failure.call),
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
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
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
                self.call(args[0].list(), rands)
            }
            "attempts" => harness::list(self.attempts.iter().map(|a| harness::int(*a))),
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
