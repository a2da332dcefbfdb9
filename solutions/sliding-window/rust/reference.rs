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

use std::collections::VecDeque;

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
