// bug: a min-heap of deadlines with lazy deletion, but the purge trusts every heap item: after an update or an eviction the key's old deadline is still in the heap and removes the new entry
// caught-by: expiry_moved_later

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};

#[derive(Clone, Copy, PartialEq)]
struct Deadline(f64);

impl Eq for Deadline {}

impl PartialOrd for Deadline {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Deadline {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

struct Entry {
    value: String,
    expires_at: f64,
    used: u64,
}

pub struct TtlCache {
    capacity: usize,
    default_ttl: f64,
    entries: HashMap<String, Entry>,
    by_use: BTreeMap<u64, String>,
    heap: BinaryHeap<Reverse<(Deadline, String)>>,
    counter: u64,
}

impl TtlCache {
    pub fn new(capacity: usize, default_ttl: f64) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        assert!(default_ttl > 0.0, "default_ttl must be positive");
        TtlCache {
            capacity,
            default_ttl,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
            heap: BinaryHeap::new(),
            counter: 0,
        }
    }

    fn purge(&mut self, now: f64) {
        while let Some(Reverse((Deadline(expires_at), _))) = self.heap.peek() {
            if *expires_at > now {
                break;
            }
            let Reverse((_, key)) = self.heap.pop().expect("not empty");
            if let Some(entry) = self.entries.remove(&key) {
                self.by_use.remove(&entry.used);
            }
        }
    }

    pub fn put(&mut self, key: &str, value: &str, now: f64, ttl: Option<f64>) {
        let ttl = ttl.unwrap_or(self.default_ttl);
        assert!(ttl > 0.0, "ttl must be positive");
        self.purge(now);
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.used);
        } else if self.entries.len() >= self.capacity {
            let (_, oldest) = self.by_use.pop_first().expect("full");
            self.entries.remove(&oldest);
        }
        self.counter += 1;
        let expires_at = now + ttl;
        self.by_use.insert(self.counter, key.to_string());
        self.heap.push(Reverse((Deadline(expires_at), key.to_string())));
        self.entries.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                expires_at,
                used: self.counter,
            },
        );
    }

    pub fn get(&mut self, key: &str, now: f64) -> Option<String> {
        let entry = self.entries.get(key)?;
        if now >= entry.expires_at {
            let entry = self.entries.remove(key).expect("present");
            self.by_use.remove(&entry.used);
            return None;
        }
        self.counter += 1;
        let entry = self.entries.get_mut(key).expect("present");
        let old = std::mem::replace(&mut entry.used, self.counter);
        let name = self.by_use.remove(&old).expect("indexed");
        self.by_use.insert(self.counter, name);
        Some(entry.value.clone())
    }

    pub fn size(&mut self, now: f64) -> usize {
        self.purge(now);
        self.entries.len()
    }
}
