// bug: correct answers, but each eviction scans every key for the lowest (count, last use), so a put into a full cache is O(n)
// caught-by: get_put_scaling

use std::collections::HashMap;

struct Entry {
    value: i64,
    count: u64,
    last_use: u64,
}

pub struct LfuCache {
    capacity: usize,
    entries: HashMap<i64, Entry>,
    clock: u64,
}

impl LfuCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LfuCache {
            capacity,
            entries: HashMap::new(),
            clock: 0,
        }
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        self.clock += 1;
        let entry = self.entries.get_mut(&key)?;
        entry.count += 1;
        entry.last_use = self.clock;
        Some(entry.value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        self.clock += 1;
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.value = value;
            entry.count += 1;
            entry.last_use = self.clock;
            return;
        }
        if self.entries.len() == self.capacity {
            let victim = *self
                .entries
                .iter()
                .min_by_key(|(_, e)| (e.count, e.last_use))
                .map(|(k, _)| k)
                .expect("a full cache has a key");
            self.entries.remove(&victim);
        }
        self.entries.insert(
            key,
            Entry {
                value,
                count: 1,
                last_use: self.clock,
            },
        );
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
