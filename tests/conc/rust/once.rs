//! A `Once` (exercise 7.11) whose `call_once` panics in `f` for one caller: the panic reaches
//! that caller through `catch_unwind`, guards unwind through the model (releasing locks,
//! poisoning like std), and the other caller, waiting or not, then runs its own `f`.
//! Two correct versions are clean; two classic mistakes are caught.

#[path = "support/check.rs"]
mod check;

/// State machine + condvar; a drop guard resets the state when `f` panics.
mod good {
    use kst::sync::{Condvar, Mutex};

    #[derive(PartialEq)]
    enum State {
        New,
        Running,
        Done,
    }

    pub struct Once {
        state: Mutex<State>,
        cv: Condvar,
    }

    struct Finish<'a> {
        once: &'a Once,
        ok: bool,
    }

    impl Drop for Finish<'_> {
        fn drop(&mut self) {
            let mut state = self.once.state.lock().unwrap();
            *state = if self.ok { State::Done } else { State::New };
            self.once.cv.notify_all();
        }
    }

    impl Once {
        pub fn new() -> Self {
            Once {
                state: Mutex::new(State::New),
                cv: Condvar::new(),
            }
        }

        pub fn call_once<F: FnOnce()>(&self, f: F) {
            let mut state = self.state.lock().unwrap();
            loop {
                match *state {
                    State::Done => return,
                    State::Running => state = self.cv.wait(state).unwrap(),
                    State::New => break,
                }
            }
            *state = State::Running;
            drop(state);
            let mut finish = Finish {
                once: self,
                ok: false,
            };
            f();
            finish.ok = true;
        }

        pub fn is_completed(&self) -> bool {
            *self.state.lock().unwrap() == State::Done
        }
    }
}

/// Runs `f` under the lock and shrugs off poisoning: also correct.
mod locked {
    use kst::sync::{Mutex, PoisonError};

    pub struct Once {
        done: Mutex<bool>,
    }

    impl Once {
        pub fn new() -> Self {
            Once {
                done: Mutex::new(false),
            }
        }

        pub fn call_once<F: FnOnce()>(&self, f: F) {
            let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            if !*done {
                f();
                *done = true;
            }
        }

        pub fn is_completed(&self) -> bool {
            *self.done.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }
}

/// Bug: no reset when `f` panics, so a waiter waits for ever.
mod no_reset {
    use kst::sync::{Condvar, Mutex};

    #[derive(PartialEq)]
    enum State {
        New,
        Running,
        Done,
    }

    pub struct Once {
        state: Mutex<State>,
        cv: Condvar,
    }

    impl Once {
        pub fn new() -> Self {
            Once {
                state: Mutex::new(State::New),
                cv: Condvar::new(),
            }
        }

        pub fn call_once<F: FnOnce()>(&self, f: F) {
            let mut state = self.state.lock().unwrap();
            while *state == State::Running {
                state = self.cv.wait(state).unwrap(); // @NO-RESET-WAIT
            }
            if *state == State::Done {
                return;
            }
            *state = State::Running;
            drop(state);
            f();
            *self.state.lock().unwrap() = State::Done;
            self.cv.notify_all();
        }

        pub fn is_completed(&self) -> bool {
            *self.state.lock().unwrap() == State::Done
        }
    }
}

/// Bug: `lock().unwrap()` after a panic under the lock poisoned it.
mod unwrap {
    use kst::sync::Mutex;

    pub struct Once {
        done: Mutex<bool>,
    }

    impl Once {
        pub fn new() -> Self {
            Once {
                done: Mutex::new(false),
            }
        }

        pub fn call_once<F: FnOnce()>(&self, f: F) {
            let mut done = self.done.lock().unwrap();
            if !*done {
                f();
                *done = true;
            }
        }

        pub fn is_completed(&self) -> bool {
            self.done.lock().map(|d| *d).unwrap_or(false)
        }
    }
}

trait OnceLike: Send + Sync + 'static {
    fn make() -> Self;
    fn call(&self, f: &mut dyn FnMut());
    fn completed(&self) -> bool;
}

