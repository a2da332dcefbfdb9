//! A bounded blocking queue: the items in a `Mutex<VecDeque<T>>`, and two condition variables,
//! `not_empty` (consumers wait on it) and `not_full` (producers wait on it). Every wait re-checks
//! its condition in a loop (`wait_while`, `wait_timeout_while`), so a spurious wakeup, or an item
//! another thread took first, sends the thread back to waiting; `wait_timeout_while` keeps one
//! deadline across those wakeups. Each item stored wakes one consumer and each item taken wakes
//! one producer: with a condition variable per condition, the thread woken is always one that
//! can use the change.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Blocks while the queue is full.
    pub fn put(&self, item: T) {
        let items = self.lock();
        let mut items = self
            .not_full
            .wait_while(items, |items| items.len() == self.capacity)
            .unwrap_or_else(|e| e.into_inner());
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
    }

    /// Blocks while the queue is empty; returns the oldest item.
    pub fn get(&self) -> T {
        let items = self.lock();
        let mut items = self
            .not_empty
            .wait_while(items, |items| items.is_empty())
            .unwrap_or_else(|e| e.into_inner());
        let item = items.pop_front().expect("not empty after the wait");
        drop(items);
        self.not_full.notify_one();
        item
    }

    /// Like `put`, but gives the item back if the queue is still full after `timeout`.
    pub fn try_put(&self, item: T, timeout: Duration) -> Result<(), T> {
        let items = self.lock();
        let (mut items, _) = self
            .not_full
            .wait_timeout_while(items, timeout, |items| items.len() == self.capacity)
            .unwrap_or_else(|e| e.into_inner());
        if items.len() == self.capacity {
            return Err(item);
        }
        items.push_back(item);
        drop(items);
        self.not_empty.notify_one();
        Ok(())
    }

    /// Like `get`, but `None` if the queue is still empty after `timeout`.
    pub fn try_get(&self, timeout: Duration) -> Option<T> {
        let items = self.lock();
        let (mut items, _) = self
            .not_empty
            .wait_timeout_while(items, timeout, |items| items.is_empty())
            .unwrap_or_else(|e| e.into_inner());
        let item = items.pop_front()?;
        drop(items);
        self.not_full.notify_one();
        Some(item)
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The items, even if a thread panicked while holding the lock (every operation leaves
    /// the deque consistent, so the data is still good).
    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}
