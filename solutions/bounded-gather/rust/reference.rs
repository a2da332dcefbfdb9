//! map_bounded: a scoped worker pool. `min(workers, items)` threads share an atomic index into
//! `items`; each takes the next unclaimed item until none is left, so a worker that finishes
//! early starts the next item at once. Results carry their index and are put back in input
//! order. A panicking call raises a flag (from a guard's `Drop`, which runs while the panic
//! unwinds) so no worker claims another item; the panic is re-raised, with its own payload,
//! after every worker has stopped.

use std::panic;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// Raises `failed` if its worker is unwinding from a panic.
struct StopOnPanic<'a>(&'a AtomicBool);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.store(true, Ordering::SeqCst);
        }
    }
}

pub fn map_bounded<T, R, F>(items: &[T], workers: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    assert!(workers > 0, "map_bounded needs at least one worker");
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut slots: Vec<Option<R>> = items.iter().map(|_| None).collect();
    let mut panicked = None;
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers.min(items.len()))
            .map(|_| {
                s.spawn(|| {
                    let _stop = StopOnPanic(&failed);
                    let mut done = Vec::new();
                    while !failed.load(Ordering::SeqCst) {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= items.len() {
                            break;
                        }
                        done.push((i, f(&items[i])));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, result) in done {
                        slots[i] = Some(result);
                    }
                }
                Err(payload) => {
                    panicked.get_or_insert(payload);
                }
            }
        }
    });
    if let Some(payload) = panicked {
        panic::resume_unwind(payload);
    }
    slots
        .into_iter()
        .map(|slot| slot.expect("every item was mapped"))
        .collect()
}
