// bug: accepts a capacity of 0 instead of panicking
// caught-by: capacity_zero_rejected

use std::collections::HashMap;

pub struct TokenBucket {
    capacity: f64,
    rate: f64,
    tokens: f64,
    last: Option<f64>,
}

impl TokenBucket {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        assert!(refill_per_sec >= 0.0, "refill rate must not be negative");
        TokenBucket {
            capacity: capacity as f64,
            rate: refill_per_sec,
            tokens: capacity as f64,
            last: None,
        }
    }

    pub fn allow(&mut self, now: f64, tokens: u32) -> bool {
        match self.last {
            None => self.last = Some(now),
            Some(last) if now > last => {
                self.tokens = (self.tokens + (now - last) * self.rate).min(self.capacity);
                self.last = Some(now);
            }
            Some(_) => {}
        }
        let wanted = tokens as f64;
        if self.tokens >= wanted {
            self.tokens -= wanted;
            true
        } else {
            false
        }
    }
}

pub struct RateLimiter {
    capacity: u32,
    rate: f64,
    buckets: HashMap<String, TokenBucket>,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        let _ = TokenBucket::new(capacity, refill_per_sec); // validates
        RateLimiter {
            capacity,
            rate: refill_per_sec,
            buckets: HashMap::new(),
        }
    }

    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        let (capacity, rate) = (self.capacity, self.rate);
        self.buckets
            .entry(client.to_string())
            .or_insert_with(|| TokenBucket::new(capacity, rate))
            .allow(now, 1)
    }
}
