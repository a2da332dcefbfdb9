//! The rest of the modelled API: `RwLock`, `Barrier`, `mpsc`, `park`/`unpark`, thread names,
//! threads left running when a scenario returns, `violation`, the JSON shape, nesting, and
//! threads outside exploration.

#[path = "support/check.rs"]
mod check;

mod learner {
    use kst::sync::atomic::{AtomicBool, Ordering};
    use kst::sync::mpsc;
    use kst::sync::{Arc, Barrier, Condvar, Mutex, RwLock};
    use kst::thread;
    use kst::time::{Duration, Instant};

    /// Two writers add under a write lock while a reader reads.
    pub fn rwlock(upgrade_bug: bool) -> String {
        let v = Arc::new(RwLock::new(0));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let v = Arc::clone(&v);
                thread::spawn(move || {
                    if upgrade_bug {
                        let seen = *v.read().unwrap();
                        *v.write().unwrap() = seen + 1;
                    } else {
                        *v.write().unwrap() += 1;
                    }
                })
            })
            .collect();
        let reader = {
            let v = Arc::clone(&v);
            thread::spawn(move || {
                let r = *v.read().unwrap();
                r <= 2
            })
        };
        for w in writers {
            w.join().unwrap();
        }
        let sane = reader.join().unwrap();
        let r = v.read().unwrap();
        let busy = v.try_write().is_err();
        format!("{} sane={sane} try_write_while_reading_fails={busy}", *r)
    }

    /// Each thread fills its slot, waits at the barrier, then sums all slots.
    pub fn barrier() -> String {
        let n = 3;
        let slots = Arc::new(Mutex::new(vec![0; n]));
        let barrier = Arc::new(Barrier::new(n));
        let hs: Vec<_> = (0..n)
            .map(|i| {
                let (slots, barrier) = (Arc::clone(&slots), Arc::clone(&barrier));
                thread::spawn(move || {
                    slots.lock().unwrap()[i] = i + 1;
                    let leader = barrier.wait().is_leader();
                    let sum: usize = slots.lock().unwrap().iter().sum();
                    (sum, leader)
                })
            })
            .collect();
        let results: Vec<(usize, bool)> = hs.into_iter().map(|h| h.join().unwrap()).collect();
        let leaders = results.iter().filter(|r| r.1).count();
        format!(
            "sums {:?} leaders {leaders}",
            results.iter().map(|r| r.0).collect::<Vec<_>>()
        )
    }

    pub fn channels() -> String {
        let (tx, rx) = mpsc::channel();
        let producers: Vec<_> = (0..3)
            .map(|p| {
                let tx = tx.clone();
                thread::spawn(move || {
                    for i in 0..3 {
                        tx.send(p * 10 + i).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let sum: i32 = rx.iter().sum();
        for p in producers {
            p.join().unwrap();
        }
        let (stx, srx) = mpsc::sync_channel(0);
        let t = thread::spawn(move || {
            for i in 0..3 {
                stx.send(i).unwrap();
            }
        });
        let got: Vec<i32> = srx.iter().collect();
        t.join().unwrap();
        let (_keep, rx2) = mpsc::channel::<i32>();
        let t0 = Instant::now();
        let timeout = rx2.recv_timeout(Duration::from_secs(2));
        let empty = rx2.try_recv();
        drop(_keep);
        let gone = rx2.try_recv();
        format!(
            "sum {sum}; rendezvous {got:?}; {timeout:?} after {:?}; {empty:?}; {gone:?}",
            t0.elapsed()
        )
    }

    pub fn park() -> String {
        let flag = Arc::new(AtomicBool::new(false));
        let waiter = {
            let flag = Arc::clone(&flag);
            thread::spawn(move || {
                while !flag.load(Ordering::Acquire) {
                    thread::park();
                }
                "woken"
            })
        };
        flag.store(true, Ordering::Release);
        waiter.thread().unpark();
        let r = waiter.join().unwrap();
        thread::park_timeout(Duration::from_millis(1500));
        format!("{r}; park_timeout returned at {:?}", Instant::now())
    }

    pub fn names() -> String {
        let me = thread::current().name().map(str::to_string);
        let a = thread::spawn(|| thread::current().name().map(str::to_string))
            .join()
            .unwrap();
        let b = thread::Builder::new()
            .name("worker".into())
            .spawn(|| thread::current().name().map(str::to_string))
            .unwrap()
            .join()
            .unwrap();
        format!("{me:?} {a:?} {b:?}")
    }

    /// Counts its drops under a shared lock, as learner `Drop` impls do.
    pub struct Tracker(pub Arc<Mutex<u32>>);

    impl Drop for Tracker {
        fn drop(&mut self) {
            *self.0.lock().unwrap() += 1;
        }
    }

    /// Two threads that can deadlock while holding a `Tracker` and the tracker's own lock:
    /// tearing the schedule down unwinds them, which must not leave that lock poisoned for
    /// the other `Tracker::drop` (a second panic while unwinding would abort the process).
    pub fn teardown() -> String {
        let drops = Arc::new(Mutex::new(0));
        let other = Arc::new(Mutex::new(()));
        let t1 = {
            let (drops, other) = (Arc::clone(&drops), Arc::clone(&other));
            thread::spawn(move || {
                let _t = Tracker(Arc::clone(&drops));
                let _d = drops.lock().unwrap();
                let _o = other.lock().unwrap();
            })
        };
        let t2 = {
            let (drops, other) = (Arc::clone(&drops), Arc::clone(&other));
            thread::spawn(move || {
                let _t = Tracker(Arc::clone(&drops));
                let _o = other.lock().unwrap();
                let _d = drops.lock().unwrap();
            })
        };
        t1.join().unwrap();
        t2.join().unwrap();
        let n = *drops.lock().unwrap();
        format!("{n} drops")
    }

    /// The Rust book's thread pool: workers share a job receiver; `Drop` closes the channel
    /// and joins every worker with `unwrap`.
    pub struct ThreadPool {
        workers: Vec<thread::JoinHandle<()>>,
        sender: Option<mpsc::Sender<Box<dyn FnOnce() + Send>>>,
    }

    impl ThreadPool {
        pub fn new(n: usize) -> ThreadPool {
            let (sender, receiver) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
            let receiver = Arc::new(Mutex::new(receiver));
            let workers = (0..n)
                .map(|_| {
                    let receiver = Arc::clone(&receiver);
                    thread::spawn(move || loop {
                        let job = receiver.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    })
                })
                .collect();
            ThreadPool {
                workers,
                sender: Some(sender),
            }
        }

        pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
            self.sender.as_ref().unwrap().send(Box::new(job)).unwrap();
        }
    }

    impl Drop for ThreadPool {
        fn drop(&mut self) {
            drop(self.sender.take());
            for w in self.workers.drain(..) {
                w.join().unwrap();
            }
        }
    }

    /// The scenario waits for a result that the job never signals (the bug): a deadlock
    /// while the pool is alive. Unwinding the scenario drops the pool, whose `Drop` joins
    /// the workers: that must still work (a failed `join().unwrap()` while unwinding would
    /// abort the process).
    pub fn pool_deadlock(signal: bool) -> String {
        let pool = ThreadPool::new(2);
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let d = Arc::clone(&done);
        pool.execute(move || {
            *d.0.lock().unwrap() = true;
            if signal {
                d.1.notify_all();
            }
        });
        let (lock, cv) = &*done;
        let mut finished = lock.lock().unwrap();
        while !*finished {
            finished = cv.wait(finished).unwrap();
        }
        "job done".to_string()
    }

    /// A worker that waits for jobs for ever: the scenario returns without stopping it.
    pub fn leak_worker() -> String {
        let jobs = Arc::new((Mutex::new(Vec::<u32>::new()), Condvar::new()));
        let worker = {
            let jobs = Arc::clone(&jobs);
            thread::spawn(move || loop {
                let (lock, cv) = &*jobs;
                let mut q = lock.lock().unwrap();
                while q.is_empty() {
                    q = cv.wait(q).unwrap();
                }
                q.pop();
            })
        };
        let spinner = thread::spawn(|| loop {
            thread::yield_now();
        });
        let _ = (worker, spinner);
        "done".to_string()
    }
}

use kst::model::{explore, Config};

fn main() {
    check::install_hook();
    let cfg = check::cfg(21);
    let o = check::explore_twice("rwlock", &cfg, || learner::rwlock(false));
    check::expect_clean(
        "RwLock writers and a reader",
        &o,
        "2 sane=true try_write_while_reading_fails=true",
        200,
    );
    let o = check::explore_twice("rwlock upgrade", &cfg, || learner::rwlock(true));
    check::expect_caught("RwLock read-then-write lost update", &o, |t| {
        t.starts_with("1 ")
    });
    let o = check::explore_twice("barrier", &cfg, learner::barrier);
    check::expect_clean("Barrier of 3", &o, "sums [6, 6, 6] leaders 1", 200);
    let o = check::explore_twice("channels", &cfg, learner::channels);
    check::expect_clean(
        "mpsc channel, rendezvous, recv_timeout",
        &o,
        "sum 99; rendezvous [0, 1, 2]; Err(Timeout) after 2s; Err(Empty); Err(Disconnected)",
        200,
    );
    let o = check::explore_twice("park", &cfg, learner::park);
    check::expect_clean(
        "park/unpark",
        &o,
        "woken; park_timeout returned at Instant(1.5s virtual)",
        200,
    );
    let o = check::explore_twice("names", &cfg, learner::names);
    check::expect_clean(
        "thread names",
        &o,
        "Some(\"main\") None Some(\"worker\")",
        200,
    );

    // Threads left running are named in the outcome and torn down before the next schedule.
    let o = check::explore_twice("leak", &cfg, learner::leak_worker);
    check::expect_clean(
        "threads left running",
        &o,
        "done; T1, T2 still running",
        200,
    );

    // Teardown of a deadlocked schedule runs learner `Drop`s without aborting.
    let o = check::explore_twice(
        "teardown",
        &Config {
            stop_after_distinct: 0,
            ..cfg.clone()
        },
        learner::teardown,
    );
    check::check(
        o.outcomes.len() >= 2 && o.outcomes[0].text == "2 drops",
        &format!("teardown: {:?}", o.texts()),
    );
    check::expect_caught("deadlock torn down through learner Drops", &o, |t| {
        t.starts_with("deadlock: ")
    });

    // A deadlock while a thread pool is alive: the pool's Drop joins its workers on the way out.
    let o = check::explore_twice("pool", &cfg, || learner::pool_deadlock(true));
    check::expect_clean("thread pool job", &o, "job done", 200);
    let o = check::explore_twice(
        "pool deadlock",
        &Config {
            stop_after_distinct: 0,
            ..cfg.clone()
        },
        || learner::pool_deadlock(false),
    );
    check::expect_caught("thread pool torn down after a deadlock", &o, |t| {
        t.starts_with("deadlock: main waits for Condvar#1 at misc.rs:")
    });

    // Locking a mutex the thread already holds deadlocks (std: deadlock or panic).
    let o = check::explore_twice("relock", &cfg, || {
        let m = kst::sync::Mutex::new(1);
        let _a = m.lock().unwrap();
        let _b = m.lock().unwrap(); // @RELOCK
        "relocked".to_string()
    });
    let line = check::line_of(include_str!("misc.rs"), "// @RELOCK");
    check::expect_clean(
        "relock",
        &o,
        &format!("deadlock: main waits for Mutex#1 (held by main) at misc.rs:{line}"),
        200,
    );

    // violation(): recorded in the trace, appended to the outcome, the schedule goes on.
    let o = check::explore_twice("violation", &cfg, || {
        let a = kst::sync::Arc::new(kst::sync::atomic::AtomicUsize::new(0));
        let t = {
            let a = kst::sync::Arc::clone(&a);
            kst::thread::spawn(move || a.store(1, kst::sync::atomic::Ordering::SeqCst))
        };
        if a.load(kst::sync::atomic::Ordering::SeqCst) == 1 {
            kst::model::violation("saw the store before the join");
        }
        t.join().unwrap();
        "joined".to_string()
    });
    let x = check::expect_caught("violation", &o, |t| {
        t == "joined; violation: saw the store before the join"
    });
    check::check(
        x.trace.iter().any(|e| {
            e.ev == "violation" && e.at.as_deref().is_some_and(|a| a.starts_with("misc.rs:"))
        }),
        "violation event",
    );

    // The JSON shape.
    let o = explore(
        &Config {
            schedules: 3,
            ..cfg.clone()
        },
        || {
            let m = kst::sync::Mutex::new(());
            drop(m.lock().unwrap());
            "a \"quoted\"\n\u{1}line".to_string()
        },
    );
    let json = o.to_json();
    let want_head = "[{\"v\":\"a \\\"quoted\\\"\\n\\u0001line\",\"schedule\":0,\"seed\":";
    check::check(json.starts_with(want_head), &format!("json head: {json}"));
    check::check(
        json.contains(",\"steps\":2,\"trace\":[{\"th\":\"main\",\"ev\":\"lock\",\"at\":\"misc.rs:")
            && json.contains("\"detail\":\"Mutex#1\"},{\"th\":\"main\",\"ev\":\"locked\"")
            && json.contains(
                "{\"th\":\"main\",\"ev\":\"unlock\",\"detail\":\"Mutex#1\"}],\"trace_cut\":0}]",
            ),
        &format!("json body: {json}"),
    );
    println!("ok   JSON shape: {json}");

    // explore cannot be nested: the inner call panics, which is the outer schedule's outcome.
    let o =
        check::quietly(|| explore(&cfg, || explore(&cfg, || "x".to_string()).texts().join(",")));
    check::check(
        o.texts() == ["panic: kst::model::explore cannot be nested"],
        &format!("nested: {:?}", o.texts()),
    );
    println!("ok   nested explore is refused: {:?}", o.texts());

    // Outside exploration: threads run one at a time, deterministically.
    check::check(
        learner::barrier() == "sums [6, 6, 6] leaders 1",
        "free mode barrier",
    );
    check::check(
        learner::channels().starts_with("sum 99; rendezvous [0, 1, 2]; Err(Timeout) after 2s"),
        "free mode channels",
    );
    println!("ok   outside exploration: barrier, channels, timeouts");
}
