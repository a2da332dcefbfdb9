//! Hidden driver for bounded-gather (Rust).
//!
//! `map ITEMS WORKERS` calls `map_bounded` once, directly (kata's free mode: threads run one at
//! a time, without preemption), with a function that doubles an item and panics with
//! `bad item X` for a negative one; `started` lists the items that function was called with,
//! in call order. `run ITEMS WORKERS` is explored under kst's scheduler: the function sleeps
//! |item| milliseconds of virtual time before answering (or panicking), and the line reports
//! the results, how often each item was mapped, the most calls running at once and when
//! `map_bounded` returned. Bookkeeping uses real std atomics (this file is not rewritten), so
//! it adds no scheduling points.

use crate::harness::{self, Value};
use crate::learner::map_bounded;
use kst::model::{self, Config};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// A result: neither Clone, Copy, Debug nor Default, so `map_bounded` may not require them.
pub struct Doubled(i64);

pub struct Driver {
    started: Vec<i64>,
}

/// The message of a panic that escaped `map_bounded`: `failed: bad item -2` when it is the
/// function's own panic (its payload intact), `panic: ...` for anything else.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    let message = if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else {
        "a panic with a payload that is not a string".to_string()
    };
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if message.starts_with("bad item ") {
        format!("failed: {message}")
    } else {
        format!("panic: {message}")
    }
}

fn items_of(value: &Value) -> Vec<i64> {
    value.list().iter().map(Value::int).collect()
}

/// The index of `item` in `items` (the function receives references into the slice).
fn index_of(items: &[i64], item: &i64) -> usize {
    (item as *const i64 as usize - items.as_ptr() as usize) / std::mem::size_of::<i64>()
}

fn explore(schedules: usize, scenario: impl Fn() -> String + Sync) -> String {
    let config = Config {
        seed: harness::seed(),
        schedules,
        ..Config::default()
    };
    harness::explored(model::explore(&config, scenario).to_json())
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            started: Vec::new(),
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "map" => {
                let items = items_of(&args[0]);
                let workers = args[1].int() as usize;
                let started = Mutex::new(Vec::new());
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    map_bounded(&items, workers, |&item: &i64| {
                        started.lock().unwrap().push(item);
                        if item < 0 {
                            panic!("bad item {item}");
                        }
                        Doubled(item * 2)
                    })
                }));
                self.started = started.into_inner().unwrap();
                match result {
                    Ok(results) => harness::list(results.iter().map(|d| harness::int(d.0))),
                    Err(payload) => panic_text(payload.as_ref()),
                }
            }
            "started" => harness::list(self.started.iter().map(|&i| harness::int(i))),
            "run" => {
                let items = items_of(&args[0]);
                let workers = args[1].int() as usize;
                let schedules = if items.len() > 5 { 100 } else { 150 };
                explore(schedules, move || run(&items, workers))
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}

/// One schedule of `run`: each call sleeps |item| ms, then doubles the item or panics.
fn run(items: &[i64], workers: usize) -> String {
    let t0 = model::now();
    let calls: Vec<AtomicUsize> = items.iter().map(|_| AtomicUsize::new(0)).collect();
    let running = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    let over = AtomicBool::new(false);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        map_bounded(items, workers, |item: &i64| {
            let i = index_of(items, item);
            if calls[i].fetch_add(1, Ordering::SeqCst) == 1 {
                model::violation(&format!("item {item} is mapped a second time"));
            }
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            if now > workers && !over.swap(true, Ordering::SeqCst) {
                model::violation(&format!("{now} calls run at once with {workers} workers"));
            }
            kst::thread::sleep(Duration::from_millis(item.unsigned_abs()));
            running.fetch_sub(1, Ordering::SeqCst);
            if *item < 0 {
                panic!("bad item {item}");
            }
            Doubled(item * 2)
        })
    }));
    let done = format!("done at {}ms", t0.elapsed().as_millis());
    let counts: Vec<usize> = calls.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    match result {
        Ok(results) => {
            let mapped = if counts.iter().all(|&c| c == 1) {
                "each item mapped once".to_string()
            } else {
                format!(
                    "calls per item {}",
                    harness::list(counts.iter().map(|&c| c.to_string()))
                )
            };
            format!(
                "results {}; {mapped}; at most {} at once; {done}",
                harness::list(results.iter().map(|d| harness::int(d.0))),
                peak.load(Ordering::SeqCst)
            )
        }
        Err(payload) => {
            let called = items
                .iter()
                .zip(&counts)
                .flat_map(|(&item, &count)| std::iter::repeat_n(item, count))
                .map(harness::int);
            format!(
                "{}; called {}; at most {} at once; {done}",
                panic_text(payload.as_ref()),
                harness::list(called),
                peak.load(Ordering::SeqCst)
            )
        }
    }
}
