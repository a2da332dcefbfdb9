//! Once: a mutex-protected state and a condition variable for callers that arrive while the
//! closure runs. A panicking closure leaves the state "not done" (a guard resets it on
//! unwind) and wakes the waiters, one of which then runs its own closure.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

#[derive(Default)]
pub struct Once {
    done: AtomicBool,
    running: Mutex<bool>,
    finished: Condvar,
}

/// Resets `running` and wakes the waiters when the closure is left, normally or by a panic.
struct Running<'a>(&'a Once);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        *self.0.running.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.0.finished.notify_all();
    }
}

impl Once {
    pub fn new() -> Self {
        Once::default()
    }

    pub fn call_once<F: FnOnce()>(&self, f: F) {
        if self.done.load(Ordering::Acquire) {
            return;
        }
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        while *running {
            running = self
                .finished
                .wait(running)
                .unwrap_or_else(|e| e.into_inner());
        }
        if self.done.load(Ordering::Acquire) {
            return;
        }
        *running = true;
        drop(running);
        let guard = Running(self);
        f();
        self.done.store(true, Ordering::Release);
        drop(guard);
    }

    pub fn is_completed(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }
}
