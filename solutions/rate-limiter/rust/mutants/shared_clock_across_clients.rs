// bug: keeps tokens per client but one reference time for all clients
// caught-by: limiter_clients_have_own_clocks

use std::collections::HashMap;

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
    capacity: f64,
    rate: f64,
    tokens: HashMap<String, f64>,
    last: Option<f64>,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        let _ = TokenBucket::new(capacity, refill_per_sec); // validates
        RateLimiter {
            capacity: capacity as f64,
            rate: refill_per_sec,
            tokens: HashMap::new(),
            last: None,
        }
    }

    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        let last = *self.last.get_or_insert(now);
        let capacity = self.capacity;
        let tokens = self.tokens.entry(client.to_string()).or_insert(capacity);
        if now > last {
            *tokens = (*tokens + (now - last) * self.rate).min(capacity);
            self.last = Some(now);
        }
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
