// bug: allows while estimate < limit, so a fractional estimate like 2.5 with limit 3 lets a request through
// caught-by: counter_fractional_estimate_refused

use std::collections::VecDeque;

fn validate(limit: u32, window: f64) {
    assert!(limit >= 1, "limit must be at least 1");
    assert!(window > 0.0, "window must be positive");
}

pub struct SlidingWindowLog {
    limit: usize,
    window: f64,
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
        while let Some(&oldest) = self.times.front() {
            if oldest <= now - self.window {
                self.times.pop_front();
            } else {
                break;
            }
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
    index: Option<i64>,
    current: u32,
    previous: u32,
}

impl SlidingWindowCounter {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        SlidingWindowCounter {
            limit: limit as f64,
            window,
            index: None,
            current: 0,
            previous: 0,
        }
    }

    pub fn allow(&mut self, now: f64) -> bool {
        let k = (now / self.window).floor() as i64;
        if self.index != Some(k) {
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
        if estimate < self.limit {
            self.current += 1;
            true
        } else {
            false
        }
    }
}
