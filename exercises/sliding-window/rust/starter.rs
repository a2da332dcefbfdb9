//! Sliding-window rate limiters: see README.md for the full statement.

pub struct SlidingWindowLog {
    // Your fields here.
}

impl SlidingWindowLog {
    /// At most `limit` allowed requests in any `window` seconds, counted exactly from the
    /// times of the allowed requests. Panics when `limit` is 0 or `window <= 0`.
    pub fn new(limit: u32, window: f64) -> Self {
        todo!("SlidingWindowLog::new({limit}, {window})")
    }

    /// Allows (and records `now`) when fewer than `limit` allowed requests have a time t with
    /// now - window < t <= now; otherwise refuses and records nothing.
    pub fn allow(&mut self, now: f64) -> bool {
        todo!("SlidingWindowLog::allow({now})")
    }
}

pub struct SlidingWindowCounter {
    // Your fields here.
}

impl SlidingWindowCounter {
    /// The same limit, estimated from two fixed-window counts. Panics like
    /// `SlidingWindowLog::new`.
    pub fn new(limit: u32, window: f64) -> Self {
        todo!("SlidingWindowCounter::new({limit}, {window})")
    }

    /// Allows (and counts) the request when
    /// previous * ((k + 1) * window - now) / window + current + 1 <= limit,
    /// where k = floor(now / window).
    pub fn allow(&mut self, now: f64) -> bool {
        todo!("SlidingWindowCounter::allow({now})")
    }
}
