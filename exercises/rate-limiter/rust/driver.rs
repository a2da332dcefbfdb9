//! Hidden driver for rate-limiter (Rust).
//! Operations: bucket C R, allow NOW [N], limiter C R, client_allow NAME NOW.
//!
//! Stage 1 (idle clients forgotten):
//!   limiter_idle C R IDLE    limiter = RateLimiter::with_idle_timeout(C, R, IDLE)
//!   idle_memory C R IDLE N   a fresh limiter gets, at t = 0, 1, ..., N-1, a request from "hot"
//!                            and one from a new client "client-t": "M allowed, memory bounded"
//!                            when the heap it holds afterwards grew by less than MEMORY_BOUND
//!                            bytes, else "..., memory grows: B bytes"
//!   probe idle_churn         the time per request while clients keep arriving and going idle
//!
//! Stage 2 (thread-safe: SharedRateLimiter, `&self`, shared between threads):
//!   shared C R, shared_idle C R IDLE, shared_allow NAME NOW
//!   race_one_client T N C, race_refill T, race_clients T, race_idle T: scenarios explored
//!   under kst (see the Python driver for what each does; the summaries are the same).

use crate::harness::{self, Value};
#[cfg(kata_stage_1)]
use crate::harness::{Budget, Measured, TooSlow};
use crate::learner::{RateLimiter, TokenBucket};

/// A limiter that forgets idle clients holds a few dozen buckets here (a few KB); one that
/// keeps every client holds a name, a bucket and a map slot per client: about 90 bytes each,
/// over 800 KB for 10,000 clients.
#[cfg(kata_stage_1)]
const MEMORY_BOUND: usize = 256 * 1024;

