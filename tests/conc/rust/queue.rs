//! Bounded blocking queue (exercise 7.12) on `Mutex<VecDeque>` + two `Condvar`s.
//! `if` instead of `while` around `wait` is caught (spurious wakeups are part of the
//! exploration); the correct queue is clean; timeouts finish on the virtual clock; outside
//! exploration a `get` on an empty queue panics with `deadlock:` instead of hanging; a
//! notify sent before anyone waits is reported as a lost wakeup.

#[path = "support/check.rs"]
mod check;

/// The learner's correct queue.
pub mod good {
    use kst::collections::VecDeque;
    use kst::sync::{Condvar, Mutex};
    use kst::time::{Duration, Instant};

    pub struct BoundedQueue<T> {
        capacity: usize,
        items: Mutex<VecDeque<T>>,
        not_empty: Condvar,
        not_full: Condvar,
    }

    impl<T> BoundedQueue<T> {
        pub fn new(capacity: usize) -> Self {
            assert!(capacity > 0, "capacity must be >= 1");
            BoundedQueue {
                capacity,
                items: Mutex::new(VecDeque::new()),
                not_empty: Condvar::new(),
                not_full: Condvar::new(),
            }
        }

        pub fn put(&self, item: T) {
            let mut items = self.items.lock().unwrap();
            while items.len() >= self.capacity {
                items = self.not_full.wait(items).unwrap();
            }
            items.push_back(item);
            self.not_empty.notify_one();
        }

        pub fn get(&self) -> T {
            let mut items = self.items.lock().unwrap();
            while items.is_empty() {
                items = self.not_empty.wait(items).unwrap(); // @GET-WAIT
            }
            let item = items.pop_front().unwrap();
            self.not_full.notify_one();
            item
        }

        pub fn try_put(&self, item: T, timeout: Duration) -> Result<(), T> {
            let deadline = Instant::now() + timeout;
            let mut items = self.items.lock().unwrap();
            while items.len() >= self.capacity {
                let now = Instant::now();
                if now >= deadline {
                    return Err(item);
                }
                items = self.not_full.wait_timeout(items, deadline - now).unwrap().0;
            }
            items.push_back(item);
            self.not_empty.notify_one();
            Ok(())
        }

        pub fn try_get(&self, timeout: Duration) -> Option<T> {
            let mut items = self
                .not_empty
                .wait_timeout_while(self.items.lock().unwrap(), timeout, |items| {
                    items.is_empty()
                })
                .unwrap()
                .0;
            let item = items.pop_front()?;
            self.not_full.notify_one();
            Some(item)
        }

        pub fn len(&self) -> usize {
            self.items.lock().unwrap().len()
        }

        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    }
}

/// The same queue with `if` instead of `while` around both waits (the bug).
pub mod buggy {
    use kst::collections::VecDeque;
    use kst::sync::{Condvar, Mutex};
    use kst::time::{Duration, Instant};

    pub struct BoundedQueue<T> {
        capacity: usize,
        items: Mutex<VecDeque<T>>,
        not_empty: Condvar,
        not_full: Condvar,
    }

    impl<T> BoundedQueue<T> {
        pub fn new(capacity: usize) -> Self {
            assert!(capacity > 0, "capacity must be >= 1");
            BoundedQueue {
                capacity,
                items: Mutex::new(VecDeque::new()),
                not_empty: Condvar::new(),
                not_full: Condvar::new(),
            }
        }

        pub fn put(&self, item: T) {
            let mut items = self.items.lock().unwrap();
            if items.len() >= self.capacity {
                items = self.not_full.wait(items).unwrap();
            }
            items.push_back(item);
            self.not_empty.notify_one();
        }

        pub fn get(&self) -> T {
            let mut items = self.items.lock().unwrap();
            if items.is_empty() {
                items = self.not_empty.wait(items).unwrap();
            }
            let item = items.pop_front().unwrap();
            self.not_full.notify_one();
            item
        }

