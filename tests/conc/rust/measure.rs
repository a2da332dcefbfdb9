//! Measurements for docs/concurrency-rust.md (printed, not asserted): the cost of a
//! scheduling point without and with a thread switch, and of exploring 200 schedules of a
//! 4-thread scenario. Wall-clock figures vary with the machine; take the minimum of 5.

#[path = "support/check.rs"]
mod check;

use std::time::Instant as Wall;

use kst::model::{explore, Config};
use kst::sync::atomic::{AtomicUsize, Ordering};
use kst::sync::{Arc, Mutex};

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t0 = Wall::now();
        let v = f();
        best = best.min(t0.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.unwrap())
}

/// Four workers each take a lock and bump two atomics five times.
fn four_threads() -> String {
    let m = Arc::new(Mutex::new(0));
    let a = Arc::new(AtomicUsize::new(0));
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let (m, a) = (Arc::clone(&m), Arc::clone(&a));
            kst::thread::spawn(move || {
                for _ in 0..5 {
                    *m.lock().unwrap() += 1;
                    a.fetch_add(1, Ordering::SeqCst);
                    a.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let v = *m.lock().unwrap();
    format!("{v} {}", a.load(Ordering::SeqCst))
}

fn main() {
    check::install_hook();
    let n = 100_000;
    // (a) One thread, no switches, outside exploration (no trace kept).
    let (t, _) = best(5, || {
        let a = AtomicUsize::new(0);
        for _ in 0..n {
            a.fetch_add(1, Ordering::SeqCst);
        }
    });
    println!(
        "point, no switch, outside explore: {:.2} us",
        t * 1e6 / n as f64
    );
    // (b) One thread inside explore (trace kept): 20,000 points in one schedule.
    let steps = 20_000;
    let cfg = Config {
        schedules: 1,
        max_steps: steps + 10,
        ..Config::default()
    };
    let (t, o) = best(5, || {
        explore(&cfg, || {
            let a = AtomicUsize::new(0);
            for _ in 0..steps {
                a.fetch_add(1, Ordering::SeqCst);
            }
            "done".to_string()
        })
    });
    println!(
        "point, no switch, inside explore: {:.2} us ({} steps)",
        t * 1e6 / o.outcomes[0].steps as f64,
        o.outcomes[0].steps
    );
    // (c) Two threads that yield to each other: every point is a switch.
    let rounds = 5_000;
    let cfg = Config {
        schedules: 1,
        max_steps: 4 * rounds + 100,
        ..Config::default()
    };
    let (t, o) = best(5, || {
        explore(&cfg, || {
            let h = kst::thread::spawn(move || {
                for _ in 0..rounds {
                    kst::thread::yield_now();
                }
            });
            for _ in 0..rounds {
                kst::thread::yield_now();
            }
            h.join().unwrap();
            "done".to_string()
        })
    });
    println!(
        "point with a thread switch: {:.2} us ({} steps)",
        t * 1e6 / o.outcomes[0].steps as f64,
        o.outcomes[0].steps
    );
    // (d) 200 schedules of a 4-thread scenario, all run (no early stop).
    let cfg = Config {
        stop_after_distinct: 0,
        ..Config::default()
    };
    let (t, o) = best(5, || explore(&cfg, four_threads));
    check::check(
        o.texts() == ["20 40"],
        "measure: the 4-thread scenario is correct",
    );
    println!(
        "200 schedules of a 4-thread scenario: {:.0} ms ({} schedules of {} points, {:?})",
        t * 1e3,
        o.schedules_run,
        o.outcomes[0].steps,
        o.texts()
    );
}
