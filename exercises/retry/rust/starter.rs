//! Retry with exponential backoff and jitter: see README.md for the full statement.

use std::time::Duration;

pub struct RetryPolicy {
    pub max_attempts: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
    pub exponential_base: f64,
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 1 s initial delay, 60 s max delay, base 2.0, jitter on.
    fn default() -> Self {
        todo!("RetryPolicy::default")
    }
}

/// Calls `op` (with the attempt number, starting at 1) up to `policy.max_attempts` times and
/// returns its first `Ok`. After failure number k (k < max_attempts) with an error for which
/// `retryable` is true, calls `sleep(d)` once with
/// d = min(initial_delay * exponential_base^(k - 1), max_delay), multiplied by
/// (0.5 + rand()) when `policy.jitter` is on. A non-retryable error is returned at once; after
/// the last attempt its own `Err` is returned. Panics when `policy.max_attempts` is 0.
#[allow(unused_variables, unused_mut)] // remove once you use every parameter
pub fn retry<T, E>(
    policy: &RetryPolicy,
    mut op: impl FnMut(u32) -> Result<T, E>,
    retryable: impl Fn(&E) -> bool,
    mut sleep: impl FnMut(Duration),
    mut rand: impl FnMut() -> f64,
) -> Result<T, E> {
    todo!("retry(max_attempts = {})", policy.max_attempts)
}
