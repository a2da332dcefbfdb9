//! A `thread::scope` worker pool (the shape of exercise "bounded-gather"): N scoped workers
//! map a closure over items. The correct pool is clean; a racy index loses or repeats items;
//! a panic in one item propagates out of `scope` like std (unjoined: "a scoped thread
//! panicked"; joined and resumed: the item's own message). Also runs outside exploration.

#[path = "support/check.rs"]
mod check;

mod learner {
    use kst::panic::resume_unwind;
    use kst::sync::atomic::{AtomicUsize, Ordering};
    use kst::sync::{Condvar, Mutex};
    use kst::thread;

    pub fn gather<T: Sync, R: Send, F: Fn(&T) -> R + Sync>(
        items: &[T],
        workers: usize,
        f: F,
    ) -> Vec<R> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
        thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    results.lock().unwrap()[i] = Some(r);
                });
            }
        });
        results
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|r| r.expect("an item was skipped"))
            .collect()
    }

    /// Bug: claims the next index with a load and a store.
    pub fn gather_racy<T: Sync, R: Send, F: Fn(&T) -> R + Sync>(
        items: &[T],
        workers: usize,
        f: F,
    ) -> Vec<R> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
        thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| loop {
                    let i = next.load(Ordering::SeqCst);
                    if i >= items.len() {
                        break;
                    }
                    next.store(i + 1, Ordering::SeqCst);
                    let r = f(&items[i]);
                    results.lock().unwrap()[i] = Some(r);
                });
            }
        });
        results
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|r| r.expect("an item was skipped"))
            .collect()
    }

    /// Joins every handle and re-raises the first panic with its own payload.
    pub fn gather_joined<T: Sync, R: Send, F: Fn(&T) -> R + Sync>(
        items: &[T],
        workers: usize,
        f: F,
    ) -> Vec<R> {
        let next = AtomicUsize::new(0);
        let f = &f;
        let next = &next;
        let mut out: Vec<(usize, R)> = thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(move || {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::SeqCst);
                            if i >= items.len() {
                                return mine;
                            }
                            mine.push((i, f(&items[i])));
                        }
                    })
                })
                .collect();
            let mut all = Vec::new();
            for h in handles {
                match h.join() {
                    Ok(v) => all.extend(v),
                    Err(p) => resume_unwind(p),
                }
            }
            all
        });
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, r)| r).collect()
    }

    /// Two scoped workers that lock two mutexes in opposite orders (may deadlock), or one
    /// that spins for ever on a flag nobody sets.
    pub fn scoped_bug(spin: bool) -> String {
        let a = Mutex::new(0);
        let b = Mutex::new(0);
        let flag = AtomicUsize::new(0);
        thread::scope(|s| {
            if spin {
                s.spawn(|| while flag.load(Ordering::SeqCst) == 0 {});
            } else {
                s.spawn(|| {
                    let _a = a.lock().unwrap();
                    let _b = b.lock().unwrap();
                });
                s.spawn(|| {
                    let _b = b.lock().unwrap();
                    let _a = a.lock().unwrap();
                });
            }
        });
        "scope done".to_string()
    }

    /// A scoped thread that waits for a notify nobody sends.
    pub fn stuck() {
        let lock = Mutex::new(false);
        let cv = Condvar::new();
        thread::scope(|s| {
            s.spawn(|| {
                let mut ready = lock.lock().unwrap();
                while !*ready {
                    ready = cv.wait(ready).unwrap(); // @STUCK
                }
            });
        });
    }
}

static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The mapped closure; counts its calls (plain std atomic: driver bookkeeping, not modelled).
fn times_ten(x: &u32) -> u32 {
    CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    x * 10
}

/// Runs a pool and reports its result with the number of calls of the closure.
fn counted(pool: impl FnOnce() -> Vec<u32>) -> String {
    CALLS.store(0, std::sync::atomic::Ordering::SeqCst);
    let r = pool();
    format!(
        "{r:?} in {} calls",
        CALLS.load(std::sync::atomic::Ordering::SeqCst)
    )
}

fn bad_times_ten(x: &u32) -> u32 {
    if *x == 3 {
        panic!("item 3 is bad");
    }
    x * 10
}

fn main() {
    check::install_hook();
    let items: Vec<u32> = (0..5).collect();
    let want = "[0, 10, 20, 30, 40] in 5 calls";
    let o = check::explore_twice("pool", &check::cfg(5), || {
        counted(|| learner::gather(&items, 3, times_ten))
    });
    check::expect_clean("scoped pool, 3 workers, 5 items", &o, want, 200);
    let o = check::explore_twice("pool joined", &check::cfg(5), || {
        counted(|| learner::gather_joined(&items, 3, times_ten))
    });
    check::expect_clean("scoped pool joining its handles", &o, want, 200);
    let o = check::explore_twice("racy pool", &check::cfg(5), || {
        counted(|| learner::gather_racy(&items, 3, times_ten))
    });
    check::expect_caught("scoped pool with a racy index", &o, |t| t != want);

    let o = check::explore_twice("pool panic", &check::cfg(5), || {
        format!("{:?}", learner::gather(&items, 3, bad_times_ten))
    });
    check::expect_clean(
        "a panicking item, unjoined",
        &o,
        "panic: a scoped thread panicked",
        200,
    );
    let o = check::explore_twice("pool joined panic", &check::cfg(5), || {
        format!("{:?}", learner::gather_joined(&items, 3, bad_times_ten))
    });
    check::expect_clean(
        "a panicking item, joined and resumed",
        &o,
        "panic: item 3 is bad",
        200,
    );

    // Failures inside a scope: the scope's owner and the scoped threads are all torn down.
    let o = check::explore_twice("scoped deadlock", &check::cfg(5), || {
        learner::scoped_bug(false)
    });
    check::check(
        o.outcomes[0].text == "scope done",
        "scoped deadlock: schedule 0 completes",
    );
    check::expect_caught("deadlock between scoped threads", &o, |t| {
        t.starts_with("deadlock: T1 waits for Mutex#")
    });
    let o = check::explore_twice("scoped spin", &check::cfg(5), || learner::scoped_bug(true));
    check::expect_clean(
        "scoped thread spinning for ever",
        &o,
        &o.outcomes[0].text.clone(),
        1,
    );
    check::check(
        o.outcomes[0].text.starts_with("no progress: "),
        "scoped spin: no progress",
    );

    // Outside exploration.
    check::check(
        counted(|| learner::gather(&items, 3, times_ten)) == want,
        "free mode: the pool works",
    );
    let msg = check::panic_message(|| {
        learner::gather(&items, 2, bad_times_ten);
    });
    check::check(
        msg == "a scoped thread panicked",
        &format!("free mode panic: {msg}"),
    );
    let msg = check::panic_message(learner::stuck);
    let line = check::line_of(include_str!("scope_pool.rs"), "// @STUCK");
    // Outside exploration thread names keep counting across calls (T1.. were the pools above).
    let tail = format!(" waits for Condvar#1 at scope_pool.rs:{line}");
    check::check(
        msg.starts_with("deadlock: T") && msg.ends_with(&tail) && !msg.contains(';'),
        &format!("free mode stuck scope: {msg}"),
    );
    check::check(
        counted(|| learner::gather(&items, 2, times_ten)) == want,
        "free mode: still works after a deadlock",
    );
    println!("ok   outside exploration: pool, panic propagation, deadlock in a scope ({msg})");
}
