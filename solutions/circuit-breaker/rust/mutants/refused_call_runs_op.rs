// bug: runs op first and only then checks whether the breaker is open
// caught-by: open_refuses_without_calling

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug, PartialEq, Eq)]
pub enum CallError<E> {
    Open,
    Failed(E),
}

pub struct CircuitBreaker {
    failure_threshold: u32,
    recovery_timeout: f64,
    /// Consecutive failures while closed.
    failures: u32,
    /// When the breaker last opened; `None` while it is closed.
    opened_at: Option<f64>,
}

impl CircuitBreaker {
    pub fn new(failure_threshold: u32, recovery_timeout: f64) -> Self {
        assert!(
            failure_threshold >= 1,
            "failure_threshold must be at least 1"
        );
        // `>=` is false for NaN too, so a NaN timeout is rejected as well.
        assert!(
            recovery_timeout >= 0.0,
            "recovery_timeout must not be negative, got {recovery_timeout}"
        );
        CircuitBreaker {
            failure_threshold,
            recovery_timeout,
            failures: 0,
            opened_at: None,
        }
    }

    pub fn state(&self, now: f64) -> State {
        match self.opened_at {
            None => State::Closed,
            Some(opened_at) if now - opened_at < self.recovery_timeout => State::Open,
            Some(_) => State::HalfOpen,
        }
    }

    pub fn call<T, E>(
        &mut self,
        now: f64,
        op: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let state = self.state(now);
        let result = op();
        if state == State::Open {
            return Err(CallError::Open);
        }
        match result {
            Ok(value) => {
                // A success while closed resets the count; a successful trial closes the breaker.
                self.failures = 0;
                self.opened_at = None;
                Ok(value)
            }
            Err(error) => {
                if state == State::HalfOpen {
                    self.opened_at = Some(now); // the trial failed: open again, from now
                } else {
                    self.failures += 1;
                    if self.failures >= self.failure_threshold {
                        self.opened_at = Some(now);
                    }
                }
                Err(CallError::Failed(error))
            }
        }
    }
}