        pub fn try_put(&self, item: T, timeout: Duration) -> Result<(), T> {
            let deadline = Instant::now() + timeout;
            let mut items = self.items.lock().unwrap();
            while items.len() >= self.capacity {
                let now = Instant::now();
                if now >= deadline {
                    return Err(item);
                }
                items = self.not_full.wait_timeout(items, deadline - now).unwrap().0;
            }
            items.push_back(item);
            self.not_empty.notify_one();
            Ok(())
        }

        pub fn try_get(&self, timeout: Duration) -> Option<T> {
            let mut items = self
                .not_empty
                .wait_timeout_while(self.items.lock().unwrap(), timeout, |items| {
                    items.is_empty()
                })
                .unwrap()
                .0;
            let item = items.pop_front()?;
            self.not_full.notify_one();
            Some(item)
        }

        pub fn len(&self) -> usize {
            self.items.lock().unwrap().len()
        }

        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    }
}

/// A one-shot event whose waiter checks the flag without holding the lock (the bug).
mod event {
    use kst::sync::atomic::{AtomicBool, Ordering};
    use kst::sync::{Condvar, Mutex};

    pub struct Event {
        flag: AtomicBool,
        lock: Mutex<()>,
        cv: Condvar,
    }

    impl Event {
        pub fn new() -> Event {
            Event {
                flag: AtomicBool::new(false),
                lock: Mutex::new(()),
                cv: Condvar::new(),
            }
        }

        pub fn set(&self) {
            self.flag.store(true, Ordering::SeqCst);
            self.cv.notify_all(); // @NOTIFY
        }

        pub fn wait(&self) {
            while !self.flag.load(Ordering::SeqCst) {
                let guard = self.lock.lock().unwrap();
                let _guard = self.cv.wait(guard).unwrap(); // @EV-WAIT
            }
        }
    }
}

use kst::sync::Arc;
use kst::time::{Duration, Instant};

macro_rules! producer_consumer {
    ($module:ident, $capacity:expr, $producers:expr, $consumers:expr, $per:expr) => {{
        let q = Arc::new($module::BoundedQueue::new($capacity));
        let producers: Vec<_> = (0..$producers)
            .map(|p| {
                let q = Arc::clone(&q);
                kst::thread::spawn(move || {
                    for i in 0..$per {
                        q.put(p * 100 + i);
                    }
                })
            })
            .collect();
        let consumers: Vec<_> = (1..$consumers)
            .map(|_| {
                let q = Arc::clone(&q);
                kst::thread::spawn(move || (0..$per).map(|_| q.get()).collect::<Vec<i32>>())
            })
            .collect();
        let mut got: Vec<i32> = Vec::new();
        for _ in 0..$per {
            got.push(q.get());
            if q.len() > $capacity {
                kst::model::violation("more items than the capacity");
            }
        }
        for c in consumers {
            got.extend(c.join().unwrap());
        }
        for p in producers {
            p.join().unwrap();
        }
        got.sort();
        format!("got {got:?}, {} left", q.len())
    }};
}

