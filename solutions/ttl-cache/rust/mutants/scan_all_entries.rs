// bug: one plain HashMap and a use counter: a put into a full cache scans every entry for expired ones and then for the least recently used, and size scans them all; correct, but O(n) per operation
// caught-by: ttl_scaling

use std::collections::HashMap;

struct Entry {
    value: String,
    expires_at: f64,
    last_used: u64,
}

pub struct TtlCache {
    capacity: usize,
    default_ttl: f64,
    data: HashMap<String, Entry>,
    clock: u64,
}

impl TtlCache {
    pub fn new(capacity: usize, default_ttl: f64) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        assert!(default_ttl > 0.0, "default_ttl must be positive");
        TtlCache {
            capacity,
            default_ttl,
            data: HashMap::new(),
            clock: 0,
        }
    }

    pub fn put(&mut self, key: &str, value: &str, now: f64, ttl: Option<f64>) {
        let ttl = ttl.unwrap_or(self.default_ttl);
        assert!(ttl > 0.0, "ttl must be positive");
        self.clock += 1;
        let live = self.data.get(key).is_some_and(|e| now < e.expires_at);
        if !live && self.data.len() >= self.capacity {
            self.data.retain(|_, e| now < e.expires_at);
            if self.data.len() >= self.capacity {
                let oldest = self
                    .data
                    .iter()
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| k.clone())
                    .expect("full");
                self.data.remove(&oldest);
            }
        }
        self.data.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                expires_at: now + ttl,
                last_used: self.clock,
            },
        );
    }

    pub fn get(&mut self, key: &str, now: f64) -> Option<String> {
        let entry = self.data.get_mut(key)?;
        if now >= entry.expires_at {
            self.data.remove(key);
            return None;
        }
        self.clock += 1;
        entry.last_used = self.clock;
        Some(entry.value.clone())
    }

    pub fn size(&mut self, now: f64) -> usize {
        self.data.values().filter(|e| now < e.expires_at).count()
    }
}
