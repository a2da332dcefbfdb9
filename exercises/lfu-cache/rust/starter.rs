//! LFU cache: see README.md for the full statement.

pub struct LfuCache {
    // Your fields here.
}

impl LfuCache {
    /// Creates a cache holding at most `capacity` keys. Panics when `capacity` is 0.
    pub fn new(capacity: usize) -> Self {
        todo!("LfuCache::new({capacity})")
    }

    /// The value for `key`, or `None`. A hit adds 1 to the key's use count and makes it the
    /// most recently used.
    pub fn get(&mut self, key: i64) -> Option<i64> {
        todo!("LfuCache::get({key})")
    }

    /// Inserts `key` with count 1, or updates its value and adds 1 to its count; either way it
    /// becomes the most recently used. A new key in a full cache first evicts the key with the
    /// lowest count (the least recently used among equal counts).
    pub fn put(&mut self, key: i64, value: i64) {
        todo!("LfuCache::put({key}, {value})")
    }

    /// The number of keys stored.
    pub fn len(&self) -> usize {
        todo!("LfuCache::len")
    }
}
