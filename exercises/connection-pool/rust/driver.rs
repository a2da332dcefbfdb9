//! Hidden driver for connection-pool (Rust).
//!
//! Sequential operations act on one pool per case (`new`, `acquire`, `try_acquire`, `release`,
//! `available`, `in_use`, `closed`, `close`, `elapsed`, `borrow_and_fail`, `add`); the guards
//! they acquire are kept by connection id until `release`. Concurrent operations (`borrowers`,
//! `fifo`, `holder_panics`, `close_waits`, `close_wakes_waiters`, `timeout_while_busy`,
//! `timeout_from_the_call`, `release_burst`, `concurrent_closes`) build their own pool in every
//! schedule and are explored under kst's scheduler; their line summarises what every schedule
//! of a correct pool agrees on. Bookkeeping uses real std atomics and mutexes (this file is
//! not rewritten), so it adds no scheduling points.

use crate::harness::{self, Value};
use crate::learner::{AcquireError, Guard, Pool};
use kst::model::{self, Config};
use kst::thread::{self as mthread, ScopedJoinHandle};
use kst::time::Instant;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// A connection: an id and nothing else. Neither Clone, Copy, Debug nor Default: the pool
/// must not require them.
pub struct Conn(i64);

pub struct Driver {
    pool: Option<&'static Pool<Conn>>,
    held: Vec<Guard<'static, Conn>>,
    start: Option<Instant>,
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn pool_of(n: usize) -> Pool<Conn> {
    Pool::new((1..=n as i64).map(Conn).collect())
}

/// The language-neutral name of an acquire error (Python raises these classes).
fn kind(error: AcquireError) -> &'static str {
    match error {
        AcquireError::Closed => "PoolClosed",
        AcquireError::Timeout => "TimeoutError",
    }
}

fn error_text(error: AcquireError) -> String {
    format!("error {}", kind(error))
}

/// Explores `schedules` schedules of a scenario (a count, never a time: the same seed gives
/// the same outcomes on any machine). Budgets are per scenario: the ones whose mistakes need
/// a precise interleaving (a burst of returns, FIFO) get more.
fn explore(schedules: usize, scenario: impl Fn() -> String + Sync) -> String {
    let config = Config {
        seed: harness::seed(),
        schedules,
        ..Config::default()
    };
    harness::explored(model::explore(&config, scenario).to_json())
}

/// Milliseconds of virtual time since `t0`.
fn since(t0: Instant) -> String {
    format!("{}ms", t0.elapsed().as_millis())
}

/// Joins scoped threads, re-raising the first panic with its own payload (so the outcome
/// shows the learner's message rather than "a scoped thread panicked").
fn join_all<T>(handles: Vec<ScopedJoinHandle<'_, T>>) -> Vec<T> {
    let mut results = Vec::new();
    let mut failure = None;
    for handle in handles {
        match handle.join() {
            Ok(value) => results.push(value),
            Err(payload) => {
                failure.get_or_insert(payload);
            }
        }
    }
    if let Some(payload) = failure {
        panic::resume_unwind(payload);
    }
    results
}

/// What an acquire gave, for a scenario's line: `got 1 at 20ms`, `PoolClosed at 30ms`.
fn attempt(result: &Result<Guard<'_, Conn>, AcquireError>, t0: Instant) -> String {
    match result {
        Ok(guard) => format!("got {} at {}", guard.0, since(t0)),
        Err(error) => format!("{} at {}", kind(*error), since(t0)),
    }
}

