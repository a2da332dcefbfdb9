//! Hidden driver for bounded-queue (Rust). Items are i64; timeouts are seconds (floats) of
//! kst's virtual clock, which only moves when every thread waits.
//!
//! Sequential operations (the learner's API on the driver's thread, still under kst: a call
//! that would block for ever panics with `deadlock: ...`):
//!   new C              BoundedQueue::new(C)
//!   put X / get        put(X) / get()
//!   try_put X T        try_put(X, T s): true (Ok) or false (Err(X))
//!   try_get T          try_get(T s): the item, or `error TimeoutError` for None (Python raises)
//!   len / is_empty
//!   clock              virtual seconds since `new`
//!
//! Scenarios (explored under kst's scheduler; the line summarises what every schedule must
//! agree on, so a correct queue gives one line):
//!   spsc CAP N                    one producer puts 1..=N, the main thread gets N items
//!   mpmc P C N CAP                P producers put N items each, C consumers share them
//!   put_blocks_when_full CAP      a put on a full queue waits until a get makes room
//!   two_consumers_one_item        one item, two consumers; a second item put later
//!   get_blocks_when_empty         a get on an empty queue waits until a put
//!   try_get_while_producing T D   try_get(T) while a producer puts after sleeping D
//!   try_put_while_consuming T D   try_put(T) on a full queue while a consumer gets after D
//!   try_get_frees_room CAP        a put blocked on a full queue, released by a try_get
//!   try_put_wakes_getter          a get blocked on an empty queue, released by a try_put
//!   timed_consumers               two try_gets and one item: timeouts end on time

use crate::harness::{self, Value};
use crate::learner::BoundedQueue;
use kst::model::{self, Config};
use kst::time::Instant;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Queue = BoundedQueue<i64>;

pub struct Driver {
    queue: Option<Queue>,
    start: Option<Instant>,
}

/// Explores a scenario with the check's seed: its result is every distinct outcome. Budgets
/// are counts: 200 schedules for scenarios of three or more threads, 100 for the two-thread
/// ones (few interleavings; every known mistake shows within the first few schedules).
fn explore(schedules: usize, scenario: impl Fn() -> String + Sync) -> String {
    let config = Config {
        seed: harness::seed(),
        schedules,
        ..Config::default()
    };
    harness::explored(model::explore(&config, scenario).to_json())
}

fn secs(x: f64) -> Duration {
    Duration::from_secs_f64(x)
}

/// Virtual seconds since `start`, rendered like every float result.
fn since(start: Instant) -> String {
    harness::float(Instant::now().duration_since(start).as_secs_f64())
}

fn list(items: &[i64]) -> String {
    harness::list(items.iter().map(|&i| harness::int(i)))
}

/// Lets the scenario's other threads run first (a yield: even the schedule without preemption
/// runs them here, so they reach their blocking call before the main thread goes on; other
/// schedules still preempt them anywhere).
fn let_others_run() {
    kst::thread::yield_now();
}

/// Spawns a scenario thread.
fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> kst::thread::JoinHandle<T> {
    kst::thread::spawn(f)
}

/// Joins a scenario thread; a panic in it is reported in the outcome instead of its result.
fn join<T>(handle: kst::thread::JoinHandle<T>, panics: &Mutex<Vec<String>>) -> Option<T> {
    match handle.join() {
        Ok(value) => Some(value),
        Err(payload) => {
            let message = if let Some(s) = payload.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "(a panic without a message)".to_string()
            };
            panics.lock().unwrap().push(message);
            None
        }
    }
}

/// `; a thread panicked: ...` for each panic of a scenario thread.
fn panics_suffix(panics: &Mutex<Vec<String>>) -> String {
    panics
        .lock()
        .unwrap()
        .iter()
        .map(|m| format!("; a thread panicked: {m}"))
        .collect()
}

/// A put that also checks, right after it returns, that the queue holds at most `capacity`.
fn checked_put(queue: &Queue, item: i64, capacity: usize, over: &AtomicBool) {
    queue.put(item);
    if queue.len() > capacity {
        model::violation("the queue holds more items than its capacity");
        over.store(true, SeqCst);
    }
}

