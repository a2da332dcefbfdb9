// bug: the 'log' is really a fixed-window counter: it resets at every multiple of `window`
// caught-by: log_slides_not_fixed

fn validate(limit: u32, window: f64) {
    assert!(limit >= 1, "limit must be at least 1");
    assert!(window > 0.0, "window must be positive");
}

pub struct SlidingWindowLog {
    limit: u32,
    window: f64,
    start: Option<f64>,
    count: u32,
}

impl SlidingWindowLog {
    pub fn new(limit: u32, window: f64) -> Self {
        validate(limit, window);
        SlidingWindowLog {
            limit,
            window,
            start: None,
            count: 0,
        }
    }

    pub fn allow(&mut self, now: f64) -> bool {
        let start = (now / self.window).floor() * self.window;
        if self.start != Some(start) {
            self.start = Some(start);
            self.count = 0;
        }
        if self.count < self.limit {
            self.count += 1;
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
        if estimate + 1.0 <= self.limit {
            self.current += 1;
            true
        } else {
            false
        }
    }
}
