//! LRU cache: a HashMap from key to slot plus a doubly linked list, stored in a Vec and linked
//! by index, ordered by recency. get and put are O(1).
//!
//! SharedLruCache shares one LruCache between threads behind a Mutex. Every method takes the
//! lock, get too: a hit moves the key to the front, so a read writes (an RwLock would not
//! help). get_or_put checks and inserts under one lock, so callers racing on a missing key
//! agree on one value.

use std::collections::HashMap;
use std::sync::Mutex;

const NONE: usize = usize::MAX;

struct Node {
    key: i64,
    value: i64,
    prev: usize,
    next: usize,
}

pub struct LruCache {
    capacity: usize,
    map: HashMap<i64, usize>,
    nodes: Vec<Node>,
    head: usize, // most recently used
    tail: usize, // least recently used
}

impl LruCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LruCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            nodes: Vec::with_capacity(capacity),
            head: NONE,
            tail: NONE,
        }
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = (self.nodes[i].prev, self.nodes[i].next);
        if prev == NONE {
            self.head = next;
        } else {
            self.nodes[prev].next = next;
        }
        if next == NONE {
            self.tail = prev;
        } else {
            self.nodes[next].prev = prev;
        }
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NONE;
        self.nodes[i].next = self.head;
        if self.head != NONE {
            self.nodes[self.head].prev = i;
        }
        self.head = i;
        if self.tail == NONE {
            self.tail = i;
        }
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let i = *self.map.get(&key)?;
        self.unlink(i);
        self.push_front(i);
        Some(self.nodes[i].value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            self.unlink(i);
            self.push_front(i);
            return;
        }
        let i = if self.map.len() == self.capacity {
            // Reuse the least recently used slot.
            let i = self.tail;
            self.unlink(i);
            self.map.remove(&self.nodes[i].key);
            self.nodes[i].key = key;
            self.nodes[i].value = value;
            i
        } else {
            self.nodes.push(Node {
                key,
                value,
                prev: NONE,
                next: NONE,
            });
            self.nodes.len() - 1
        };
        self.map.insert(key, i);
        self.push_front(i);
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
}

pub struct SharedLruCache {
    inner: Mutex<LruCache>,
}

impl SharedLruCache {
    pub fn new(capacity: usize) -> Self {
        SharedLruCache {
            inner: Mutex::new(LruCache::new(capacity)),
        }
    }

    pub fn get(&self, key: i64) -> Option<i64> {
        self.inner.lock().unwrap().get(key)
    }

    pub fn put(&self, key: i64, value: i64) {
        self.inner.lock().unwrap().put(key, value);
    }

    /// The value of `key` if it is cached (making it the most recently used), else inserts
    /// `value` and returns it: one atomic step.
    pub fn get_or_put(&self, key: i64, value: i64) -> i64 {
        let mut cache = self.inner.lock().unwrap();
        match cache.get(key) {
            Some(found) => found,
            None => {
                cache.put(key, value);
                value
            }
        }
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap().len()
    }
}
