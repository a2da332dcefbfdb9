// bug: a BTreeSet of (count, key) gives O(log n) eviction but breaks ties by the smallest key, not by recency
// caught-by: ties_broken_by_recency

use std::collections::{BTreeSet, HashMap};

pub struct LfuCache {
    capacity: usize,
    entries: HashMap<i64, (i64, u64)>, // key -> (value, count)
    order: BTreeSet<(u64, i64)>,       // (count, key): the first is the victim
}

impl LfuCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LfuCache {
            capacity,
            entries: HashMap::new(),
            order: BTreeSet::new(),
        }
    }

    fn bump(&mut self, key: i64) {
        let entry = self.entries.get_mut(&key).expect("cached");
        self.order.remove(&(entry.1, key));
        entry.1 += 1;
        self.order.insert((entry.1, key));
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let value = self.entries.get(&key)?.0;
        self.bump(key);
        Some(value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.0 = value;
            self.bump(key);
            return;
        }
        if self.entries.len() == self.capacity {
            let (_, victim) = self.order.pop_first().expect("a full cache has a key");
            self.entries.remove(&victim);
        }
        self.entries.insert(key, (value, 1));
        self.order.insert((1, key));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
