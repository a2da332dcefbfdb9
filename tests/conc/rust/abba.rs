//! ABBA deadlock: two transfers lock two accounts in opposite orders. The outcome names both
//! threads, both mutexes and the `file:line` where each thread waits; ordered locking is clean.

#[path = "support/check.rs"]
mod check;

mod learner {
    use kst::sync::Mutex;

    pub struct Bank {
        pub a: Mutex<i64>,
        pub b: Mutex<i64>,
    }

    impl Bank {
        pub fn new() -> Bank {
            Bank {
                a: Mutex::new(100),
                b: Mutex::new(100),
            }
        }

        pub fn a_to_b(&self, n: i64) {
            let mut a = self.a.lock().unwrap(); // @A1
            let mut b = self.b.lock().unwrap(); // @B1
            *a -= n;
            *b += n;
        }

        pub fn b_to_a(&self, n: i64) {
            let mut b = self.b.lock().unwrap(); // @B2
            let mut a = self.a.lock().unwrap(); // @A2
            *b -= n;
            *a += n;
        }

        /// The fix: every transfer locks `a` first.
        pub fn b_to_a_ordered(&self, n: i64) {
            let mut a = self.a.lock().unwrap();
            let mut b = self.b.lock().unwrap();
            *b -= n;
            *a += n;
        }

        pub fn total(&self) -> i64 {
            *self.a.lock().unwrap() + *self.b.lock().unwrap()
        }
    }
}

use kst::sync::Arc;
use learner::Bank;

fn scenario(ordered: bool) -> String {
    let bank = Arc::new(Bank::new());
    let t1 = {
        let bank = Arc::clone(&bank);
        kst::thread::spawn(move || bank.a_to_b(10))
    };
    let t2 = {
        let bank = Arc::clone(&bank);
        kst::thread::spawn(move || {
            if ordered {
                bank.b_to_a_ordered(5)
            } else {
                bank.b_to_a(5)
            }
        })
    };
    t1.join().unwrap();
    t2.join().unwrap();
    format!("total {}", bank.total())
}

fn main() {
    check::install_hook();
    let src = include_str!("abba.rs");
    let at = |m: &str| format!("abba.rs:{}", check::line_of(src, m));
    let o = check::explore_twice("abba", &check::cfg(7), || scenario(false));
    let x = check::expect_caught("abba deadlock", &o, |t| t.starts_with("deadlock"));
    // Objects are numbered by first use in the schedule, so either account may be Mutex#1.
    let want = [
        format!("deadlock: T1 waits for Mutex#2 (held by T2) at {}; T2 waits for Mutex#1 (held by T1) at {}", at("// @B1"), at("// @A2")),
        format!("deadlock: T1 waits for Mutex#1 (held by T2) at {}; T2 waits for Mutex#2 (held by T1) at {}", at("// @B1"), at("// @A2")),
    ];
    check::check(
        want.contains(&x.text),
        &format!("abba: unexpected text {:?}, want one of {want:?}", x.text),
    );
    let blocked: Vec<&kst::model::Event> = x.trace.iter().filter(|e| e.ev == "blocked").collect();
    check::check(
        blocked
            .iter()
            .any(|e| e.thread == "T1" && e.at.as_deref() == Some(&at("// @B1")[..]))
            && blocked
                .iter()
                .any(|e| e.thread == "T2" && e.at.as_deref() == Some(&at("// @A2")[..])),
        "abba: the trace shows both threads blocking where they wait",
    );
    check::check(
        o.outcomes[0].text == "total 200",
        "abba: schedule 0 completes",
    );
    let o = check::explore_twice("abba fixed", &check::cfg(7), || scenario(true));
    check::expect_clean("ordered locking", &o, "total 200", 200);
}
