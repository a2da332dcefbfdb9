//! Double-checked initialisation: a fast path reads an `AtomicBool` flag, a slow path
//! initialises under a `Mutex`. Setting the flag before writing the value lets a reader
//! return the unset value in some schedule; writing the value first is clean.
//! (Under the model's sequentially consistent atomics, the orderings do not matter.)

#[path = "support/check.rs"]
mod check;

mod learner {
    use kst::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use kst::sync::Mutex;

    pub struct Lazy {
        ready: AtomicBool,
        value: AtomicUsize,
        lock: Mutex<()>,
        flag_first: bool,
    }

    impl Lazy {
        pub fn new(flag_first: bool) -> Lazy {
            Lazy {
                ready: AtomicBool::new(false),
                value: AtomicUsize::new(0),
                lock: Mutex::new(()),
                flag_first,
            }
        }

        pub fn get(&self, init: impl FnOnce() -> usize) -> usize {
            if self.ready.load(Ordering::Acquire) {
                return self.value.load(Ordering::Relaxed);
            }
            let _guard = self.lock.lock().unwrap();
            if !self.ready.load(Ordering::Relaxed) {
                if self.flag_first {
                    self.ready.store(true, Ordering::Release); // the bug: published too early
                    self.value.store(init(), Ordering::Relaxed);
                } else {
                    self.value.store(init(), Ordering::Relaxed);
                    self.ready.store(true, Ordering::Release);
                }
            }
            self.value.load(Ordering::Relaxed)
        }
    }
}

use kst::sync::Arc;

fn scenario(flag_first: bool) -> String {
    let lazy = Arc::new(learner::Lazy::new(flag_first));
    let hs: Vec<_> = (0..2)
        .map(|_| {
            let lazy = Arc::clone(&lazy);
            kst::thread::spawn(move || lazy.get(|| 42))
        })
        .collect();
    let mine = lazy.get(|| 42);
    let mut seen: Vec<usize> = hs.into_iter().map(|h| h.join().unwrap()).collect();
    seen.push(mine);
    seen.sort();
    format!("{seen:?}")
}

fn main() {
    check::install_hook();
    let o = check::explore_twice("flag first", &check::cfg(4), || scenario(true));
    check::check(
        o.outcomes[0].text == "[42, 42, 42]",
        "flag first: schedule 0 is fine",
    );
    check::expect_caught("flag set before the value", &o, |t| {
        t.contains("0,") || t.starts_with("[0")
    });
    let o = check::explore_twice("value first", &check::cfg(4), || scenario(false));
    check::expect_clean("value written before the flag", &o, "[42, 42, 42]", 200);
}
