//! Sliding-window rate limiters: an exact log of request times and a weighted window counter.
//!
//! `SlidingWindowLog` keeps the times of the allowed requests still inside the window in a
//! `VecDeque`, oldest first: each call drops the times that left the window from the front and
//! pushes `now` at the back when it allows. Every time is pushed once and popped at most once,
//! so `allow` is amortised O(1), and the deque never holds more than `limit` times.
//!
//! `SlidingWindowCounter` keeps two counts (the current fixed window and the one before it) and
//! estimates the sliding window by weighting the previous count with the part of the previous
//! window that the sliding window still covers: O(1) time and memory, but approximate.
//!
//! `PerClientLimiter` (follow-up 1) is a sliding-window log per client whose memory is bounded
//! by recent activity: one `VecDeque` holds (time, client) for every allowed request still
//! inside the window, oldest first, whoever sent it, and a `HashMap` counts them per client.
//! Each call first drops the requests that left the window from the front, and forgets a client
//! when its count reaches 0. An idle client therefore costs nothing once its last allowed
//! request is a window old, no call ever looks at every client, and `allow` and `active` are
//! amortised O(1).

use std::collections::{HashMap, VecDeque};

fn validate(limit: u32, window: f64) {
    assert!(limit >= 1, "limit must be at least 1");
    // `>` is false for NaN too, so a NaN window is rejected as well.
    assert!(window > 0.0, "window must be positive, got {window}");
}

pub struct SlidingWindowLog {
    limit: usize,
    window: f64,
    /// Times of the allowed requests still in the window, oldest first.
    times: VecDeque<f64>,
}

impl SlidingWindowLog {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        SlidingWindowLog {
            limit: limit as usize,
            window,
            times: VecDeque::new(),
        }
    }

    pub fn allow(&mut self, now: f64) -> bool {
        // A request at time t counts while now - window < t; exactly `window` ago it is gone.
        let horizon = now - self.window;
        while self.times.front().is_some_and(|&t| t <= horizon) {
            self.times.pop_front();
        }
        if self.times.len() < self.limit {
            self.times.push_back(now);
            true
        } else {
            false
        }
    }
}

pub struct SlidingWindowCounter {
    limit: f64,
    window: f64,
    /// k of the fixed window [k*window, (k+1)*window) being counted; `None` before the first call.
    index: Option<i64>,
    /// Allowed requests in window `index`.
    current: u64,
    /// Allowed requests in window `index - 1`.
    previous: u64,
}

impl SlidingWindowCounter {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        SlidingWindowCounter {
            limit: f64::from(limit),
            window,
            index: None,
            current: 0,
            previous: 0,
        }
    }

    pub fn allow(&mut self, now: f64) -> bool {
        let k = (now / self.window).floor() as i64;
        if self.index != Some(k) {
            // Moving to a later window: the old current becomes previous only when it is the
            // window just before k; after a gap (or at the first call) previous is 0.
            self.previous = if self.index == Some(k - 1) {
                self.current
            } else {
                0
            };
            self.current = 0;
            self.index = Some(k);
        }
        let end = (k + 1) as f64 * self.window;
        let estimate = self.previous as f64 * (end - now) / self.window + self.current as f64;
        if estimate + 1.0 <= self.limit {
            self.current += 1;
            true
        } else {
            false
        }
    }
}

pub struct PerClientLimiter {
    limit: u32,
    window: f64,
    /// (time, client) of every allowed request still in the window, oldest first.
    log: VecDeque<(f64, String)>,
    /// Each client's requests in `log`; only clients with at least one.
    counts: HashMap<String, u32>,
}

impl PerClientLimiter {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        PerClientLimiter {
            limit,
            window,
            log: VecDeque::new(),
            counts: HashMap::new(),
        }
    }

    /// Drops the requests that left the window, and the clients left with none.
    fn expire(&mut self, now: f64) {
        let horizon = now - self.window;
        while self.log.front().is_some_and(|&(t, _)| t <= horizon) {
            let (_, client) = self.log.pop_front().expect("not empty");
            let count = self.counts.get_mut(&client).expect("counted");
            *count -= 1;
            if *count == 0 {
                self.counts.remove(&client); // idle for a whole window: forget it
            }
        }
    }

    pub fn allow(&mut self, client: &str, now: f64) -> bool {
        self.expire(now);
        let count = self.counts.get(client).copied().unwrap_or(0);
        if count < self.limit {
            self.counts.insert(client.to_string(), count + 1);
            self.log.push_back((now, client.to_string()));
            true
        } else {
            false
        }
    }

    pub fn active(&mut self, now: f64) -> usize {
        self.expire(now);
        self.counts.len()
    }
}
