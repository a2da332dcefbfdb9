//! The std-compatible surface, as a learner's file uses it after the `std::` -> `kst::`
//! rewrite: grouped and glob `use`s, `::kst::` paths, macros through paths, statics with
//! `const fn` constructors, derives, `Send + Sync` bounds, guards, timeouts, scoped threads.
//! Compiling this program is most of the test. (`Once`, `OnceLock`, `LazyLock` must NOT
//! resolve: run_rust.sh checks that separately.)

#[path = "support/check.rs"]
mod check;

#[allow(dead_code)]
mod learner {
    use kst::collections::{BTreeMap, HashMap, VecDeque};
    use kst::fmt;
    use kst::sync::atomic::{
        AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicU32, AtomicU64, AtomicUsize, Ordering,
    };
    use kst::sync::{
        mpsc, Arc, Barrier, Condvar, LockResult, Mutex, MutexGuard, PoisonError, RwLock,
        TryLockError, Weak,
    };
    use kst::time::{Duration, Instant};
    use kst::{cell::RefCell, mem, thread};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    static REGISTRY: Mutex<Vec<u32>> = Mutex::new(Vec::new());
    static READY: Condvar = Condvar::new();
    static TABLE: RwLock<BTreeMap<u32, u32>> = RwLock::new(BTreeMap::new());

    #[derive(Debug, Default)]
    pub struct Pool {
        free: Mutex<VecDeque<u32>>,
        available: Condvar,
        created: AtomicUsize,
        closed: AtomicBool,
        stats: RwLock<HashMap<String, u64>>,
        wide: (AtomicU32, AtomicU64, AtomicI32, AtomicI64, AtomicIsize),
    }

    impl fmt::Display for Pool {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "Pool({})", self.created.load(Ordering::Relaxed))
        }
    }

    fn assert_send_sync<T: Send + Sync>() {}

    impl Pool {
        pub fn new(n: u32) -> Self {
            assert_send_sync::<Pool>();
            let p = Pool::default();
            p.free.lock().unwrap().extend(0..n);
            p
        }

        pub fn take(&self, timeout: Duration) -> Option<u32> {
            let deadline = Instant::now() + timeout;
            let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if let Some(c) = free.pop_front() {
                    return Some(c);
                }
                let left = deadline.checked_duration_since(Instant::now())?;
                let (g, res) = self.available.wait_timeout(free, left).unwrap();
                free = g;
                if res.timed_out() && free.is_empty() {
                    return None;
                }
            }
        }

        pub fn give(&self, c: u32) {
            self.guard().push_back(c);
            self.available.notify_one();
            *self
                .stats
                .write()
                .unwrap()
                .entry("given".to_string())
                .or_insert(0) += 1;
        }

        fn guard(&self) -> MutexGuard<'_, VecDeque<u32>> {
            let r: LockResult<MutexGuard<'_, VecDeque<u32>>> = self.free.lock();
            r.unwrap()
        }

        pub fn try_take(&self) -> Result<Option<u32>, String> {
            match self.free.try_lock() {
                Ok(mut g) => Ok(g.pop_front()),
                Err(TryLockError::WouldBlock) => Err("busy".into()),
                Err(TryLockError::Poisoned(e)) => Ok(e.into_inner().pop_front()),
            }
        }
    }

    pub fn everything(statics: bool) -> String {
        let pool = Arc::new(Pool::new(2));
        let weak: Weak<Pool> = Arc::downgrade(&pool);
        let a = pool.take(Duration::from_millis(10)).unwrap();
        let b = pool.take(Duration::from_millis(10)).unwrap();
        let none = pool.take(Duration::from_millis(10));
        let giver = {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                thread::sleep(Duration::from_secs(1));
                pool.give(a);
            })
        };
        let again = pool.take(Duration::from_secs(5));
        giver.join().unwrap();
        pool.give(b);
        let busy = pool.try_take();
        if statics {
            COUNTER.fetch_add(1, Ordering::SeqCst);
            REGISTRY.lock().unwrap().push(7);
            READY.notify_all();
            TABLE.write().unwrap().insert(1, 2);
        }
        let total: u32 = thread::scope(|s| {
            let hs: Vec<thread::ScopedJoinHandle<'_, u32>> =
                (0..2u32).map(|i| s.spawn(move || i + 1)).collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum()
        });
        let (tx, rx) = mpsc::sync_channel::<u8>(1);
        tx.try_send(1).unwrap();
        let full = matches!(tx.try_send(2), Err(mpsc::TrySendError::Full(2)));
        let barrier = Barrier::new(1);
        let leader = barrier.wait().is_leader();
        let cell = RefCell::new(mem::take(&mut vec![1, 2]));
        let r = kst::panic::catch_unwind(|| 1).unwrap_or(0);
        let s = ::kst::format!("{a}{b}");
        kst::debug_assert!(r == 1);
        let v = kst::vec![
            none.is_none(),
            again == Some(a),
            busy.is_ok(),
            full,
            leader,
            weak.upgrade().is_some()
        ];
        format!(
            "{v:?} total={total} s={s} cell={:?} rx={:?} {} elapsed={:?} statics={}",
            cell.borrow(),
            rx.recv().ok(),
            pool,
            Instant::now().duration_since(Instant::now() - Duration::from_secs(1)),
            REGISTRY.lock().unwrap().len() + TABLE.read().unwrap().len()
        )
    }
}

fn main() {
    check::install_hook();
    let want = "[true, true, true, true, true, true] total=3 s=01 cell=[1, 2] rx=Some(1) Pool(0) elapsed=1s statics=";
    // Statics work but persist across schedules (documented), so only outside exploration.
    let free = learner::everything(true);
    check::check(free == format!("{want}2"), &format!("free mode: {free}"));
    kst::println!(
        "ok   statics and the whole surface outside exploration (this line: kst::println!)"
    );
    let o = check::explore_twice("api", &check::cfg(1), || learner::everything(false));
    check::expect_clean("the std-style surface", &o, &format!("{want}2"), 200);
}
