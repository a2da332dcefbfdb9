// bug: keeps recency in a Vec: finding and removing a key shifts the elements, so get and put are O(n)
// caught-by: get_put_scaling

pub struct LruCache {
    capacity: usize,
    entries: Vec<(i64, i64)>, // least recently used first
}

impl LruCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LruCache {
            capacity,
            entries: Vec::new(),
        }
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let i = self.entries.iter().position(|e| e.0 == key)?;
        let entry = self.entries.remove(i);
        self.entries.push(entry);
        Some(entry.1)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(i) = self.entries.iter().position(|e| e.0 == key) {
            self.entries.remove(i);
        } else if self.entries.len() == self.capacity {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
