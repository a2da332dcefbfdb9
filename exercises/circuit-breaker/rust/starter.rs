//! Circuit breaker: see README.md for the full statement.

/// Given: keep the derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
    HalfOpen,
}

/// Given: keep the derives.
#[derive(Debug, PartialEq, Eq)]
pub enum CallError<E> {
    /// The breaker is open: the call was refused and `op` was not called.
    Open,
    /// `op` ran and failed with this error, passed through unchanged.
    Failed(E),
}

pub struct CircuitBreaker {
    // Your fields here.
}

impl CircuitBreaker {
    /// A closed breaker that opens after `failure_threshold` consecutive failures and lets one
    /// trial call through once `recovery_timeout` seconds have passed. Panics when
    /// `failure_threshold` is 0 or `recovery_timeout` is negative.
    pub fn new(failure_threshold: u32, recovery_timeout: f64) -> Self {
        todo!("CircuitBreaker::new({failure_threshold}, {recovery_timeout})")
    }

    /// The state at time `now` (seconds on a monotonic clock).
    pub fn state(&self, now: f64) -> State {
        todo!("CircuitBreaker::state({now})")
    }

    /// Runs `op` and returns its `Ok` value, or its error as `Err(CallError::Failed(e))`,
    /// counting the outcome; while the breaker is open, returns `Err(CallError::Open)` without
    /// calling `op`.
    #[allow(unused_variables)] // remove once you use `op`
    pub fn call<T, E>(
        &mut self,
        now: f64,
        op: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        todo!("CircuitBreaker::call({now})")
    }
}