impl Driver {
    fn pool(&mut self) -> &'static Pool<Conn> {
        *harness::need(self.pool.as_mut())
    }

    fn lent(&mut self, result: Result<Guard<'static, Conn>, AcquireError>) -> String {
        match result {
            Ok(guard) => {
                let id = guard.0;
                self.held.push(guard);
                harness::int(id)
            }
            Err(error) => error_text(error),
        }
    }

    fn held_index(&self, id: i64) -> usize {
        self.held
            .iter()
            .position(|guard| guard.0 == id)
            .unwrap_or_else(|| panic!("kata driver: no guard holds connection {id}"))
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            pool: None,
            held: Vec::new(),
            start: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            // ---- sequential ----
            "new" => {
                let ids: Vec<Conn> = args[0].list().iter().map(|v| Conn(v.int())).collect();
                self.held.clear();
                self.start = Some(Instant::now());
                let pool = Pool::new(ids);
                self.pool = Some(Box::leak(Box::new(pool)));
                harness::ok()
            }
            "acquire" => {
                let result = self.pool().acquire();
                self.lent(result)
            }
            "try_acquire" => {
                let timeout = Duration::from_secs_f64(args[0].float());
                let result = self.pool().try_acquire(timeout);
                self.lent(result)
            }
            "release" => {
                let index = self.held_index(args[0].int());
                drop(self.held.remove(index));
                harness::ok()
            }
            "add" => {
                let index = self.held_index(args[0].int());
                let guard = &mut self.held[index];
                guard.0 += args[1].int();
                harness::int(guard.0)
            }
            "available" => harness::int(self.pool().available() as i64),
            "in_use" => harness::int(self.pool().in_use() as i64),
            "closed" => harness::boolean(self.pool().is_closed()),
            "close" => {
                self.pool().close();
                harness::ok()
            }
            "elapsed" => {
                let start = self.start.unwrap_or_else(Instant::now);
                harness::float(start.elapsed().as_secs_f64())
            }
            "borrow_and_fail" => {
                let pool = self.pool();
                let mut holding = None;
                let outcome = panic::catch_unwind(AssertUnwindSafe(|| match pool.acquire() {
                    Ok(guard) => {
                        holding = Some(guard.0);
                        panic!("the borrower failed while holding connection {}", guard.0)
                    }
                    Err(error) => error_text(error),
                }));
                match (outcome, holding) {
                    (Err(_), Some(id)) => format!("failed holding {id}"),
                    (Ok(text), _) => text,
                    (Err(payload), None) => panic::resume_unwind(payload),
                }
            }

            // ---- concurrent ----
            "borrowers" => {
                let (conns, threads, rounds) = (
                    args[0].int() as usize,
                    args[1].int() as usize,
                    args[2].int() as usize,
                );
                explore(150, move || borrowers(conns, threads, rounds))
            }
            "fifo" => {
                let waiters = args[0].int() as u64;
                explore(120, move || fifo(waiters))
            }
            "holder_panics" => explore(60, holder_panics),
            "close_waits" => explore(80, close_waits),
            "close_wakes_waiters" => explore(80, close_wakes_waiters),
            "timeout_while_busy" => explore(60, timeout_while_busy),
            "timeout_from_the_call" => explore(80, timeout_from_the_call),
            "release_burst" => explore(200, release_burst),
            "concurrent_closes" => explore(60, concurrent_closes),
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}

/// `threads` borrowers each acquire, hold (yielding to the others) and release `rounds`
/// times on a pool of `conns`; counts what they saw.
fn borrowers(conns: usize, threads: usize, rounds: usize) -> String {
    let pool = pool_of(conns);
    let lent: Vec<AtomicBool> = (0..conns).map(|_| AtomicBool::new(false)).collect();
    let in_use = AtomicUsize::new(0);
    let peak = AtomicUsize::new(0);
    let served = AtomicUsize::new(0);
    let shared = AtomicBool::new(false);
    let errors = Mutex::new(Vec::new());
    mthread::scope(|s| {
        let handles = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..rounds {
                        let guard = match pool.acquire() {
                            Ok(guard) => guard,
                            Err(error) => {
                                errors.lock().unwrap().push(kind(error));
                                continue;
                            }
                        };
                        served.fetch_add(1, Ordering::SeqCst);
                        let slot = &lent[(guard.0 - 1) as usize];
                        if slot.swap(true, Ordering::SeqCst) {
                            shared.store(true, Ordering::SeqCst);
                            model::violation("a connection is lent to two borrowers at once");
                        }
                        let now = in_use.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        if now > conns {
                            model::violation("more connections in use than the pool has");
                        }
                        mthread::yield_now();
                        in_use.fetch_sub(1, Ordering::SeqCst);
                        slot.store(false, Ordering::SeqCst);
                        drop(guard);
                    }
                })
            })
            .collect();
        join_all(handles);
    });
    let peak = peak.load(Ordering::SeqCst);
    let mut line = format!("served {}", served.load(Ordering::SeqCst));
    if peak <= conns {
        line.push_str(&format!(", at most {conns} in use at once"));
    } else {
        line.push_str(&format!(", {peak} in use at once"));
    }
    if shared.load(Ordering::SeqCst) {
        line.push_str(", a connection lent twice at once");
    } else {
        line.push_str(", none lent twice");
    }
    let errors = errors.lock().unwrap();
    if !errors.is_empty() {
        line.push_str(&format!(", acquire failed: {}", errors.join(" ")));
    }
    line.push_str(&format!(
        "; then {} available, {} in use",
        pool.available(),
        pool.in_use()
    ));
    line
}

