//! TTL cache: a HashMap of entries plus two ordered indexes, both BTreeMaps.
//!
//! * `by_use` maps a use counter to the key: its first entry is the least recently used. A hit
//!   or a put gives the key a new, larger counter.
//! * `by_deadline` maps (expires_at, stamp) to the key: its first entry expires first. The
//!   stamp (the counter of the put) keeps two entries with the same deadline apart.
//!
//! Both indexes are updated exactly on every change, so they never hold stale items and memory
//! stays O(capacity). `purge(now)` pops the expired entries off the front of `by_deadline`,
//! O(log n) each, however many expire at the same moment. Every operation is O(log n) plus
//! O(log n) per entry it purges, which each entry pays once: amortised O(log n).
//! (A min-heap with lazy deletion, as in the Python reference, works too; the recency order
//! can also be a doubly linked list in a Vec, making a hit O(1).)
//!
//! Follow-up: `purge_expired(now)` is that same purge, made public. `expired` counts every
//! entry that has left the cache by expiring (in a purge, or found expired by `get`) since the
//! last `purge_expired`, which hands the count over and starts again from 0. An entry replaced
//! by an update or evicted as the least recently used did not expire and is not counted.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// A deadline usable as a BTreeMap key: `f64` is only `PartialOrd`, so order it with
/// `total_cmp` (deadlines are never NaN: ttls are validated).
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
    /// The counter of the put that stored this entry (its key in `by_deadline`).
    stamp: u64,
    /// The counter of its latest use (its key in `by_use`).
    used: u64,
}

pub struct TtlCache {
    capacity: usize,
    default_ttl: f64,
    entries: HashMap<String, Entry>,
    by_use: BTreeMap<u64, String>,
    by_deadline: BTreeMap<(Deadline, u64), String>,
    counter: u64,
    /// Entries that expired since the last `purge_expired`.
    expired: usize,
}

impl TtlCache {
    pub fn new(capacity: usize, default_ttl: f64) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        // `!(x > 0.0)` also rejects NaN.
        assert!(default_ttl > 0.0, "default_ttl must be positive, got {default_ttl}");
        TtlCache {
            capacity,
            default_ttl,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
            by_deadline: BTreeMap::new(),
            counter: 0,
            expired: 0,
        }
    }

    fn tick(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Removes `key`'s entry and both its index items.
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.used);
            self.by_deadline
                .remove(&(Deadline(entry.expires_at), entry.stamp));
        }
    }

    /// Removes every entry expired at `now` (expires_at <= now), earliest first.
    fn purge(&mut self, now: f64) {
        while let Some((&(Deadline(expires_at), _), _)) = self.by_deadline.first_key_value() {
            if expires_at > now {
                break;
            }
            let (_, key) = self.by_deadline.pop_first().expect("not empty");
            if let Some(entry) = self.entries.remove(&key) {
                self.by_use.remove(&entry.used);
                self.expired += 1;
            }
        }
    }

    pub fn put(&mut self, key: &str, value: &str, now: f64, ttl: Option<f64>) {
        let ttl = match ttl {
            None => self.default_ttl,
            // Validate before changing anything.
            Some(ttl) => {
                assert!(ttl > 0.0, "ttl must be positive, got {ttl}");
                ttl
            }
        };
        self.purge(now);
        if self.entries.contains_key(key) {
            self.remove(key); // an update: replaced below, never evicts
        } else if self.entries.len() >= self.capacity {
            // Nothing expired is left: evict the least recently used.
            let (_, oldest) = self.by_use.pop_first().expect("the cache is full");
            let entry = self.entries.remove(&oldest).expect("indexed entries exist");
            self.by_deadline
                .remove(&(Deadline(entry.expires_at), entry.stamp));
        }
        let stamp = self.tick();
        let expires_at = now + ttl;
        self.by_use.insert(stamp, key.to_string());
        self.by_deadline
            .insert((Deadline(expires_at), stamp), key.to_string());
        self.entries.insert(
            key.to_string(),
            Entry {
                value: value.to_string(),
                expires_at,
                stamp,
                used: stamp,
            },
        );
    }

    pub fn get(&mut self, key: &str, now: f64) -> Option<String> {
        let expires_at = self.entries.get(key)?.expires_at;
        if now >= expires_at {
            self.remove(key); // expired: gone for good
            self.expired += 1;
            return None;
        }
        let used = self.tick();
        let entry = self.entries.get_mut(key).expect("present");
        let old = std::mem::replace(&mut entry.used, used);
        let value = entry.value.clone();
        let name = self.by_use.remove(&old).expect("indexed");
        self.by_use.insert(used, name);
        Some(value)
    }

    pub fn size(&mut self, now: f64) -> usize {
        self.purge(now);
        self.entries.len()
    }

    /// Removes every entry expired at `now`; returns how many entries expired since the last
    /// call, counting those that other operations already dropped on the way.
    pub fn purge_expired(&mut self, now: f64) -> usize {
        self.purge(now);
        std::mem::take(&mut self.expired)
    }
}
