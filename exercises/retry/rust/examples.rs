//! Visible examples for retry. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.
//! Nothing sleeps for real: each test passes a `sleep` closure that records the delays and a
//! `rand` closure that returns scripted values.

use retry::{retry, RetryPolicy};
use std::time::Duration;

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn policy(max_attempts: u32, initial: f64, jitter: bool) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_delay: secs(initial),
        max_delay: secs(60.0),
        exponential_base: 2.0,
        jitter,
    }
}

#[test]
fn test_success_first_try() {
    let mut calls = 0;
    let mut sleeps = Vec::new();
    let mut rand_calls = 0;
    let result: Result<i64, String> = retry(
        &policy(3, 0.5, true),
        |_attempt| {
            calls += 1;
            Ok(42)
        },
        |_error| true,
        |delay| sleeps.push(delay),
        || {
            rand_calls += 1;
            0.25
        },
    );
    assert_eq!(result, Ok(42));
    assert_eq!(calls, 1);
    assert!(sleeps.is_empty());
    assert_eq!(rand_calls, 0);
}

#[test]
fn test_retries_then_succeeds() {
    let mut calls = 0;
    let mut sleeps = Vec::new();
    let result: Result<i64, String> = retry(
        &policy(3, 1.0, false),
        |attempt| {
            calls += 1;
            if attempt < 3 {
                Err(format!("ConnectionError from call {attempt}"))
            } else {
                Ok(42)
            }
        },
        |_error| true,
        |delay| sleeps.push(delay),
        || -> f64 { panic!("rand must not be called when jitter is off") },
    );
    assert_eq!(result, Ok(42));
    assert_eq!(calls, 3);
    assert_eq!(sleeps, vec![secs(1.0), secs(2.0)]);
}

#[test]
fn test_gives_up_after_max_attempts() {
    let mut calls = 0;
    let mut sleeps = Vec::new();
    let mut values = vec![0.75, 0.25]; // popped from the end: 0.25 first
    let result: Result<i64, String> = retry(
        &policy(3, 0.5, true),
        |attempt| {
            calls += 1;
            Err(format!("TimeoutError from call {attempt}"))
        },
        |_error| true,
        |delay| sleeps.push(delay),
        || values.pop().expect("one rand() per sleep: only 2 expected"),
    );
    // The last attempt's own error comes back.
    assert_eq!(result, Err("TimeoutError from call 3".to_string()));
    assert_eq!(calls, 3);
    // 0.5 s * (0.5 + 0.25) and 1.0 s * (0.5 + 0.75); no sleep after the last attempt.
    assert_eq!(sleeps, vec![secs(0.375), secs(1.25)]);
    assert!(values.is_empty(), "rand() must be called once per sleep");
}
