//! LFU cache with decaying counts.
//!
//! As in the base exercise: entries live in a Vec and are linked by index into doubly linked
//! lists, one per count (`buckets[c]` = the keys used exactly c times, least recently used at
//! the head), and `min_count` is the lowest count present, so the victim is the head of
//! `buckets[min_count]`; get and put are O(1).
//!
//! Decay: every `decay_every` operations (gets, hits or misses, and puts) every count is
//! halved, rounded down, so 1 becomes 0. Halving keeps the order of counts but merges
//! neighbours (2 and 3 both become 1), and a merged list must still be in recency order. So
//! every node is also linked into one more list, `order`: all keys, least recently used first.
//! A decay rebuilds the count lists in one pass over it: each node is appended to the list of
//! its new count, and every list comes out in recency order. That pass is O(n); it runs once
//! every `decay_every` operations, so it adds O(n / decay_every) per operation: O(1) amortised
//! while decay_every grows with the capacity. `min_count` halves too (halving keeps the
//! order). Counts can now be 0, below a new key's 1.

use std::collections::HashMap;

const NONE: usize = usize::MAX;

struct Node {
    key: i64,
    value: i64,
    count: u64,
    /// Neighbours in the list of this node's count.
    prev: usize,
    next: usize,
    /// Neighbours in `order` (all keys by recency).
    older: usize,
    newer: usize,
}

/// One list: `head` is the least recently used, `tail` the most.
#[derive(Clone, Copy)]
struct List {
    head: usize,
    tail: usize,
}

const EMPTY: List = List {
    head: NONE,
    tail: NONE,
};

pub struct LfuCache {
    capacity: usize,
    map: HashMap<i64, usize>,
    nodes: Vec<Node>,
    buckets: HashMap<u64, List>,
    /// Every node, least recently used first (linked through `older`/`newer`).
    order: List,
    min_count: u64,
    /// 0: never decay.
    decay_every: u64,
    /// Gets and puts so far.
    ops: u64,
}

impl LfuCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LfuCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            nodes: Vec::with_capacity(capacity),
            buckets: HashMap::new(),
            order: EMPTY,
            min_count: 0,
            decay_every: 0,
            ops: 0,
        }
    }

    /// Halves every count after every `decay_every` gets and puts.
    pub fn with_decay(capacity: usize, decay_every: u64) -> Self {
        assert!(decay_every > 0, "decay_every must be at least 1");
        LfuCache {
            decay_every,
            ..LfuCache::new(capacity)
        }
    }

    /// Takes node `i` out of its count's list; returns true when that list is now empty
    /// (and removed).
    fn detach(&mut self, i: usize) -> bool {
        let (count, prev, next) = (self.nodes[i].count, self.nodes[i].prev, self.nodes[i].next);
        if prev != NONE {
            self.nodes[prev].next = next;
        }
        if next != NONE {
            self.nodes[next].prev = prev;
        }
        let list = self
            .buckets
            .get_mut(&count)
            .expect("every node is in its count's list");
        if list.head == i {
            list.head = next;
        }
        if list.tail == i {
            list.tail = prev;
        }
        if list.head == NONE {
            self.buckets.remove(&count);
            return true;
        }
        false
    }

    /// Appends node `i` (most recently used) to the list of its count.
    fn push_back(&mut self, i: usize) {
        let count = self.nodes[i].count;
        let list = self.buckets.entry(count).or_insert(EMPTY);
        let old_tail = list.tail;
        list.tail = i;
        if old_tail == NONE {
            list.head = i;
        } else {
            self.nodes[old_tail].next = i;
        }
        self.nodes[i].prev = old_tail;
        self.nodes[i].next = NONE;
    }

    /// Takes node `i` out of `order`.
    fn unlink_order(&mut self, i: usize) {
        let (older, newer) = (self.nodes[i].older, self.nodes[i].newer);
        if older == NONE {
            self.order.head = newer;
        } else {
            self.nodes[older].newer = newer;
        }
        if newer == NONE {
            self.order.tail = older;
        } else {
            self.nodes[newer].older = older;
        }
    }

    /// Appends node `i` to `order` as the most recently used.
    fn push_order(&mut self, i: usize) {
        let old_tail = self.order.tail;
        self.order.tail = i;
        if old_tail == NONE {
            self.order.head = i;
        } else {
            self.nodes[old_tail].newer = i;
        }
        self.nodes[i].older = old_tail;
        self.nodes[i].newer = NONE;
    }

    /// One more use of node `i`: move it to the back of the next count's list, and of `order`.
    fn touch(&mut self, i: usize) {
        let count = self.nodes[i].count;
        if self.detach(i) && self.min_count == count {
            self.min_count = count + 1;
        }
        self.nodes[i].count = count + 1;
        self.push_back(i);
        self.unlink_order(i);
        self.push_order(i);
    }

    /// Counts one operation; every decay_every-th one ends with a decay.
    fn tick(&mut self) {
        self.ops += 1;
        if self.decay_every > 0 && self.ops % self.decay_every == 0 {
            self.decay();
        }
    }

    /// Halves every count and rebuilds the count lists from `order`, oldest first, so every
    /// list comes out in recency order. O(n).
    fn decay(&mut self) {
        self.buckets.clear();
        let mut i = self.order.head;
        while i != NONE {
            self.nodes[i].count /= 2;
            self.push_back(i);
            i = self.nodes[i].newer;
        }
        self.min_count /= 2;
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let found = self.map.get(&key).copied();
        let value = found.map(|i| {
            self.touch(i);
            self.nodes[i].value
        });
        self.tick();
        value
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            self.touch(i);
            self.tick();
            return;
        }
        let i = if self.map.len() == self.capacity {
            // Evict first (the least recently used key of the lowest count), reusing its slot.
            let i = self.buckets[&self.min_count].head;
            self.detach(i);
            self.unlink_order(i);
            self.map.remove(&self.nodes[i].key);
            i
        } else {
            self.nodes.push(Node {
                key,
                value,
                count: 1,
                prev: NONE,
                next: NONE,
                older: NONE,
                newer: NONE,
            });
            self.nodes.len() - 1
        };
        self.nodes[i].key = key;
        self.nodes[i].value = value;
        self.nodes[i].count = 1;
        self.map.insert(key, i);
        self.push_back(i);
        self.push_order(i);
        // The new key's 1 is the lowest count unless decayed keys sit at 0.
        self.min_count = if self.buckets.contains_key(&0) { 0 } else { 1 };
        self.tick();
    }

    /// The key's use count, without using it.
    pub fn count(&self, key: i64) -> Option<u64> {
        self.map.get(&key).map(|&i| self.nodes[i].count)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
}
