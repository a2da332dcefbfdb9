// bug: keeps use counts in a separate HashMap that eviction never cleans up, so a key that comes back resumes its old count
// caught-by: reinserted_key_starts_at_one

use std::collections::{BTreeSet, HashMap};

pub struct LfuCache {
    capacity: usize,
    values: HashMap<i64, i64>,
    counts: HashMap<i64, u64>,        // key -> uses, never forgotten
    last_use: HashMap<i64, u64>,      // key -> clock of its last use
    order: BTreeSet<(u64, u64, i64)>, // (count, last use, key) of the cached keys
    clock: u64,
}

impl LfuCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LfuCache {
            capacity,
            values: HashMap::new(),
            counts: HashMap::new(),
            last_use: HashMap::new(),
            order: BTreeSet::new(),
            clock: 0,
        }
    }

    /// One more use of `key` (cached or being inserted).
    fn use_key(&mut self, key: i64) {
        self.clock += 1;
        let count = self.counts.entry(key).or_insert(0);
        if let Some(&last) = self.last_use.get(&key) {
            self.order.remove(&(*count, last, key));
        }
        *count += 1;
        self.order.insert((*count, self.clock, key));
        self.last_use.insert(key, self.clock);
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let value = *self.values.get(&key)?;
        self.use_key(key);
        Some(value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if !self.values.contains_key(&key) && self.values.len() == self.capacity {
            let (_, _, victim) = self.order.pop_first().expect("a full cache has a key");
            self.values.remove(&victim);
            self.last_use.remove(&victim);
        }
        self.values.insert(key, value);
        self.use_key(key);
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }
}
