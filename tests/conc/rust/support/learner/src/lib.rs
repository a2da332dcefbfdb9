//! A learner's `src/lib.rs` for exercise 7.12 (bounded-queue), after kata's `std::` ->
//! `kst::` rewrite. Used by `harness_driver.rs`.

use kst::collections::VecDeque;
use kst::sync::{Condvar, Mutex};
use kst::time::{Duration, Instant};

pub struct BoundedQueue<T> {
    capacity: usize,
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be >= 1");
        BoundedQueue {
            capacity,
            items: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    pub fn put(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        while items.len() >= self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    pub fn get(&self) -> T {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.not_empty.wait(items).unwrap(); // @GET-WAIT
        }
        let item = items.pop_front().unwrap();
        self.not_full.notify_one();
        item
    }

    pub fn try_put(&self, item: T, timeout: Duration) -> Result<(), T> {
        let deadline = Instant::now() + timeout;
        let mut items = self.items.lock().unwrap();
        while items.len() >= self.capacity {
            let now = Instant::now();
            if now >= deadline {
                return Err(item);
            }
            items = self.not_full.wait_timeout(items, deadline - now).unwrap().0;
        }
        items.push_back(item);
        self.not_empty.notify_one();
        Ok(())
    }

    pub fn try_get(&self, timeout: Duration) -> Option<T> {
        let mut items = self
            .not_empty
            .wait_timeout_while(self.items.lock().unwrap(), timeout, |items| {
                items.is_empty()
            })
            .unwrap()
            .0;
        let item = items.pop_front()?;
        self.not_full.notify_one();
        Some(item)
    }

    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