/// One connection, held by main until `10 * (waiters + 1)` ms; waiter i asks at `10 * i` ms,
/// and one more borrower arrives just as main gives the connection back.
fn fifo(waiters: u64) -> String {
    let pool = pool_of(1);
    let order = Mutex::new(Vec::new());
    let next = AtomicU64::new(1);
    let broken = AtomicBool::new(false);
    let held = pool.acquire();
    mthread::scope(|s| {
        let handles = (1..=waiters + 1)
            .map(|i| {
                let (pool, order, next, broken) = (&pool, &order, &next, &broken);
                s.spawn(move || {
                    mthread::sleep(ms(10 * i));
                    match pool.acquire() {
                        Ok(guard) => {
                            // Only the first break is marked: the rest follow from it.
                            let turn = next.fetch_add(1, Ordering::SeqCst);
                            if turn != i && !broken.swap(true, Ordering::SeqCst) {
                                model::violation(&format!(
                                    "waiter {i} is served before waiter {turn}, who waits longer"
                                ));
                            }
                            order.lock().unwrap().push(i.to_string());
                            mthread::yield_now();
                            drop(guard);
                        }
                        Err(error) => order.lock().unwrap().push(kind(error).to_string()),
                    }
                })
            })
            .collect();
        mthread::sleep(ms(10 * (waiters + 1)));
        drop(held);
        join_all(handles);
    });
    let order = order.lock().unwrap().clone();
    format!("served in order {}", harness::list(order))
}

/// A borrower panics while holding the only connection; another one is waiting for it.
fn holder_panics() -> String {
    let pool = pool_of(1);
    let t0 = model::now();
    mthread::scope(|s| {
        let failing = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(10));
            if let Ok(guard) = &guard {
                panic!("the borrower of connection {} failed", guard.0);
            }
        });
        let waiting = s.spawn(|| {
            mthread::sleep(ms(5));
            let got = pool.acquire();
            attempt(&got, t0)
        });
        let failed = match failing.join() {
            Ok(()) => "the failing borrower got no connection".to_string(),
            Err(_) => "the failing borrower panicked".to_string(),
        };
        let waited = join_all(vec![waiting]).remove(0);
        format!(
            "{failed}; the waiter {waited}; then {} available, {} in use",
            pool.available(),
            pool.in_use()
        )
    })
}

/// main closes at 10ms while a borrower holds a connection until 50ms; another borrower asks
/// at 20ms, while the pool is closing (a connection is idle then).
fn close_waits() -> String {
    let pool = pool_of(2);
    let t0 = model::now();
    let lent = AtomicBool::new(true);
    mthread::scope(|s| {
        let holder = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(50));
            lent.store(false, Ordering::SeqCst);
            drop(guard);
        });
        let late = s.spawn(|| {
            mthread::sleep(ms(20));
            let got = pool.try_acquire(ms(1000));
            if got.is_ok() {
                model::violation("a closing pool lent a connection");
            }
            attempt(&got, t0)
        });
        mthread::sleep(ms(10));
        pool.close();
        if lent.load(Ordering::SeqCst) {
            model::violation("close returned while a connection is still lent");
        }
        let closed = format!(
            "close returned at {} with {} in use",
            since(t0),
            pool.in_use()
        );
        let after = match pool.acquire() {
            Ok(guard) => format!("got {}", guard.0),
            Err(error) => kind(error).to_string(),
        };
        join_all(vec![holder]);
        let late = join_all(vec![late]).remove(0);
        format!("{closed}; during close: {late}; after close: {after}")
    })
}

/// One connection held until 100ms; two borrowers wait for it (one without, one with a
/// timeout) when main closes the pool at 30ms.
fn close_wakes_waiters() -> String {
    let pool = pool_of(1);
    let t0 = model::now();
    let answered = AtomicUsize::new(0);
    mthread::scope(|s| {
        let holder = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(100));
            if answered.load(Ordering::SeqCst) < 2 {
                model::violation("a waiter still waits 70ms after the pool closed");
            }
            drop(guard);
        });
        let a = s.spawn(|| {
            mthread::sleep(ms(10));
            let got = pool.acquire();
            answered.fetch_add(1, Ordering::SeqCst);
            attempt(&got, t0)
        });
        let b = s.spawn(|| {
            mthread::sleep(ms(20));
            let got = pool.try_acquire(ms(1000));
            answered.fetch_add(1, Ordering::SeqCst);
            attempt(&got, t0)
        });
        mthread::sleep(ms(30));
        pool.close();
        let closed = since(t0);
        join_all(vec![holder]);
        let waiters = join_all(vec![a, b]);
        format!(
            "waiter A: {}; waiter B: {}; close returned at {closed}",
            waiters[0], waiters[1]
        )
    })
}

