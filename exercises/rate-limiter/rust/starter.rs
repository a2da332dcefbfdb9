//! Rate limiter: see README.md for the full statement.

pub struct TokenBucket {
    // Your fields here.
}

impl TokenBucket {
    /// A bucket holding up to `capacity` tokens, refilled at `refill_per_sec` tokens per
    /// second. It is full at its first call. Panics when `capacity` is 0 or the rate is negative.
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        todo!("TokenBucket::new({capacity}, {refill_per_sec})")
    }

    /// At time `now` (seconds), refills, then takes `tokens` tokens and returns true if that
    /// many are available; otherwise takes nothing and returns false.
    pub fn allow(&mut self, now: f64, tokens: u32) -> bool {
        todo!("TokenBucket::allow({now}, {tokens})")
    }
}

pub struct RateLimiter {
    // Your fields here.
}

impl RateLimiter {
    /// One independent `TokenBucket::new(capacity, refill_per_sec)` per client. Panics here
    /// for invalid arguments, like `TokenBucket::new`.
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        todo!("RateLimiter::new({capacity}, {refill_per_sec})")
    }

    /// Takes one token from `client`'s bucket at time `now`.
    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        todo!("RateLimiter::allow({client:?}, {now})")
    }
}
