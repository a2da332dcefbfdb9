//! A bounded blocking queue: see README.md. Use std only (Mutex, Condvar, ...).

use std::time::Duration;

pub struct BoundedQueue<T> {
    // Your fields here.
    _items: std::marker::PhantomData<T>,
}

impl<T> BoundedQueue<T> {
    /// Panics when `capacity` is 0.
    pub fn new(capacity: usize) -> Self {
        let _ = capacity;
        todo!("BoundedQueue::new")
    }

    /// Stores `item` at the back; blocks while the queue is full.
    pub fn put(&self, item: T) {
        let _ = item;
        todo!("BoundedQueue::put")
    }

    /// Removes and returns the oldest item; blocks while the queue is empty.
    pub fn get(&self) -> T {
        todo!("BoundedQueue::get")
    }

    /// Like `put`, but waits at most `timeout`: `Err(item)` if the queue is still full then.
    pub fn try_put(&self, item: T, timeout: Duration) -> Result<(), T> {
        let _ = (item, timeout);
        todo!("BoundedQueue::try_put")
    }

    /// Like `get`, but waits at most `timeout`: `None` if the queue is still empty then.
    pub fn try_get(&self, timeout: Duration) -> Option<T> {
        let _ = timeout;
        todo!("BoundedQueue::try_get")
    }

    /// The number of items stored now.
    pub fn len(&self) -> usize {
        todo!("BoundedQueue::len")
    }

    pub fn is_empty(&self) -> bool {
        todo!("BoundedQueue::is_empty")
    }
}
