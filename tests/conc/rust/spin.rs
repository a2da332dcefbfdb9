//! Spinning: a spin on a flag nobody sets is reported as `no progress`; correct spin-waits
//! (with `spin_loop`, with `yield_now` while the setter sleeps, with no hint at all, a CAS
//! spin lock, a lock-and-check busy-wait) finish in every schedule.

#[path = "support/check.rs"]
mod check;

mod learner {
    use kst::hint;
    use kst::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use kst::sync::{Arc, Mutex};
    use kst::thread;
    use kst::time::Duration;

    pub enum Wait {
        Hint,
        Yield,
        Nothing,
    }

    /// A waiter spins until a setter (after `delay`, if any) sets the flag. With `lost`, the
    /// setter sets another flag (the bug): the waiter spins for ever.
    pub fn handoff(how: Wait, delay: Option<Duration>, lost: bool) -> usize {
        let flag = Arc::new(AtomicBool::new(false));
        let other = Arc::new(AtomicBool::new(false));
        let data = Arc::new(AtomicUsize::new(0));
        let waiter = {
            let (flag, data) = (Arc::clone(&flag), Arc::clone(&data));
            thread::spawn(move || {
                loop {
                    let set = flag.load(Ordering::Acquire); // @SPIN
                    if set {
                        break;
                    }
                    match how {
                        Wait::Hint => hint::spin_loop(), // @HINT
                        Wait::Yield => thread::yield_now(),
                        Wait::Nothing => {}
                    }
                }
                data.load(Ordering::Relaxed)
            })
        };
        let setter = {
            let (flag, other, data) = (Arc::clone(&flag), Arc::clone(&other), Arc::clone(&data));
            thread::spawn(move || {
                if let Some(d) = delay {
                    thread::sleep(d);
                }
                data.store(42, Ordering::Relaxed);
                if lost {
                    other.store(true, Ordering::Release)
                } else {
                    flag.store(true, Ordering::Release)
                }
            })
        };
        setter.join().unwrap();
        waiter.join().unwrap()
    }

    /// A test-and-set spin lock around a non-atomic read-modify-write.
    pub fn spin_lock(threads: usize) -> usize {
        let locked = Arc::new(AtomicBool::new(false));
        let count = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let (locked, count) = (Arc::clone(&locked), Arc::clone(&count));
                thread::spawn(move || {
                    while locked
                        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                        .is_err()
                    {}
                    let c = count.load(Ordering::Relaxed);
                    count.store(c + 1, Ordering::Relaxed);
                    locked.store(false, Ordering::Release);
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        count.load(Ordering::SeqCst)
    }

    /// Busy-waits by locking and checking, no hint.
    pub fn lock_poll() -> u32 {
        let slot = Arc::new(Mutex::new(None));
        let t = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || loop {
                if let Some(v) = *slot.lock().unwrap() {
                    return v;
                }
            })
        };
        *slot.lock().unwrap() = Some(7);
        t.join().unwrap()
    }
}

use kst::time::Duration;
use learner::Wait;

fn main() {
    check::install_hook();
    let src = include_str!("spin.rs");
    let (spin, hint) = (
        check::line_of(src, "// @SPIN"),
        check::line_of(src, "// @HINT"),
    );
    let cfg = check::cfg(9);
    let o = check::explore_twice("lost flag", &cfg, || {
        learner::handoff(Wait::Hint, None, true).to_string()
    });
    let head = "no progress: still running after 20000 steps (an infinite loop or a livelock?) at";
    check::expect_clean(
        "spin on a flag nobody sets",
        &o,
        &format!("{head} spin.rs:{spin}, spin.rs:{hint}"),
        1,
    );
    let x = &o.outcomes[0];
    check::check(
        x.trace_cut > 0 && x.trace.len() == 400,
        "no progress: the trace is capped at 400 events",
    );
    let o = check::explore_twice("lost flag, no hint", &cfg, || {
        learner::handoff(Wait::Nothing, None, true).to_string()
    });
    check::expect_clean(
        "spin without a hint on a flag nobody sets",
        &o,
        &format!("{head} spin.rs:{spin}"),
        1,
    );

    for (name, how) in [
        ("spin_loop", Wait::Hint),
        ("yield_now", Wait::Yield),
        ("no hint", Wait::Nothing),
    ] {
        let how = std::sync::Mutex::new(Some(how));
        let o = check::explore_twice(name, &check::cfg(9), || {
            let h = match how.lock().unwrap().as_ref().unwrap() {
                Wait::Hint => Wait::Hint,
                Wait::Yield => Wait::Yield,
                Wait::Nothing => Wait::Nothing,
            };
            learner::handoff(h, None, false).to_string()
        });
        check::expect_clean(&format!("spin-wait with {name}"), &o, "42", 200);
    }
    let o = check::explore_twice("yield while the setter sleeps", &check::cfg(9), || {
        let v = learner::handoff(Wait::Yield, Some(Duration::from_secs(1)), false);
        format!("{v} at {:?}", kst::model::now())
    });
    check::expect_clean(
        "yield_now while the setter sleeps 1s",
        &o,
        "42 at Instant(1s virtual)",
        200,
    );
    let o = check::explore_twice("spin lock", &check::cfg(9), || {
        learner::spin_lock(3).to_string()
    });
    check::expect_clean("CAS spin lock, 3 threads", &o, "3", 200);
    let o = check::explore_twice("lock poll", &check::cfg(9), || {
        learner::lock_poll().to_string()
    });
    check::expect_clean("busy-wait by lock and check", &o, "7", 200);

    // Outside exploration a hopeless spin panics instead of hanging.
    let msg = check::panic_message(|| {
        let flag = kst::sync::atomic::AtomicBool::new(false);
        while !flag.load(kst::sync::atomic::Ordering::SeqCst) {}
    });
    check::check(
        msg.starts_with("no progress: still running after 20000 steps"),
        &format!("free-mode spin: {msg}"),
    );
    println!("ok   free-mode spin on a flag nobody sets panics: {msg}");
}
