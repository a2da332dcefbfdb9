//! Visible examples for circuit-breaker. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.
//! Nothing sleeps for real: each test passes the time it wants as `now`.

use circuit_breaker::{CallError, CircuitBreaker, State};

fn ok(value: i64) -> impl FnOnce() -> Result<i64, String> {
    move || Ok(value)
}

fn fail(kind: &str) -> impl FnOnce() -> Result<i64, String> {
    let kind = kind.to_string();
    move || Err(kind)
}

#[test]
fn test_opens_after_threshold() {
    let mut breaker = CircuitBreaker::new(3, 10.0);
    assert_eq!(breaker.state(0.0), State::Closed);
    assert_eq!(breaker.call(0.0, ok(1)), Ok(1));
    for _ in 0..2 {
        assert_eq!(
            breaker.call(0.0, fail("ConnectionError")),
            Err(CallError::Failed("ConnectionError".to_string()))
        );
    }
    assert_eq!(breaker.state(0.0), State::Closed);
    // The third failure in a row opens the breaker and still returns op's own error.
    assert_eq!(
        breaker.call(0.0, fail("TimeoutError")),
        Err(CallError::Failed("TimeoutError".to_string()))
    );
    assert_eq!(breaker.state(0.0), State::Open);
    let mut called = false;
    let refused = breaker.call(0.0, || -> Result<i64, String> {
        called = true;
        Ok(2)
    });
    assert_eq!(refused, Err(CallError::Open));
    assert!(!called, "a refused call must not run op");
}

#[test]
fn test_half_open_trial_closes() {
    let mut breaker = CircuitBreaker::new(2, 10.0);
    for _ in 0..2 {
        assert!(breaker.call(100.0, fail("ConnectionError")).is_err());
    }
    assert_eq!(breaker.state(100.0), State::Open);
    assert_eq!(breaker.call(105.0, ok(1)), Err(CallError::Open));
    assert_eq!(breaker.state(110.0), State::HalfOpen); // no call needed to see it
    assert_eq!(breaker.call(110.0, ok(7)), Ok(7)); // the trial succeeds
    assert_eq!(breaker.state(110.0), State::Closed);
    assert_eq!(breaker.call(110.0, ok(8)), Ok(8));
}

#[test]
fn test_worked_example() {
    let mut breaker = CircuitBreaker::new(2, 10.0);
    assert_eq!(breaker.call(0.0, ok(1)), Ok(1));
    assert!(breaker.call(1.0, fail("ConnectionError")).is_err());
    assert!(breaker.call(2.0, fail("ConnectionError")).is_err());
    assert_eq!(breaker.state(2.0), State::Open); // opened at 2.0
    assert_eq!(breaker.call(5.0, ok(3)), Err(CallError::Open));
    assert_eq!(breaker.state(12.0), State::HalfOpen);
    assert_eq!(
        breaker.call(12.0, fail("TimeoutError")), // the failed trial
        Err(CallError::Failed("TimeoutError".to_string()))
    );
    assert_eq!(breaker.state(12.0), State::Open); // reopened at 12.0
    assert_eq!(breaker.call(21.5, ok(5)), Err(CallError::Open));
    assert_eq!(breaker.call(22.0, ok(7)), Ok(7));
    assert_eq!(breaker.state(22.0), State::Closed);
}
