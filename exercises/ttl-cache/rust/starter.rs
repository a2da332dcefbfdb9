//! TTL cache: see README.md for the full statement.

pub struct TtlCache {
    // Your fields here.
}

impl TtlCache {
    /// Creates a cache holding at most `capacity` entries; an entry lives `default_ttl` seconds
    /// unless put with its own ttl. Panics when `capacity` is 0 or `default_ttl <= 0.0`.
    pub fn new(capacity: usize, default_ttl: f64) -> Self {
        todo!("TtlCache::new({capacity}, {default_ttl})")
    }

    /// Stores `value` under `key` at time `now`, expiring at `now + ttl` (`default_ttl` when
    /// `ttl` is `None`; panics for `Some(ttl)` with `ttl <= 0.0`, before changing anything).
    /// Makes `key` the most recently used. When a new key arrives in a full cache, first drops
    /// every entry expired at `now`, then, if it is still full, evicts the least recently used.
    pub fn put(&mut self, key: &str, value: &str, now: f64, ttl: Option<f64>) {
        todo!("TtlCache::put({key:?}, {value:?}, {now}, {ttl:?})")
    }

    /// The value of `key` at time `now`, or `None` when absent or expired. A hit makes `key`
    /// the most recently used.
    pub fn get(&mut self, key: &str, now: f64) -> Option<String> {
        todo!("TtlCache::get({key:?}, {now})")
    }

    /// The number of entries not expired at `now`.
    pub fn size(&mut self, now: f64) -> usize {
        todo!("TtlCache::size({now})")
    }
}
