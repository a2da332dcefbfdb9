// bug: stores the state and moves from open to half-open only inside call, so state(now) still says Open after the timeout
// caught-by: state_reports_half_open_without_call

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
    state: State,
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
            state: State::Closed,
        }
    }

    pub fn state(&self, _now: f64) -> State {
        self.state
    }

    pub fn call<T, E>(
        &mut self,
        now: f64,
        op: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        if let (State::Open, Some(opened_at)) = (self.state, self.opened_at) {
            if now - opened_at >= self.recovery_timeout {
                self.state = State::HalfOpen;
            }
        }
        let state = self.state;
        if state == State::Open {
            // Refused before op runs; neither the count nor the timer changes.
            return Err(CallError::Open);
        }
        match op() {
            Ok(value) => {
                // A success while closed resets the count; a successful trial closes the breaker.
                self.failures = 0;
                self.opened_at = None;
                self.state = State::Closed;
                Ok(value)
            }
            Err(error) => {
                if state == State::HalfOpen {
                    self.opened_at = Some(now); // the trial failed: open again, from now
                    self.state = State::Open;
                } else {
                    self.failures += 1;
                    if self.failures >= self.failure_threshold {
                        self.opened_at = Some(now);
                        self.state = State::Open;
                    }
                }
                Err(CallError::Failed(error))
            }
        }
    }
}