fn main() {
    check::install_hook();
    let src = include_str!("queue.rs");
    let at = |m: &str| format!("queue.rs:{}", check::line_of(src, m));

    // One producer, one consumer (main), capacity 1: `if` is caught by a spurious wakeup.
    let o = check::explore_twice("if-queue", &check::cfg(3), || {
        producer_consumer!(buggy, 1, 1, 1, 3)
    });
    check::check(
        o.outcomes[0].text == "got [0, 1, 2], 0 left",
        "if-queue: schedule 0 is fine",
    );
    let x = check::expect_caught(
        "`if` instead of `while` (1 producer, 1 consumer)",
        &o,
        |t| t != "got [0, 1, 2], 0 left",
    );
    check::check(
        x.trace.iter().any(|e| e.ev == "spurious"),
        "if-queue: caught through a spurious wakeup",
    );

    // Two producers, two consumers.
    let want = "got [0, 1, 100, 101], 0 left";
    let o = check::explore_twice("if-queue 2x2", &check::cfg(3), || {
        producer_consumer!(buggy, 1, 2, 2, 2)
    });
    check::expect_caught(
        "`if` instead of `while` (2 producers, 2 consumers)",
        &o,
        |t| t != want,
    );
    let o = check::explore_twice("queue 2x2", &check::cfg(3), || {
        producer_consumer!(good, 1, 2, 2, 2)
    });
    check::expect_clean(
        "correct queue, 2 producers 2 consumers, capacity 1",
        &o,
        want,
        200,
    );
    let o = check::explore_twice("queue 1x1", &check::cfg(3), || {
        producer_consumer!(good, 2, 1, 1, 4)
    });
    check::expect_clean(
        "correct queue, 1 producer 1 consumer, capacity 2",
        &o,
        "got [0, 1, 2, 3], 0 left",
        200,
    );

    // Timeouts on the virtual clock.
    let o = check::explore_twice("try_get timeout", &check::cfg(3), || {
        let q = good::BoundedQueue::<i32>::new(1);
        let t0 = Instant::now();
        let r = q.try_get(Duration::from_secs(5));
        format!("{r:?} after {:?}", t0.elapsed())
    });
    check::expect_clean("try_get(5s) on an empty queue", &o, "None after 5s", 200);
    let o = check::explore_twice("try_get with a late producer", &check::cfg(3), || {
        let q = Arc::new(good::BoundedQueue::<i32>::new(1));
        let t0 = Instant::now();
        let p = {
            let q = Arc::clone(&q);
            kst::thread::spawn(move || {
                kst::thread::sleep(Duration::from_millis(2500));
                q.put(7);
            })
        };
        let r = q.try_get(Duration::from_secs(5));
        p.join().unwrap();
        format!("{r:?} after {:?}", t0.elapsed())
    });
    check::expect_clean(
        "try_get(5s) while a producer sleeps 2.5s",
        &o,
        "Some(7) after 2.5s",
        200,
    );
    let o = check::explore_twice("try_put timeout", &check::cfg(3), || {
        let q = good::BoundedQueue::new(1);
        q.put(1);
        let r = q.try_put(2, Duration::from_secs(5));
        format!("{r:?} at {:?}", kst::model::now())
    });
    check::expect_clean(
        "try_put(5s) on a full queue",
        &o,
        "Err(2) at Instant(5s virtual)",
        200,
    );

    // Outside exploration: plain sequential calls.
    let q = good::BoundedQueue::<i32>::new(2);
    q.put(1);
    check::check(q.get() == 1, "free mode: put then get");
    let msg = check::panic_message(|| {
        q.get();
    });
    let want = format!(
        "deadlock: main waits for Condvar#1 at {}",
        at("// @GET-WAIT")
    );
    check::check(
        msg == want,
        &format!("free mode get on empty: {msg:?}, want {want:?}"),
    );
    println!("ok   free-mode get() on an empty queue panics: {msg}");
    let t0 = Instant::now();
    check::check(
        q.try_get(Duration::from_secs(5)).is_none() && t0.elapsed() == Duration::from_secs(5),
        "free mode try_get",
    );
    q.put(2);
    check::check(
        q.get() == 2,
        "free mode: the queue still works after the deadlock panic",
    );
    println!("ok   free-mode try_get(5s) returns None after 5 virtual seconds");

    // Lost wakeup: the flag is read without the lock, so set() can slip in before wait().
    let o = check::explore_twice("event", &check::cfg(3), || {
        let e = Arc::new(event::Event::new());
        let t = {
            let e = Arc::clone(&e);
            kst::thread::spawn(move || e.set())
        };
        e.wait();
        t.join().unwrap();
        "set".to_string()
    });
    let x = check::expect_caught("lost wakeup", &o, |t| {
        t.starts_with("deadlock (lost wakeup)")
    });
    let want = format!(
        "deadlock (lost wakeup): main waits for Condvar#1 (notified at {} while nobody waited) at {}",
        at("// @NOTIFY"),
        at("// @EV-WAIT")
    );
    check::check(
        x.text == want,
        &format!("lost wakeup text: {:?}, want {want:?}", x.text),
    );
}