/// Drains what is left without blocking.
fn drain(queue: &Queue) -> Vec<i64> {
    let mut rest = Vec::new();
    while let Some(item) = queue.try_get(Duration::ZERO) {
        rest.push(item);
        if rest.len() > 1000 {
            break;
        }
    }
    rest
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            queue: None,
            start: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        let capacity = |i: usize| args[i].int() as usize;
        match name {
            "new" => {
                self.queue = Some(Queue::new(capacity(0)));
                self.start = Some(Instant::now());
                harness::ok()
            }
            "put" => {
                harness::need(self.queue.as_mut()).put(args[0].int());
                harness::ok()
            }
            "get" => harness::int(harness::need(self.queue.as_mut()).get()),
            "try_put" => {
                let item = args[0].int();
                match harness::need(self.queue.as_mut()).try_put(item, secs(args[1].float())) {
                    Ok(()) => harness::boolean(true),
                    Err(back) if back == item => harness::boolean(false),
                    Err(back) => format!("false, but Err holds {back} instead of the item {item}"),
                }
            }
            "try_get" => match harness::need(self.queue.as_mut()).try_get(secs(args[0].float())) {
                Some(item) => harness::int(item),
                None => "error TimeoutError: try_get returned None".to_string(),
            },
            "len" => harness::int(harness::need(self.queue.as_mut()).len() as u64),
            "is_empty" => harness::boolean(harness::need(self.queue.as_mut()).is_empty()),
            "clock" => since(*harness::need(self.start.as_mut())),
            "spsc" => {
                let (cap, n) = (capacity(0), args[1].int());
                explore(200, move || {
                    let queue = Arc::new(Queue::new(cap));
                    let over = Arc::new(AtomicBool::new(false));
                    let panics = Mutex::new(Vec::new());
                    let producer = {
                        let (queue, over) = (queue.clone(), over.clone());
                        spawn(move || (1..=n).for_each(|i| checked_put(&queue, i, cap, &over)))
                    };
                    let got: Vec<i64> = (0..n).map(|_| queue.get()).collect();
                    join(producer, &panics);
                    format!(
                        "got={} over_capacity={} len={}{}",
                        list(&got),
                        over.load(SeqCst),
                        queue.len(),
                        panics_suffix(&panics)
                    )
                })
            }
            "mpmc" => {
                let (producers, consumers) = (args[0].int(), args[1].int() as usize);
                let (n, cap) = (args[2].int(), capacity(3));
                let total = producers as usize * n as usize;
                assert!(
                    total % consumers == 0,
                    "kata driver: mpmc needs P*N divisible by C"
                );
                explore(200, move || {
                    let queue = Arc::new(Queue::new(cap));
                    let over = Arc::new(AtomicBool::new(false));
                    let panics = Mutex::new(Vec::new());
                    let producer_handles: Vec<_> = (1..=producers)
                        .map(|p| {
                            let (queue, over) = (queue.clone(), over.clone());
                            spawn(move || {
                                (1..=n).for_each(|i| checked_put(&queue, p * 100 + i, cap, &over))
                            })
                        })
                        .collect();
                    let consumer_handles: Vec<_> = (0..consumers)
                        .map(|_| {
                            let queue = queue.clone();
                            spawn(move || {
                                (0..total / consumers)
                                    .map(|_| queue.get())
                                    .collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    for handle in producer_handles {
                        join(handle, &panics);
                    }
                    let mut received = Vec::new();
                    let mut order_kept = true;
                    for handle in consumer_handles {
                        let got = join(handle, &panics).unwrap_or_default();
                        // FIFO: each consumer sees each producer's items in the order they were put.
                        for p in 1..=producers {
                            let mine: Vec<i64> =
                                got.iter().copied().filter(|v| v / 100 == p).collect();
                            order_kept &= mine.windows(2).all(|w| w[0] < w[1]);
                        }
                        received.extend(got);
                    }
                    received.sort_unstable();
                    let distinct = {
                        let mut d = received.clone();
                        d.dedup();
                        d
                    };
                    let expected: Vec<i64> = (1..=producers)
                        .flat_map(|p| (1..=n).map(move |i| p * 100 + i))
                        .collect();
                    let missing = expected.iter().filter(|v| !distinct.contains(v)).count();
                    format!(
                        "received={} duplicates={} missing={} order_kept={} over_capacity={} len={}{}",
                        received.len(),
                        received.len() - distinct.len(),
                        missing,
                        order_kept,
                        over.load(SeqCst),
                        queue.len(),
                        panics_suffix(&panics)
                    )
                })
            }
            "put_blocks_when_full" => {
                let cap = capacity(0);
                explore(100, move || {
                    let queue = Arc::new(Queue::new(cap));
                    let panics = Mutex::new(Vec::new());
                    (1..=cap as i64).for_each(|i| queue.put(i));
                    let returned = Arc::new(AtomicBool::new(false));
                    let producer = {
                        let (queue, returned) = (queue.clone(), returned.clone());
                        spawn(move || {
                            queue.put(99);
                            returned.store(true, SeqCst);
                        })
                    };
                    let_others_run();
                    let blocked = !returned.load(SeqCst);
                    if !blocked {
                        model::violation("put returned while the queue was full");
                    }
                    let first = queue.get();
                    join(producer, &panics);
                    format!(
                        "blocked={blocked} first={first} rest={}{}",
                        list(&drain(&queue)),
                        panics_suffix(&panics)
                    )
                })
            }
            "two_consumers_one_item" => explore(200, || {
                let queue = Arc::new(Queue::new(2));
                let panics = Mutex::new(Vec::new());
                queue.put(1);
                let consumers: Vec<_> = (0..2)
                    .map(|_| {
                        let queue = queue.clone();
                        spawn(move || queue.get())
                    })
                    .collect();
                let_others_run();
                queue.put(2);
                let mut got: Vec<i64> = consumers
                    .into_iter()
                    .filter_map(|handle| join(handle, &panics))
                    .collect();
                got.sort_unstable();
                format!(
                    "got={} len={}{}",
                    list(&got),
                    queue.len(),
                    panics_suffix(&panics)
                )
            }),
            "get_blocks_when_empty" => explore(100, || {
                let queue = Arc::new(Queue::new(2));
                let panics = Mutex::new(Vec::new());
                let returned = Arc::new(AtomicBool::new(false));
                let consumer = {
                    let (queue, returned) = (queue.clone(), returned.clone());
                    spawn(move || {
                        let item = queue.get();
                        returned.store(true, SeqCst);
                        item
                    })
                };
                let_others_run();
                let blocked = !returned.load(SeqCst);
                if !blocked {
                    model::violation("get returned while the queue was empty");
                }
                queue.put(5);
                let got = join(consumer, &panics);
                format!(
                    "blocked={blocked} got={} len={}{}",
                    got.map_or("nothing".to_string(), |v| v.to_string()),
                    queue.len(),
                    panics_suffix(&panics)
                )
            }),
            "try_get_while_producing" => {
                let (timeout, delay) = (args[0].float(), args[1].float());
                explore(100, move || {
                    let start = Instant::now();
                    let queue = Arc::new(Queue::new(1));
                    let panics = Mutex::new(Vec::new());
                    let producer = {
                        let queue = queue.clone();
                        spawn(move || {
                            kst::thread::sleep(secs(delay));
                            queue.put(7);
                        })
                    };
                    let result = match queue.try_get(secs(timeout)) {
                        Some(item) => format!("got {item} at {}", since(start)),
                        None => format!("timed out at {}", since(start)),
                    };
                    join(producer, &panics);
                    format!("{result} len={}{}", queue.len(), panics_suffix(&panics))
                })
            }
            "try_put_while_consuming" => {
                let (timeout, delay) = (args[0].float(), args[1].float());
                explore(100, move || {
                    let start = Instant::now();
                    let queue = Arc::new(Queue::new(1));
                    let panics = Mutex::new(Vec::new());
                    queue.put(1);
                    let consumer = {
                        let queue = queue.clone();
                        spawn(move || {
                            kst::thread::sleep(secs(delay));
                            queue.get()
                        })
                    };
                    let result = match queue.try_put(9, secs(timeout)) {
                        Ok(()) => format!("stored at {}", since(start)),
                        Err(_) => format!("timed out at {}", since(start)),
                    };
                    let got = join(consumer, &panics);
                    format!(
                        "{result} consumer_got={} rest={}{}",
                        got.map_or("nothing".to_string(), |v| v.to_string()),
                        list(&drain(&queue)),
                        panics_suffix(&panics)
                    )
                })
            }
            "try_get_frees_room" => {
                let cap = capacity(0);
                explore(100, move || {
                    let queue = Arc::new(Queue::new(cap));
                    let panics = Mutex::new(Vec::new());
                    (1..=cap as i64).for_each(|i| queue.put(i));
                    let producer = {
                        let queue = queue.clone();
                        spawn(move || queue.put(99))
                    };
                    let_others_run();
                    let got = queue.try_get(Duration::ZERO);
                    join(producer, &panics);
                    format!(
                        "try_get={} rest={}{}",
                        got.map_or("None".to_string(), |v| v.to_string()),
                        list(&drain(&queue)),
                        panics_suffix(&panics)
                    )
                })
            }
            "try_put_wakes_getter" => explore(100, || {
                let queue = Arc::new(Queue::new(1));
                let panics = Mutex::new(Vec::new());
                let consumer = {
                    let queue = queue.clone();
                    spawn(move || queue.get())
                };
                let_others_run();
                let stored = queue.try_put(5, Duration::ZERO).is_ok();
                let got = join(consumer, &panics);
                format!(
                    "stored={stored} got={} len={}{}",
                    got.map_or("nothing".to_string(), |v| v.to_string()),
                    queue.len(),
                    panics_suffix(&panics)
                )
            }),
            "timed_consumers" => {
                let (timeout, delay) = (args[0].float(), args[1].float());
                explore(200, move || {
                    let queue = Arc::new(Queue::new(1));
                    let panics = Mutex::new(Vec::new());
                    let received = Arc::new(AtomicUsize::new(0));
                    let late = Arc::new(AtomicBool::new(false));
                    // A try_get that must return an item, or None exactly when its timeout ends.
                    let timed = {
                        let (received, late) = (received.clone(), late.clone());
                        move |queue: &Queue, timeout: f64| {
                            let start = Instant::now();
                            let got = queue.try_get(secs(timeout));
                            let waited = Instant::now().duration_since(start);
                            match got {
                                Some(_) => {
                                    received.fetch_add(1, SeqCst);
                                    if waited > secs(timeout) {
                                        model::violation(
                                            "try_get returned an item after its timeout",
                                        );
                                        late.store(true, SeqCst);
                                    }
                                }
                                None if waited != secs(timeout) => {
                                    model::violation(&format!(
                                        "try_get({timeout}s) gave up after {}s",
                                        waited.as_secs_f64()
                                    ));
                                    late.store(true, SeqCst);
                                }
                                None => {}
                            }
                        }
                    };
                    let other = {
                        let (queue, timed) = (queue.clone(), timed.clone());
                        spawn(move || {
                            kst::thread::sleep(secs(delay));
                            timed(&queue, 0.0);
                        })
                    };
                    let producer = {
                        let queue = queue.clone();
                        spawn(move || {
                            kst::thread::sleep(secs(delay));
                            queue.put(1);
                        })
                    };
                    timed(&queue, timeout);
                    join(other, &panics);
                    join(producer, &panics);
                    format!(
                        "received={} timeouts_on_time={} len={}{}",
                        received.load(SeqCst),
                        !late.load(SeqCst),
                        queue.len(),
                        panics_suffix(&panics)
                    )
                })
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
