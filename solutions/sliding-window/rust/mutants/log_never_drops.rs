// bug: keeps every allowed time and counts the recent ones with partition_point: right answers in O(log n), but the log grows without bound
// caught-by: log_memory_stays_bounded

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
        // The log is sorted, so the times still in the window are those after the last
        // t <= now - window: count them with a binary search instead of dropping the old ones.
        let horizon = now - self.window;
        let start = self.times.partition_point(|&t| t <= horizon);
        if self.times.len() - start < self.limit {
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
