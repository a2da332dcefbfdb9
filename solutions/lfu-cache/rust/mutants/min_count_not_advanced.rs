// bug: does not raise min_count when a use empties the lowest count's list, so eviction looks up a list that no longer exists
// caught-by: min_count_follows_uses

use std::collections::HashMap;

const NONE: usize = usize::MAX;

struct Node {
    key: i64,
    value: i64,
    count: u64,
    prev: usize,
    next: usize,
}

/// One count's list: `head` is the least recently used, `tail` the most.
#[derive(Clone, Copy)]
struct List {
    head: usize,
    tail: usize,
}

pub struct LfuCache {
    capacity: usize,
    map: HashMap<i64, usize>,
    nodes: Vec<Node>,
    buckets: HashMap<u64, List>,
    min_count: u64,
}

impl LfuCache {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        LfuCache {
            capacity,
            map: HashMap::with_capacity(capacity),
            nodes: Vec::with_capacity(capacity),
            buckets: HashMap::new(),
            min_count: 0,
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
        let list = self.buckets.entry(count).or_insert(List {
            head: NONE,
            tail: NONE,
        });
        let old_tail = list.tail;
        list.tail = i;
        if old_tail == NONE {
            list.head = i;
        }
        if old_tail != NONE {
            self.nodes[old_tail].next = i;
        }
        self.nodes[i].prev = old_tail;
        self.nodes[i].next = NONE;
    }

    /// One more use of node `i`: move it to the back of the next count's list.
    fn touch(&mut self, i: usize) {
        let count = self.nodes[i].count;
        self.detach(i);
        self.nodes[i].count = count + 1;
        self.push_back(i);
    }

    pub fn get(&mut self, key: i64) -> Option<i64> {
        let i = *self.map.get(&key)?;
        self.touch(i);
        Some(self.nodes[i].value)
    }

    pub fn put(&mut self, key: i64, value: i64) {
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = value;
            self.touch(i);
            return;
        }
        let i = if self.map.len() == self.capacity {
            // Evict first (the least recently used key of the lowest count), reusing its slot.
            let i = self.buckets[&self.min_count].head;
            self.detach(i);
            self.map.remove(&self.nodes[i].key);
            i
        } else {
            self.nodes.push(Node {
                key,
                value,
                count: 1,
                prev: NONE,
                next: NONE,
            });
            self.nodes.len() - 1
        };
        self.nodes[i].key = key;
        self.nodes[i].value = value;
        self.nodes[i].count = 1;
        self.map.insert(key, i);
        self.push_back(i);
        self.min_count = 1;
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }
}
