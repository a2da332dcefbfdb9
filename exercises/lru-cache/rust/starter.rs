//! LRU cache: see README.md for the full statement.

pub struct LruCache {
    // Your fields here.
}

impl LruCache {
    /// Creates a cache holding at most `capacity` keys. Panics when `capacity` is 0.
    pub fn new(capacity: usize) -> Self {
        todo!("LruCache::new({capacity})")
    }

    /// The value for `key`, or `None`; makes `key` the most recently used.
    pub fn get(&mut self, key: i64) -> Option<i64> {
        todo!("LruCache::get({key})")
    }

    /// Inserts or updates `key` and makes it the most recently used; when the cache is over
    /// capacity, evicts the least recently used key.
    pub fn put(&mut self, key: i64, value: i64) {
        todo!("LruCache::put({key}, {value})")
    }

    /// The number of keys stored.
    pub fn len(&self) -> usize {
        todo!("LruCache::len")
    }
}