pub struct Driver {
    bucket: Option<TokenBucket>,
    limiter: Option<RateLimiter>,
    #[cfg(kata_stage_2)]
    shared: Option<stage2::SharedRateLimiter>,
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            bucket: None,
            limiter: None,
            #[cfg(kata_stage_2)]
            shared: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "bucket" => {
                self.bucket = None; // a failed constructor leaves no bucket behind
                self.bucket = Some(TokenBucket::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "allow" => {
                // `allow NOW` asks for one token, like Python's default argument.
                let tokens = args.get(1).map_or(1, |n| n.int() as u32);
                let bucket = harness::need(self.bucket.as_mut());
                harness::boolean(bucket.allow(args[0].float(), tokens))
            }
            "limiter" => {
                self.limiter = None;
                self.limiter = Some(RateLimiter::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "client_allow" => {
                let limiter = harness::need(self.limiter.as_mut());
                harness::boolean(limiter.allow(args[0].str(), args[1].float()))
            }
            #[cfg(kata_stage_1)]
            "limiter_idle" => {
                self.limiter = None;
                self.limiter = Some(RateLimiter::with_idle_timeout(
                    args[0].int() as u32,
                    args[1].float(),
                    args[2].float(),
                ));
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "idle_memory" => {
                let (capacity, rate, idle) =
                    (args[0].int() as u32, args[1].float(), args[2].float());
                let count = args[3].int();
                let before = harness::live_bytes();
                let mut limiter = RateLimiter::with_idle_timeout(capacity, rate, idle);
                let mut allowed = 0;
                for t in 0..count {
                    let now = t as f64;
                    allowed += usize::from(limiter.allow("hot", now));
                    allowed += usize::from(limiter.allow(&format!("client-{t}"), now));
                }
                let grown = harness::live_bytes().saturating_sub(before);
                drop(limiter);
                if grown < MEMORY_BOUND {
                    format!("{allowed} allowed, memory bounded")
                } else {
                    format!("{allowed} allowed, memory grows: {grown} bytes")
                }
            }
            #[cfg(kata_stage_2)]
            "shared" => {
                self.shared = None;
                let (capacity, rate) = (args[0].int() as u32, args[1].float());
                self.shared = Some(stage2::SharedRateLimiter::new(capacity, rate));
                harness::ok()
            }
            #[cfg(kata_stage_2)]
            "shared_idle" => {
                self.shared = None;
                let (capacity, rate, idle) =
                    (args[0].int() as u32, args[1].float(), args[2].float());
                self.shared = Some(stage2::SharedRateLimiter::with_idle_timeout(
                    capacity, rate, idle,
                ));
                harness::ok()
            }
            #[cfg(kata_stage_2)]
            "shared_allow" => {
                let limiter = harness::need(self.shared.as_mut());
                harness::boolean(limiter.allow(args[0].str(), args[1].float()))
            }
            #[cfg(kata_stage_2)]
            "race_one_client" => stage2::race_one_client(
                args[0].int() as usize,
                args[1].int() as usize,
                args[2].int() as u32,
            ),
            #[cfg(kata_stage_2)]
            "race_refill" => stage2::race_refill(args[0].int() as usize),
            #[cfg(kata_stage_2)]
            "race_clients" => stage2::race_clients(args[0].int() as usize),
            #[cfg(kata_stage_2)]
            "race_idle" => stage2::race_idle(args[0].int() as usize),
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    #[cfg(kata_stage_1)]
    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        assert_eq!(workload, "idle_churn", "kata driver: unknown workload");
        idle_churn(size, budget)
    }
}

/// A limiter forgetting clients after `size` seconds, with one new client a second: about
/// `size` clients are active at once. Every timed second brings a new client (so one from
/// `size` seconds ago goes idle) and a second request from a client of half that age. With
/// capacity 1 and no refill, the first is allowed and the second refused (that client is not
/// idle yet), which the digest records.
#[cfg(kata_stage_1)]
fn idle_churn(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let mut limiter = RateLimiter::with_idle_timeout(1, 0.0, size as f64);
    for t in 0..size {
        limiter.allow(&format!("c{t}"), t as f64);
        if t % 512 == 0 {
            budget.check(t)?;
        }
    }
    let mut next = size;
    harness::measure(budget, 5, || {
        let mut allowed = 0u64;
        for t in next..next + 200 {
            let now = t as f64;
            allowed += u64::from(limiter.allow(&format!("c{t}"), now));
            allowed += u64::from(limiter.allow(&format!("c{}", t - size / 2), now));
        }
        next += 200;
        (400, allowed)
    })
}

/// Stage 2: the scenarios, explored under kst. Each builds its own limiter and threads, joins
/// them and summarises what every schedule must agree on (the same lines as the Python
/// driver's). The driver's bookkeeping uses real std atomics: no scheduling points.
#[cfg(kata_stage_2)]
mod stage2 {
    use crate::harness;
    pub use crate::learner::SharedRateLimiter;
    use kst::model::{self, Config};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::Arc;

    /// Schedules explored per scenario (the same as the Python driver's).
    const SCHEDULES: usize = 100;

    fn explore(scenario: impl Fn() -> String + Sync) -> String {
        let config = Config {
            seed: harness::seed(),
            schedules: SCHEDULES,
            ..Config::default()
        };
        harness::explored(model::explore(&config, scenario).to_json())
    }

    type Body = Box<dyn FnOnce() + Send>;

    /// Runs each body on its own model thread and joins them all; a thread that panicked is
    /// reported after the summary: `; a thread panicked: <message>`.
    fn run_threads(bodies: Vec<Body>) -> String {
        let handles: Vec<_> = bodies.into_iter().map(kst::thread::spawn).collect();
        let mut panics = String::new();
        for handle in handles {
            if let Err(payload) = handle.join() {
                let message = if let Some(s) = payload.downcast_ref::<&str>() {
                    s.to_string()
                } else if let Some(s) = payload.downcast_ref::<String>() {
                    s.clone()
                } else {
                    "(a panic without a message)".to_string()
                };
                panics.push_str(&format!("; a thread panicked: {message}"));
            }
        }
        panics
    }

    /// A thread body asking `times` times for `client` at `now`, counting the grants.
    fn asker(
        limiter: &Arc<SharedRateLimiter>,
        client: String,
        now: f64,
        times: usize,
        granted: &Arc<AtomicUsize>,
    ) -> Body {
        let (limiter, granted) = (Arc::clone(limiter), Arc::clone(granted));
        Box::new(move || {
            for _ in 0..times {
                if limiter.allow(&client, now) {
                    granted.fetch_add(1, SeqCst);
                }
            }
        })
    }

    pub fn race_one_client(threads: usize, requests: usize, capacity: u32) -> String {
        explore(move || {
            let limiter = Arc::new(SharedRateLimiter::new(capacity, 0.0));
            let granted = Arc::new(AtomicUsize::new(0));
            let bodies = (0..threads)
                .map(|_| asker(&limiter, "alice".to_string(), 0.0, requests, &granted))
                .collect();
            let panics = run_threads(bodies);
            let then = limiter.allow("alice", 0.0);
            format!("granted={} then={then}{panics}", granted.load(SeqCst))
        })
    }

    pub fn race_refill(threads: usize) -> String {
        explore(move || {
            let limiter = Arc::new(SharedRateLimiter::new(2, 1.0));
            limiter.allow("alice", 0.0);
            limiter.allow("alice", 0.0);
            let granted = Arc::new(AtomicUsize::new(0));
            let bodies = (0..threads)
                .map(|_| asker(&limiter, "alice".to_string(), 1.0, 1, &granted))
                .collect();
            let panics = run_threads(bodies);
            let then = limiter.allow("alice", 1.0);
            format!("granted={} then={then}{panics}", granted.load(SeqCst))
        })
    }

    pub fn race_clients(threads: usize) -> String {
        explore(move || {
            let limiter = Arc::new(SharedRateLimiter::new(2, 0.0));
            let own: Vec<Arc<AtomicUsize>> = (0..threads)
                .map(|_| Arc::new(AtomicUsize::new(0)))
                .collect();
            let shared = Arc::new(AtomicUsize::new(0));
            let bodies = (0..threads)
                .map(|t| -> Body {
                    let mine = asker(&limiter, format!("own-{t}"), 0.0, 2, &own[t]);
                    let common = asker(&limiter, "shared".to_string(), 0.0, 1, &shared);
                    Box::new(move || {
                        mine();
                        common();
                    })
                })
                .collect();
            let panics = run_threads(bodies);
            let own: Vec<String> = own.iter().map(|g| g.load(SeqCst).to_string()).collect();
            format!(
                "own=[{}] shared={}{panics}",
                own.join(", "),
                shared.load(SeqCst)
            )
        })
    }

    pub fn race_idle(threads: usize) -> String {
        explore(move || {
            let limiter = Arc::new(SharedRateLimiter::with_idle_timeout(2, 0.0, 10.0));
            limiter.allow("alice", 0.0);
            limiter.allow("alice", 0.0);
            let alice = Arc::new(AtomicUsize::new(0));
            let bob = Arc::new(AtomicUsize::new(0));
            let mut bodies = vec![asker(&limiter, "bob".to_string(), 10.0, 3, &bob)];
            bodies.extend(
                (0..threads).map(|_| asker(&limiter, "alice".to_string(), 10.0, 2, &alice)),
            );
            let panics = run_threads(bodies);
            let then = limiter.allow("alice", 10.0);
            format!(
                "alice={} bob={} then={then}{panics}",
                alice.load(SeqCst),
                bob.load(SeqCst)
            )
        })
    }
}
