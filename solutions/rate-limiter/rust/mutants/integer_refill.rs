// bug: stores whole tokens in a u32 and truncates each refill, losing the fractions
// caught-by: fractional_tokens_accumulate

use std::collections::HashMap;

pub struct TokenBucket {
    capacity: u32,
    rate: f64,
    tokens: u32,
    last: Option<f64>,
}

impl TokenBucket {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        assert!(refill_per_sec >= 0.0, "refill rate must not be negative");
        TokenBucket {
            capacity,
            rate: refill_per_sec,
            tokens: capacity,
            last: None,
        }
    }

    pub fn allow(&mut self, now: f64, tokens: u32) -> bool {
        match self.last {
            None => self.last = Some(now),
            Some(last) if now > last => {
                let refill = ((now - last) * self.rate) as u32;
                self.tokens = self.tokens.saturating_add(refill).min(self.capacity);
                self.last = Some(now);
            }
            Some(_) => {}
        }
        if self.tokens >= tokens {
            self.tokens -= tokens;
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
