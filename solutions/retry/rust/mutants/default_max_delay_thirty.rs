// bug: RetryPolicy::default() caps the delay at 30 s instead of 60 s
// caught-by: default_max_delay_sixty_seconds

use std::time::Duration;

pub struct RetryPolicy {
    pub max_attempts: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
    pub exponential_base: f64,
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            exponential_base: 2.0,
            jitter: true,
        }
    }
}

/// The capped delay in seconds after failure number `failure` (1-based), before jitter.
fn backoff(policy: &RetryPolicy, failure: u32) -> f64 {
    let initial = policy.initial_delay.as_secs_f64();
    if initial == 0.0 {
        // 0 * base^(k - 1) is 0 for every k. Once the power saturates to infinity the product
        // would be 0 * inf = NaN, and NaN.min(max_delay) is max_delay: answer 0 directly.
        return 0.0;
    }
    let exponent = i32::try_from(failure - 1).unwrap_or(i32::MAX);
    let raw = initial * policy.exponential_base.powi(exponent);
    raw.min(policy.max_delay.as_secs_f64())
}

pub fn retry<T, E>(
    policy: &RetryPolicy,
    mut op: impl FnMut(u32) -> Result<T, E>,
    retryable: impl Fn(&E) -> bool,
    mut sleep: impl FnMut(Duration),
    mut rand: impl FnMut() -> f64,
) -> Result<T, E> {
    assert!(policy.max_attempts > 0, "max_attempts must be at least 1");
    let mut attempt = 1;
    loop {
        match op(attempt) {
            Ok(value) => return Ok(value),
            Err(error) if attempt == policy.max_attempts || !retryable(&error) => return Err(error),
            Err(_) => {}
        }
        let mut secs = backoff(policy, attempt);
        if policy.jitter {
            secs *= 0.5 + rand();
        }
        sleep(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
        attempt += 1;
    }
}