macro_rules! once_like {
    ($m:ident) => {
        impl OnceLike for $m::Once {
            fn make() -> Self {
                $m::Once::new()
            }
            fn call(&self, f: &mut dyn FnMut()) {
                self.call_once(|| f())
            }
            fn completed(&self) -> bool {
                self.is_completed()
            }
        }
    };
}
once_like!(good);
once_like!(locked);
once_like!(no_reset);
once_like!(unwrap);

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};

use kst::panic::{catch_unwind, AssertUnwindSafe};
use kst::sync::Arc;

/// T1's `f` panics, T2's `f` counts a run. Whatever the order, a correct `Once` ends
/// completed with exactly one successful run, and T1 sees its panic iff its `f` ran.
fn scenario<O: OnceLike>() -> String {
    let once = Arc::new(O::make());
    let runs = Arc::new(AtomicUsize::new(0));
    let t1_ran = Arc::new(AtomicBool::new(false));
    let t1 = {
        let (once, ran) = (Arc::clone(&once), Arc::clone(&t1_ran));
        kst::thread::spawn(move || {
            let r = catch_unwind(AssertUnwindSafe(|| {
                once.call(&mut || {
                    ran.store(true, SeqCst);
                    panic!("init failed");
                })
            }));
            match r {
                Ok(()) => "returned".to_string(),
                Err(p) => p
                    .downcast_ref::<&str>()
                    .map_or("other payload".to_string(), |s| s.to_string()),
            }
        })
    };
    let t2 = {
        let (once, runs) = (Arc::clone(&once), Arc::clone(&runs));
        kst::thread::spawn(move || {
            once.call(&mut || {
                runs.fetch_add(1, SeqCst);
            })
        })
    };
    let t1 = t1.join().unwrap();
    if let Err(p) = t2.join() {
        std::panic::resume_unwind(p);
    }
    let want_t1 = if t1_ran.load(SeqCst) {
        "init failed"
    } else {
        "returned"
    };
    format!(
        "completed={} runs={} t1_consistent={}",
        once.completed(),
        runs.load(SeqCst),
        t1 == want_t1
    )
}

/// A thread that panics holding a guard: `join` gives the payload, the mutex is poisoned.
fn poison_scenario() -> String {
    let m = Arc::new(kst::sync::Mutex::new(5));
    let t = {
        let m = Arc::clone(&m);
        kst::thread::spawn(move || {
            let _guard = m.lock().unwrap();
            panic!("boom");
        })
    };
    let joined = match t.join() {
        Ok(()) => "Ok".to_string(),
        Err(p) => format!("Err({})", p.downcast_ref::<&str>().unwrap_or(&"?")),
    };
    let locked = match m.lock() {
        Ok(g) => format!("Ok({})", *g),
        Err(p) => format!("Err(poisoned, {})", *p.into_inner()),
    };
    let m = Arc::try_unwrap(m).unwrap_or_else(|_| panic!("still shared"));
    format!(
        "join {joined}; lock {locked}; into_inner {:?}",
        m.into_inner().map_err(|e| *e.get_ref())
    )
}

fn main() {
    check::install_hook();
    let want = "completed=true runs=1 t1_consistent=true";
    let o = check::explore_twice("once", &check::cfg(11), scenario::<good::Once>);
    check::expect_clean("Once with a reset guard", &o, want, 200);
    let o = check::explore_twice("once locked", &check::cfg(11), scenario::<locked::Once>);
    check::expect_clean("Once holding a poison-tolerant lock", &o, want, 200);

    let o = check::explore_twice("once no reset", &check::cfg(11), scenario::<no_reset::Once>);
    let x = check::expect_caught("Once without a reset on panic", &o, |t| {
        t.starts_with("deadlock")
    });
    let line = check::line_of(include_str!("once.rs"), "// @NO-RESET-WAIT");
    check::check(
        x.text == format!("deadlock: T2 waits for Condvar#1 at once.rs:{line}"),
        &format!("no reset: {:?}", x.text),
    );
    let o = check::explore_twice("once unwrap", &check::cfg(11), scenario::<unwrap::Once>);
    check::expect_caught("Once that unwraps a poisoned lock", &o, |t| {
        t.contains("PoisonError")
    });

    let o = check::explore_twice("poison", &check::cfg(11), poison_scenario);
    check::expect_clean(
        "panic with a guard held",
        &o,
        "join Err(boom); lock Err(poisoned, 5); into_inner Err(5)",
        200,
    );
}
