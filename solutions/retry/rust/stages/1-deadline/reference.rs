//! Retry with exponential backoff, jitter and an overall deadline.
//!
//! One loop over attempts 1..=max_attempts serves both entry points. After failure k (not the
//! last, and retryable) the delay is min(initial_delay * base^(k - 1), max_delay), times
//! (0.5 + rand()) with jitter. The delay is computed in f64 seconds, where a huge power
//! saturates to infinity and the min() brings it back to max_delay (a zero initial delay stays
//! 0: 0 * inf would be NaN); only the final, capped value becomes a Duration (building or
//! multiplying a Duration past u64::MAX seconds would panic). With a deadline, the time since
//! the call began (read from `now` once before the first attempt and once after each failure)
//! plus that delay must not pass the deadline; otherwise the loop gives up before sleeping
//! and returns that failure's error.

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
            max_delay: Duration::from_secs(60),
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
    op: impl FnMut(u32) -> Result<T, E>,
    retryable: impl Fn(&E) -> bool,
    sleep: impl FnMut(Duration),
    rand: impl FnMut() -> f64,
) -> Result<T, E> {
    run(policy, None, op, retryable, sleep, rand, || Duration::ZERO)
}

pub fn retry_with_deadline<T, E>(
    policy: &RetryPolicy,
    deadline: Duration,
    op: impl FnMut(u32) -> Result<T, E>,
    retryable: impl Fn(&E) -> bool,
    sleep: impl FnMut(Duration),
    rand: impl FnMut() -> f64,
    now: impl FnMut() -> Duration,
) -> Result<T, E> {
    run(policy, Some(deadline), op, retryable, sleep, rand, now)
}

fn run<T, E>(
    policy: &RetryPolicy,
    deadline: Option<Duration>,
    mut op: impl FnMut(u32) -> Result<T, E>,
    retryable: impl Fn(&E) -> bool,
    mut sleep: impl FnMut(Duration),
    mut rand: impl FnMut() -> f64,
    mut now: impl FnMut() -> Duration,
) -> Result<T, E> {
    assert!(policy.max_attempts > 0, "max_attempts must be at least 1");
    let started = deadline.map(|_| now()); // this call's own start
    let mut attempt = 1;
    loop {
        let error = match op(attempt) {
            Ok(value) => return Ok(value),
            Err(error) if attempt == policy.max_attempts || !retryable(&error) => return Err(error),
            Err(error) => error,
        };
        let mut secs = backoff(policy, attempt);
        if policy.jitter {
            secs *= 0.5 + rand();
        }
        let delay = Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX);
        if let (Some(deadline), Some(started)) = (deadline, started) {
            let elapsed = now().saturating_sub(started);
            if elapsed.saturating_add(delay) > deadline {
                return Err(error); // sleeping would end past the deadline: give up now
            }
        }
        sleep(delay);
        attempt += 1;
    }
}