/// One connection held until 100ms; A tries for 30ms from 10ms, B for 200ms from 20ms.
fn timeout_while_busy() -> String {
    let pool = pool_of(1);
    let t0 = model::now();
    mthread::scope(|s| {
        let holder = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(100));
            drop(guard);
        });
        let a = s.spawn(|| {
            mthread::sleep(ms(10));
            let got = pool.try_acquire(ms(30));
            attempt(&got, t0)
        });
        let b = s.spawn(|| {
            mthread::sleep(ms(20));
            let got = pool.try_acquire(ms(200));
            attempt(&got, t0)
        });
        join_all(vec![holder]);
        let got = join_all(vec![a, b]);
        format!("A: {}; B: {}", got[0], got[1])
    })
}

/// One connection: H holds it until 20ms, W waits from 5ms and then holds it until 100ms.
/// S tries for 30ms from 10ms (it is woken at 20ms, when W is served, and must still give up
/// at 40ms); L waits from 15ms behind S and must be served when W is done.
fn timeout_from_the_call() -> String {
    let pool = pool_of(1);
    let t0 = model::now();
    mthread::scope(|s| {
        let h = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(20));
            drop(guard);
        });
        let w = s.spawn(|| {
            mthread::sleep(ms(5));
            let got = pool.acquire();
            let seen = attempt(&got, t0);
            mthread::sleep(ms(80));
            drop(got);
            seen
        });
        let s_ = s.spawn(|| {
            mthread::sleep(ms(10));
            let got = pool.try_acquire(ms(30));
            attempt(&got, t0)
        });
        let l = s.spawn(|| {
            mthread::sleep(ms(15));
            let got = pool.acquire();
            attempt(&got, t0)
        });
        join_all(vec![h]);
        let got = join_all(vec![w, s_, l]);
        format!("W: {}; S: {}; L: {}", got[0], got[1], got[2])
    })
}

/// Two connections, both given back at 50ms; three borrowers waiting since 10, 20, 30ms,
/// each holding what it gets for 10ms.
fn release_burst() -> String {
    let pool = pool_of(2);
    let t0 = model::now();
    let served = AtomicUsize::new(0);
    mthread::scope(|s| {
        let holders: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let guard = pool.acquire();
                    mthread::sleep(ms(50));
                    drop(guard);
                })
            })
            .collect();
        let waiters: Vec<_> = (1..=3u64)
            .map(|i| {
                let (pool, served) = (&pool, &served);
                s.spawn(move || {
                    mthread::sleep(ms(10 * i));
                    let got = pool.acquire();
                    served.fetch_add(1, Ordering::SeqCst);
                    let at = match &got {
                        Ok(_) => format!("served at {}", since(t0)),
                        Err(error) => kind(*error).to_string(),
                    };
                    mthread::sleep(ms(10));
                    if served.load(Ordering::SeqCst) < 2 {
                        model::violation(
                            "a waiter still waits 10ms after two connections came back",
                        );
                    }
                    drop(got);
                    at
                })
            })
            .collect();
        join_all(holders);
        let got = join_all(waiters);
        format!("W1 {}; W2 {}; W3 {}", got[0], got[1], got[2])
    })
}

/// One connection held until 50ms; two threads close the pool, at 10ms and at 20ms.
fn concurrent_closes() -> String {
    let pool = pool_of(1);
    let t0 = model::now();
    let lent = AtomicBool::new(true);
    mthread::scope(|s| {
        let holder = s.spawn(|| {
            let guard = pool.acquire();
            mthread::sleep(ms(50));
            lent.store(false, Ordering::SeqCst);
            drop(guard);
        });
        let closers: Vec<_> = [10u64, 20]
            .into_iter()
            .map(|at| {
                let (pool, lent) = (&pool, &lent);
                s.spawn(move || {
                    mthread::sleep(ms(at));
                    pool.close();
                    if lent.load(Ordering::SeqCst) {
                        model::violation("close returned while a connection is still lent");
                    }
                    since(t0)
                })
            })
            .collect();
        join_all(vec![holder]);
        let returned = join_all(closers);
        format!(
            "first close returned at {}; second close returned at {}",
            returned[0], returned[1]
        )
    })
}
