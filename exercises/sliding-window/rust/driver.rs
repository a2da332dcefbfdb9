//! Hidden driver for sliding-window (Rust). The same operations as the Python driver:
//!   log L W              SlidingWindowLog::new(L, W)
//!   log_allow NOW        log.allow(NOW)
//!   log_burst NOW N      N calls of log.allow(NOW): how many returned true
//!   counter L W          SlidingWindowCounter::new(L, W)
//!   counter_allow NOW    counter.allow(NOW)
//!   counter_burst NOW N  N calls of counter.allow(NOW): how many returned true
//!   log_memory L W N     a fresh SlidingWindowLog::new(L, W) gets allow(t) for t = 0, 1, ..,
//!                        N-1: "N allowed, memory bounded" when the heap it holds afterwards
//!                        grew by less than MEMORY_BOUND bytes, else "..., memory grows: B bytes"
//! Follow-up 1 (per-client limits; every use of PerClientLimiter is behind `kata_stage_1`):
//!   per_client L W       PerClientLimiter::new(L, W)
//!   client_allow C NOW   limiter.allow(C, NOW)
//!   client_burst C NOW N N calls of limiter.allow(C, NOW): how many returned true
//!   active NOW           limiter.active(NOW)
//!   clients_memory L W N K
//!                        a fresh PerClientLimiter::new(L, W) gets allow("client-<t % K>", t)
//!                        for t = 0, 1, .., N-1: "A allowed, memory bounded" as for log_memory,
//!                        but with CLIENTS_MEMORY_BOUND

use crate::harness::{self, Budget, Measured, TooSlow, Value};
#[cfg(kata_stage_1)]
use crate::learner::PerClientLimiter;
use crate::learner::{SlidingWindowCounter, SlidingWindowLog};

pub struct Driver {
    log: Option<SlidingWindowLog>,
    counter: Option<SlidingWindowCounter>,
    #[cfg(kata_stage_1)]
    limiter: Option<PerClientLimiter>,
}

/// A log with a small limit holds a few hundred bytes; one that keeps every time holds 8 bytes
/// per allowed request (a Vec or VecDeque of 200,000 f64 reserves 2 MiB).
const MEMORY_BOUND: usize = 1 << 20;

/// Follow-up 1: a PerClientLimiter with a window of 10 s holds a few kilobytes; one that keeps
/// every client, or every allowed time, holds tens of bytes per request (a VecDeque of 20,000
/// f64 for each of 3 clients reserves 768 KiB).
#[cfg(kata_stage_1)]
const CLIENTS_MEMORY_BOUND: usize = 1 << 18;

