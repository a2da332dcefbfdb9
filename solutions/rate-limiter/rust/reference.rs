//! Rate limiter: a lazily refilled token bucket, and a HashMap of buckets, one per client.
//!
//! A bucket stores two numbers: the tokens it held at its latest call and the time of that
//! call. Nothing runs between calls; `allow` works out what came back since, so each call is
//! O(1) and each client costs O(1) memory.

use std::collections::HashMap;

pub struct TokenBucket {
    capacity: f64,
    refill_per_sec: f64,
    tokens: f64,
    /// Time of the latest call; `None` until the first one.
    last: Option<f64>,
}

impl TokenBucket {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        assert!(capacity >= 1, "capacity must be at least 1");
        // `>=` is false for NaN too, so a NaN rate is rejected as well.
        assert!(
            refill_per_sec >= 0.0,
            "refill rate must not be negative, got {refill_per_sec}"
        );
        TokenBucket {
            capacity: f64::from(capacity),
            refill_per_sec,
            tokens: f64::from(capacity), // full at the first call
            last: None,
        }
    }

    pub fn allow(&mut self, now: f64, tokens: u32) -> bool {
        match self.last {
            None => self.last = Some(now),
            Some(last) if now > last => {
                let refill = (now - last) * self.refill_per_sec;
                self.tokens = (self.tokens + refill).min(self.capacity);
                self.last = Some(now);
            }
            // The clock went backwards (or stood still): add nothing, keep the latest time.
            Some(_) => {}
        }
        let wanted = f64::from(tokens);
        if wanted <= self.tokens {
            self.tokens -= wanted;
            true
        } else {
            false
        }
    }
}

pub struct RateLimiter {
    capacity: u32,
    refill_per_sec: f64,
    buckets: HashMap<String, TokenBucket>,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        TokenBucket::new(capacity, refill_per_sec); // validate now, not at the first request
        RateLimiter {
            capacity,
            refill_per_sec,
            buckets: HashMap::new(),
        }
    }

    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        if !self.buckets.contains_key(client) {
            let bucket = TokenBucket::new(self.capacity, self.refill_per_sec);
            self.buckets.insert(client.to_string(), bucket);
        }
        self.buckets
            .get_mut(client)
            .expect("inserted above")
            .allow(now, 1)
    }
}
