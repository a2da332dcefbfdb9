// bug: moves to the next window only when now > end of the current one, so a request at exactly (k+1)*window is counted in window k
// caught-by: counter_boundary_belongs_to_next_window

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
    start: Option<f64>,
    current: u32,
    previous: u32,
}

impl SlidingWindowCounter {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        SlidingWindowCounter {
            limit: limit as f64,
            window,
            start: None,
            current: 0,
            previous: 0,
        }
    }

    pub fn allow(&mut self, now: f64) -> bool {
        let aligned = (now / self.window).floor() * self.window;
        let start = match self.start {
            None => aligned,
            Some(start) if now - start > 2.0 * self.window => {
                self.previous = 0;
                self.current = 0;
                aligned
            }
            Some(start) if now - start > self.window => {
                self.previous = self.current;
                self.current = 0;
                start + self.window
            }
            Some(start) => start,
        };
        self.start = Some(start);
        let estimate =
            self.previous as f64 * (start + self.window - now) / self.window + self.current as f64;
        if estimate + 1.0 <= self.limit {
            self.current += 1;
            true
        } else {
            false
        }
    }
}