fn burst(n: i64, mut allow: impl FnMut() -> bool) -> String {
    harness::int((0..n).filter(|_| allow()).count() as i64)
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            log: None,
            counter: None,
            #[cfg(kata_stage_1)]
            limiter: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "log" => {
                self.log = None; // a failed constructor leaves no limiter behind
                self.log = Some(SlidingWindowLog::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "log_allow" => {
                harness::boolean(harness::need(self.log.as_mut()).allow(args[0].float()))
            }
            "log_burst" => {
                let log = harness::need(self.log.as_mut());
                let now = args[0].float();
                burst(args[1].int(), || log.allow(now))
            }
            "log_memory" => {
                let (limit, window, count) = (args[0].int() as u32, args[1].float(), args[2].int());
                let before = harness::live_bytes();
                let mut log = SlidingWindowLog::new(limit, window);
                let allowed = (0..count).filter(|&t| log.allow(t as f64)).count();
                let grown = harness::live_bytes().saturating_sub(before);
                drop(log);
                if grown < MEMORY_BOUND {
                    format!("{allowed} allowed, memory bounded")
                } else {
                    format!("{allowed} allowed, memory grows: {grown} bytes")
                }
            }
            "counter" => {
                self.counter = None;
                self.counter = Some(SlidingWindowCounter::new(
                    args[0].int() as u32,
                    args[1].float(),
                ));
                harness::ok()
            }
            "counter_allow" => {
                harness::boolean(harness::need(self.counter.as_mut()).allow(args[0].float()))
            }
            "counter_burst" => {
                let counter = harness::need(self.counter.as_mut());
                let now = args[0].float();
                burst(args[1].int(), || counter.allow(now))
            }
            #[cfg(kata_stage_1)]
            "per_client" => {
                self.limiter = None; // a failed constructor leaves no limiter behind
                self.limiter = Some(PerClientLimiter::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "client_allow" => harness::boolean(
                harness::need(self.limiter.as_mut()).allow(args[0].str(), args[1].float()),
            ),
            #[cfg(kata_stage_1)]
            "client_burst" => {
                let limiter = harness::need(self.limiter.as_mut());
                let (client, now) = (args[0].str(), args[1].float());
                burst(args[2].int(), || limiter.allow(client, now))
            }
            #[cfg(kata_stage_1)]
            "active" => {
                harness::int(harness::need(self.limiter.as_mut()).active(args[0].float()) as i64)
            }
            #[cfg(kata_stage_1)]
            "clients_memory" => {
                let (limit, window) = (args[0].int() as u32, args[1].float());
                let (count, clients) = (args[2].int(), args[3].int());
                let before = harness::live_bytes();
                let mut limiter = PerClientLimiter::new(limit, window);
                let allowed = (0..count)
                    .filter(|&t| limiter.allow(&format!("client-{}", t % clients), t as f64))
                    .count();
                let grown = harness::live_bytes().saturating_sub(before);
                drop(limiter);
                if grown < CLIENTS_MEMORY_BOUND {
                    format!("{allowed} allowed, memory bounded")
                } else {
                    format!("{allowed} allowed, memory grows: {grown} bytes")
                }
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        #[cfg(kata_stage_1)]
        if workload == "clients_steady" {
            return clients_steady(size, budget);
        }
        assert_eq!(workload, "log_steady", "kata driver: unknown workload");
        // A log with limit = `size` and window = `size` seconds, filled with one allowed
        // request per second; then the steady state, timed: every request arrives exactly when
        // the oldest time leaves the window, so each call drops one time from the front and
        // pushes one at the back (the worst case of an allowed request; a refused one drops
        // nothing).
        let mut log = SlidingWindowLog::new(size as u32, size as f64);
        for i in 0..size {
            std::hint::black_box(log.allow(i as f64));
            if i % 512 == 0 {
                budget.check(i)?;
            }
        }
        let mut next = size;
        harness::measure(budget, 5, || {
            let mut allowed = 0u64;
            for now in next..next + 1000 {
                allowed += u64::from(log.allow(now as f64));
                if now % 64 == 0 && budget.check(now).is_err() {
                    // A very slow allow is abandoned within the budget: measure sees the
                    // deadline has passed and reports the probe as too slow.
                    return (1, allowed);
                }
            }
            // One more request at the same time: the log is full, so it is refused (and costs
            // nothing to drop).
            allowed += u64::from(log.allow((next + 999) as f64));
            next += 1000;
            (1001, allowed)
        })
    }
}

/// Follow-up 1. A PerClientLimiter (limit 2, window `size` seconds) with `size` active clients,
/// one allowed request each, one a second; then the steady state, timed: each second a new
/// client arrives (allowed: and the client whose only request is now exactly a window old must
/// be forgotten), sends a second request (allowed) and a third (refused), and active() is read.
/// The check folds the allowed requests and every active count.
#[cfg(kata_stage_1)]
fn clients_steady(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let mut limiter = PerClientLimiter::new(2, size as f64);
    for i in 0..size {
        std::hint::black_box(limiter.allow(&format!("c{i}"), i as f64));
        if i % 512 == 0 {
            budget.check(i)?;
        }
    }
    let mut next = size;
    harness::measure(budget, 5, || {
        let mut check = 0u64;
        for t in next..next + 250 {
            let (client, now) = (format!("c{t}"), t as f64);
            check += u64::from(limiter.allow(&client, now));
            check += u64::from(limiter.allow(&client, now));
            check += u64::from(limiter.allow(&client, now));
            check += limiter.active(now) as u64;
            if t % 16 == 0 && budget.check(t).is_err() {
                // A very slow limiter is abandoned within the budget: measure sees the
                // deadline has passed and reports the probe as too slow.
                return (1, check);
            }
        }
        next += 250;
        (1000, check)
    })
}
