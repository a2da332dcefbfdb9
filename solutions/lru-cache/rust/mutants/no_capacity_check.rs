// bug: accepts a capacity of 0 instead of panicking
// caught-by: capacity_zero_rejected

use std::collections::{BTreeMap, HashMap};

/// Recency as a logical clock: each use gets a new tick; the smallest tick is the LRU.
pub struct LruCache {
    capacity: usize,
    tick: u64,
    entries: HashMap<i64, (i64, u64)>,
    by_tick: BTreeMap<u64, i64>,
}

impl LruCache {
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            tick: 0,
            entries: HashMap::new(),
            by_tick: BTreeMap::new(),
        }
    }

    fn touch(&mut self, key: i64) {
        let entry = self.entries.get_mut(&key).unwrap();
        self.by_tick.remove(&entry.1);
        self.tick += 1;
        entry.1 = self.tick;
        self.by_tick.insert(self.tick, key);
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let value = self.entries.get(&key)?.0;
        self.touch(key);
        Some(value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.0 = value;
            self.touch(key);
            return;
        }
        if self.entries.len() == self.capacity {
            let (&oldest, &victim) = self.by_tick.iter().next().unwrap();
            self.by_tick.remove(&oldest);
            self.entries.remove(&victim);
        }
        self.tick += 1;
        self.entries.insert(key, (value, self.tick));
        self.by_tick.insert(self.tick, key);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
