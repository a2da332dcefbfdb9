//! Circuit breaker with several trial calls and an optional failure-rate window.
//!
//! The breaker stores the time it opened (`None` while it is closed); open and half-open are
//! derived from `now` when asked, with no timer or background thread. While half-open it counts
//! the trials that succeeded: `trial_calls` successes in a row close it, one failure reopens it
//! (and the count starts over next time).
//!
//! While closed it opens on one of two rules. By default, the count of consecutive failures
//! reaching `failure_threshold`. With `with_failure_rate`, the share of failures among the calls
//! of the last `window` seconds: those calls are kept in a `VecDeque`, oldest first, with running
//! counts of calls and failures, so every call adds one entry and drops the ones that have left
//! the window: O(1) amortised per call, and memory bounded by the calls of one window. The
//! window is emptied whenever the breaker opens, so a closed breaker starts over with no history.

use std::collections::VecDeque;

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

/// The failure-rate rule's settings.
struct RateRule {
    failure_rate: f64,
    window: f64,
    min_calls: u32,
}

pub struct CircuitBreaker {
    failure_threshold: u32,
    recovery_timeout: f64,
    trial_calls: u32,
    /// `Some`: open on the failure rate instead of the consecutive count.
    rate: Option<RateRule>,
    /// Consecutive failures while closed (count rule).
    failures: u32,
    /// When the breaker last opened; `None` while it is closed.
    opened_at: Option<f64>,
    /// Successful trials since the breaker became half-open.
    trials_ok: u32,
    /// (time, failed) of the calls in the window (rate rule), oldest first.
    calls: VecDeque<(f64, bool)>,
    /// How many of those failed.
    window_failures: usize,
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
            trial_calls: 1,
            rate: None,
            failures: 0,
            opened_at: None,
            trials_ok: 0,
            calls: VecDeque::new(),
            window_failures: 0,
        }
    }

    /// Half-open lets `trial_calls` calls through: that many successes in a row close it.
    pub fn with_trial_calls(mut self, trial_calls: u32) -> Self {
        assert!(trial_calls >= 1, "trial_calls must be at least 1");
        self.trial_calls = trial_calls;
        self
    }

    /// Opens on the share of failures among the calls of the last `window` seconds (once there
    /// are at least `min_calls` of them) instead of on consecutive failures.
    pub fn with_failure_rate(mut self, failure_rate: f64, window: f64, min_calls: u32) -> Self {
        assert!(
            failure_rate > 0.0 && failure_rate <= 1.0,
            "failure_rate must be in (0, 1], got {failure_rate}"
        );
        assert!(window > 0.0, "window must be positive, got {window}");
        assert!(min_calls >= 1, "min_calls must be at least 1");
        self.rate = Some(RateRule {
            failure_rate,
            window,
            min_calls,
        });
        self
    }

    pub fn state(&self, now: f64) -> State {
        match self.opened_at {
            None => State::Closed,
            Some(opened_at) if now - opened_at < self.recovery_timeout => State::Open,
            Some(_) => State::HalfOpen,
        }
    }

    fn open(&mut self, now: f64) {
        self.opened_at = Some(now);
        self.trials_ok = 0;
        self.failures = 0;
        self.calls.clear();
        self.window_failures = 0;
    }

    /// Adds a closed call to the window; true when the failure rate says: open.
    fn record(&mut self, now: f64, failed: bool) -> bool {
        let Some(rule) = &self.rate else {
            return false;
        };
        self.calls.push_back((now, failed));
        self.window_failures += usize::from(failed);
        // A call counts while now - window < t.
        while let Some(&(t, old_failed)) = self.calls.front() {
            if t > now - rule.window {
                break;
            }
            self.calls.pop_front();
            self.window_failures -= usize::from(old_failed);
        }
        let total = self.calls.len();
        failed
            && total >= rule.min_calls as usize
            && self.window_failures as f64 >= rule.failure_rate * total as f64
    }

    pub fn call<T, E>(
        &mut self,
        now: f64,
        op: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, CallError<E>> {
        let state = self.state(now);
        if state == State::Open {
            // Refused before op runs; nothing changes.
            return Err(CallError::Open);
        }
        match op() {
            Ok(value) => {
                if state == State::HalfOpen {
                    self.trials_ok += 1;
                    if self.trials_ok >= self.trial_calls {
                        // Enough trials succeeded: closed, with no history.
                        self.opened_at = None;
                        self.trials_ok = 0;
                    }
                } else if self.rate.is_some() {
                    self.record(now, false);
                } else {
                    self.failures = 0;
                }
                Ok(value)
            }
            Err(error) => {
                if state == State::HalfOpen {
                    self.open(now); // a failed trial: open again, from now
                } else if self.rate.is_some() {
                    if self.record(now, true) {
                        self.open(now);
                    }
                } else {
                    self.failures += 1;
                    if self.failures >= self.failure_threshold {
                        self.open(now);
                    }
                }
                Err(CallError::Failed(error))
            }
        }
    }
}
