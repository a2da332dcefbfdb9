// bug: all clients share one bucket
// caught-by: limiter_independent_clients

pub struct TokenBucket {
    capacity: f64,
    rate: f64,
    tokens: f64,
    last: Option<f64>,
}

impl TokenBucket {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
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
    bucket: TokenBucket,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        RateLimiter {
            bucket: TokenBucket::new(capacity, refill_per_sec),
        }
    }

    pub fn allow(&mut self, _client: &str, now: f64) -> bool {
        self.bucket.allow(now, 1)
    }
}
