//! Racy counters: a load-then-store on an `AtomicUsize` loses updates in some schedule;
//! `fetch_add` and a `Mutex` never do. Prints the JSON of the racy exploration (run_rust.sh
//! runs this program twice and compares the output byte for byte).

#[path = "support/check.rs"]
mod check;

/// What a learner would write (after kata's `std::` -> `kst::` rewrite).
mod learner {
    use kst::sync::atomic::{AtomicUsize, Ordering};
    use kst::sync::{Arc, Mutex};
    use kst::thread;

    pub fn racy(threads: usize) -> usize {
        let count = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let count = Arc::clone(&count);
                thread::spawn(move || {
                    let seen = count.load(Ordering::Relaxed);
                    count.store(seen + 1, Ordering::Relaxed);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        count.load(Ordering::SeqCst)
    }

    pub fn atomic(threads: usize) -> usize {
        let count = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let count = Arc::clone(&count);
                thread::spawn(move || {
                    count.fetch_add(1, Ordering::Relaxed);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        count.load(Ordering::SeqCst)
    }

    pub fn locked(threads: usize) -> usize {
        let count = Arc::new(Mutex::new(0));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let count = Arc::clone(&count);
                thread::spawn(move || {
                    let mut c = count.lock().unwrap();
                    let seen = *c;
                    *c = seen + 1;
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let c = *count.lock().unwrap();
        c
    }
}

fn main() {
    check::install_hook();
    for threads in [2, 3] {
        let o = check::explore_twice("racy", &check::cfg(1), || {
            learner::racy(threads).to_string()
        });
        check::check(
            o.outcomes.len() == 2,
            &format!("racy x{threads}: want 2 outcomes, got {:?}", o.texts()),
        );
        check::check(
            o.outcomes[0].text == threads.to_string(),
            "racy: schedule 0 runs threads one after another",
        );
        check::check(
            o.outcomes[0].schedule == 0,
            "racy: first outcome comes from schedule 0",
        );
        check::expect_caught(&format!("racy load/store x{threads}"), &o, |t| {
            t != threads.to_string()
        });
        if threads == 2 {
            println!("{}", o.to_json());
        }
        let o = check::explore_twice("fetch_add", &check::cfg(1), || {
            learner::atomic(threads).to_string()
        });
        check::expect_clean(
            &format!("fetch_add x{threads}"),
            &o,
            &threads.to_string(),
            200,
        );
        let o = check::explore_twice("mutex", &check::cfg(1), || {
            learner::locked(threads).to_string()
        });
        check::expect_clean(&format!("mutex x{threads}"), &o, &threads.to_string(), 200);
    }
    // Several seeds all catch the race (the systematic schedules do not depend on the seed).
    for seed in [2, 3, 4, 5] {
        let o = check::explore_twice("racy", &check::cfg(seed), || learner::racy(2).to_string());
        check::check(
            o.outcomes.len() == 2,
            &format!("racy with seed {seed}: {:?}", o.texts()),
        );
    }
    println!("ok   racy caught with seeds 2..5");
}
