//! Rate limiter: a lazily refilled token bucket, and a HashMap of buckets, one per client, that
//! forgets clients once they have been idle for `idle_timeout` seconds.
//!
//! A bucket stores two numbers: the tokens it held at its latest call and the time of that
//! call. Nothing runs between calls; `allow` works out what came back since, so each call is
//! O(1) and each client costs O(1) memory.
//!
//! Forgetting uses two generations of clients instead of an order per client: `young` holds
//! the clients that made a request since the current generation began, `old` those of the
//! generation before. A generation lasts at least `idle_timeout` seconds of the limiter's
//! clock; when it is over, `old` is dropped whole (every client in it made its latest request
//! before the current generation began, so it is idle) and `young` becomes `old`. A request
//! moves its client into `young`. So each call is O(1) amortised (a client is dropped once),
//! and memory follows the clients seen in the last two generations. Whether a client is
//! forgotten is decided exactly, at its own request: idle means clock - last >= idle_timeout.
//!
//! SharedRateLimiter shares one RateLimiter between threads behind a Mutex, held for the whole
//! of each request: refilling, deciding and taking a token is a read-modify-write of the
//! bucket, creating a client's bucket is check-then-act on the map, and forgetting idle
//! clients rearranges the maps. One lock is simple and O(1); to scale, shard the clients over
//! N limiters by a hash of the name, each with its own lock.

use std::collections::HashMap;
use std::sync::Mutex;

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
    /// `None`: clients are never forgotten.
    idle_timeout: Option<f64>,
    /// The latest `now` seen, from any client.
    clock: f64,
    /// When the current generation began (on the limiter's clock).
    generation_start: f64,
    /// Clients whose latest request came in the current generation.
    young: HashMap<String, TokenBucket>,
    /// Clients whose latest request came in the generation before.
    old: HashMap<String, TokenBucket>,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        TokenBucket::new(capacity, refill_per_sec); // validate now, not at the first request
        RateLimiter {
            capacity,
            refill_per_sec,
            idle_timeout: None,
            clock: f64::NEG_INFINITY,
            generation_start: f64::NEG_INFINITY,
            young: HashMap::new(),
            old: HashMap::new(),
        }
    }

    /// A limiter that forgets a client once it has made no request for `idle_timeout`
    /// seconds (on the limiter's clock). Panics like `new`, and unless `idle_timeout > 0`.
    pub fn with_idle_timeout(capacity: u32, refill_per_sec: f64, idle_timeout: f64) -> Self {
        assert!(
            idle_timeout > 0.0,
            "idle timeout must be positive, got {idle_timeout}"
        );
        RateLimiter {
            idle_timeout: Some(idle_timeout),
            ..RateLimiter::new(capacity, refill_per_sec)
        }
    }

    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        self.clock = self.clock.max(now);
        let mut bucket = match self.young.remove(client) {
            Some(bucket) => Some(bucket),
            None => self.old.remove(client),
        };
        if let Some(idle) = self.idle_timeout {
            if self.clock - self.generation_start >= idle {
                // Everyone in `old` made their latest request before `generation_start`,
                // at least `idle` seconds ago: all idle, all forgotten.
                self.old = std::mem::take(&mut self.young);
                self.generation_start = self.clock;
            }
            let last = bucket.as_ref().and_then(|b| b.last);
            if matches!(last, Some(last) if self.clock - last >= idle) {
                bucket = None; // forgotten: this request is its first
            }
        }
        let mut bucket =
            bucket.unwrap_or_else(|| TokenBucket::new(self.capacity, self.refill_per_sec));
        let allowed = bucket.allow(now, 1);
        self.young.insert(client.to_string(), bucket);
        allowed
    }
}

pub struct SharedRateLimiter {
    inner: Mutex<RateLimiter>,
}

impl SharedRateLimiter {
    pub fn new(capacity: u32, refill_per_sec: f64) -> Self {
        SharedRateLimiter {
            inner: Mutex::new(RateLimiter::new(capacity, refill_per_sec)),
        }
    }

    pub fn with_idle_timeout(capacity: u32, refill_per_sec: f64, idle_timeout: f64) -> Self {
        SharedRateLimiter {
            inner: Mutex::new(RateLimiter::with_idle_timeout(
                capacity,
                refill_per_sec,
                idle_timeout,
            )),
        }
    }

    pub fn allow(&self, client: &str, now: f64) -> bool {
        self.inner.lock().unwrap().allow(client, now)
    }
}
