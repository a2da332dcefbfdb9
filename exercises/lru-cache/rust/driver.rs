//! Hidden driver for lru-cache (Rust). Operations: new C, put K V, get K, len.
//!
//! Stage 1 (thread-safe: SharedLruCache, `&self` methods, shared between threads):
//!   shared C, shared_put K V, shared_get K, shared_len, get_or_put K V
//!   race_puts T N C, race_get_put R W C, race_hits R W, race_get_or_put T: scenarios explored
//!   under kst (see the Python driver for what each does; the summaries are the same).
//! Stage 2 (per-entry TTL on LruCache):
//!   put_ttl K V TTL NOW     put_with_ttl(K, V, TTL, NOW)
//!   get_at K NOW            get_at(K, NOW)

use crate::harness::{self, Budget, Measured, TooSlow, Value};
use crate::learner::LruCache;

pub struct Driver {
    cache: Option<LruCache>,
    #[cfg(kata_stage_1)]
    shared: Option<stage1::SharedLruCache>,
}

impl Driver {
    fn cache(&mut self) -> &mut LruCache {
        harness::need(self.cache.as_mut())
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            cache: None,
            #[cfg(kata_stage_1)]
            shared: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "new" => {
                self.cache = Some(LruCache::new(args[0].int() as usize));
                harness::ok()
            }
            "put" => {
                self.cache().put(args[0].int(), args[1].int());
                harness::ok()
            }
            "get" => harness::int(self.cache().get(args[0].int()).unwrap_or(-1)),
            "len" => harness::int(self.cache().len() as i64),
            #[cfg(kata_stage_1)]
            "shared" => {
                self.shared = None;
                self.shared = Some(stage1::SharedLruCache::new(args[0].int() as usize));
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "shared_put" => {
                harness::need(self.shared.as_mut()).put(args[0].int(), args[1].int());
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "shared_get" => harness::int(
                harness::need(self.shared.as_mut())
                    .get(args[0].int())
                    .unwrap_or(-1),
            ),
            #[cfg(kata_stage_1)]
            "shared_len" => harness::int(harness::need(self.shared.as_mut()).len() as i64),
            #[cfg(kata_stage_1)]
            "get_or_put" => harness::int(
                harness::need(self.shared.as_mut()).get_or_put(args[0].int(), args[1].int()),
            ),
            #[cfg(kata_stage_1)]
            "race_puts" => stage1::race_puts(
                args[0].int() as usize,
                args[1].int() as i64,
                args[2].int() as usize,
            ),
            #[cfg(kata_stage_1)]
            "race_get_put" => stage1::race_get_put(
                args[0].int() as usize,
                args[1].int() as usize,
                args[2].int() as usize,
            ),
            #[cfg(kata_stage_1)]
            "race_hits" => stage1::race_hits(args[0].int() as usize, args[1].int() as usize),
            #[cfg(kata_stage_1)]
            "race_get_or_put" => stage1::race_get_or_put(args[0].int() as usize),
            #[cfg(kata_stage_2)]
            "put_ttl" => {
                let (key, value) = (args[0].int(), args[1].int());
                self.cache()
                    .put_with_ttl(key, value, args[2].float(), args[3].float());
                harness::ok()
            }
            #[cfg(kata_stage_2)]
            "get_at" => {
                let (key, now) = (args[0].int(), args[1].float());
                harness::int(self.cache().get_at(key, now).unwrap_or(-1))
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        match workload {
            "lru_mix" => lru_mix(size, budget),
            "lru_evict" => lru_evict(size, budget),
            other => panic!("kata driver: unknown workload {other}"),
        }
    }
}

/// Fill a cache of `size`, then time the worst case: every put evicts, and the gets hit both
/// ends of the recency order: the least recently used key (which must move to the front) and
/// the key put just before (an order kept in a Vec has to search for it).
fn lru_mix(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let mut cache = LruCache::new(size);
    for i in 0..size as i64 {
        cache.put(i, i);
        if i % 512 == 0 {
            budget.check(i as usize)?;
        }
    }
    let mut next = size as i64;
    harness::measure(budget, 5, || {
        let mut check = 0u64;
        for key in next..next + 200 {
            cache.put(key, key);
            check = check.wrapping_add(cache.get(key - size as i64 + 1).unwrap_or(-1) as u64);
            check = check.wrapping_add(cache.get(key - 1).unwrap_or(-1) as u64);
        }
        next += 200;
        (600, check)
    })
}

/// Puts per timed batch of lru_evict.
const EVICT_BATCH: i64 = 1000;

/// Eviction-heavy (the same shape as the Python driver's): fill a cache of `size` and read its
/// older half once, in age order, then time puts of new keys into the full cache: every put
/// evicts.
fn lru_evict(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let n = size as i64;
    let mut cache = LruCache::new(size);
    for i in 0..n {
        cache.put(i, i);
        if i % 512 == 0 {
            budget.check(i as usize)?;
        }
    }
    for i in 0..n / 2 {
        std::hint::black_box(cache.get(i));
        if i % 512 == 0 {
            budget.check((n + i) as usize)?;
        }
    }
    let mut next = n;
    harness::measure(budget, 5, || {
        let start = next;
        for key in start..start + EVICT_BATCH {
            cache.put(key, key);
        }
        next += EVICT_BATCH;
        // Fold in what the cache holds now: the first and last keys of this batch, its length.
        let check = cache.get(start).unwrap_or(-1)
            + cache.get(start + EVICT_BATCH - 1).unwrap_or(-1)
            + cache.len() as i64;
        (EVICT_BATCH as usize + 3, check as u64)
    })
}

/// Stage 1: the scenarios, explored under kst. Each builds its own cache and threads, joins
/// them and summarises what every schedule must agree on (the same lines as the Python
/// driver's). The driver's bookkeeping uses real std atomics and locks: no scheduling points.
#[cfg(kata_stage_1)]
mod stage1 {
    use crate::harness;
    pub use crate::learner::SharedLruCache;
    use kst::model::{self, Config};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};

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
    fn spawn_all(bodies: Vec<Body>) -> String {
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

    /// Fills the cache with `capacity` fresh keys: then it must hold exactly those.
    fn audit(cache: &SharedLruCache, capacity: usize, old_keys: &[i64]) -> String {
        let fresh: Vec<i64> = (0..capacity as i64).map(|i| 1_000_000 + i).collect();
        for &key in &fresh {
            cache.put(key, key + 1);
        }
        let size = cache.len();
        let missing = fresh
            .iter()
            .filter(|&&key| cache.get(key) != Some(key + 1))
            .count();
        let stale = old_keys
            .iter()
            .filter(|&&key| cache.get(key).is_some())
            .count();
        if size == capacity && missing == 0 && stale == 0 {
            "audit=ok".to_string()
        } else {
            format!(
                "audit failed: len={size} after {capacity} fresh puts, {missing} fresh keys missing, {stale} old keys left"
            )
        }
    }

    pub fn race_puts(threads: usize, keys: i64, capacity: usize) -> String {
        explore(move || {
            let cache = Arc::new(SharedLruCache::new(capacity));
            let over = Arc::new(AtomicUsize::new(0));
            let bodies = (0..threads as i64)
                .map(|t| -> Body {
                    let (cache, over) = (Arc::clone(&cache), Arc::clone(&over));
                    Box::new(move || {
                        for i in 0..keys {
                            let key = 100 * (t + 1) + i;
                            cache.put(key, key * 10);
                            over.fetch_max(cache.len(), SeqCst);
                        }
                    })
                })
                .collect();
            let panics = spawn_all(bodies);
            let every: Vec<i64> = (0..threads as i64)
                .flat_map(|t| (0..keys).map(move |i| 100 * (t + 1) + i))
                .collect();
            let size = cache.len();
            let values: Vec<Option<i64>> = every.iter().map(|&key| cache.get(key)).collect();
            let present = values.iter().filter(|v| v.is_some()).count();
            let wrong = every
                .iter()
                .zip(&values)
                .filter(|(&key, v)| matches!(v, Some(v) if *v != key * 10))
                .count();
            let seen = over.load(SeqCst);
            let max_seen = if seen > capacity {
                seen.to_string()
            } else {
                "ok".to_string()
            };
            format!(
                "len={size} present={present} wrong={wrong} max_len_seen={max_seen} {}{}",
                audit(&cache, capacity, &every),
                panics
            )
        })
    }

    fn writer(cache: &Arc<SharedLruCache>, w: i64) -> Body {
        let cache = Arc::clone(cache);
        Box::new(move || {
            for i in 0..2 {
                let key = 200 + 10 * w + i;
                cache.put(key, 1000 + key);
            }
        })
    }

    pub fn race_get_put(readers: usize, writers: usize, capacity: usize) -> String {
        explore(move || {
            let cache = Arc::new(SharedLruCache::new(capacity));
            for key in 0..capacity as i64 {
                cache.put(key, 1000 + key);
            }
            let wrong = Arc::new(AtomicUsize::new(0));
            let mut bodies: Vec<Body> = (0..readers as i64)
                .map(|r| -> Body {
                    let (cache, wrong) = (Arc::clone(&cache), Arc::clone(&wrong));
                    Box::new(move || {
                        for j in 0..capacity as i64 {
                            let key = (r + j) % capacity as i64;
                            if matches!(cache.get(key), Some(v) if v != 1000 + key) {
                                wrong.fetch_add(1, SeqCst);
                            }
                        }
                    })
                })
                .collect();
            bodies.extend((0..writers as i64).map(|w| writer(&cache, w)));
            let panics = spawn_all(bodies);
            let mut every: Vec<i64> = (0..capacity as i64).collect();
            every.extend((0..writers as i64).flat_map(|w| (0..2).map(move |i| 200 + 10 * w + i)));
            let size = cache.len();
            let values: Vec<Option<i64>> = every.iter().map(|&key| cache.get(key)).collect();
            let present = values.iter().filter(|v| v.is_some()).count();
            let wrong = wrong.load(SeqCst)
                + every
                    .iter()
                    .zip(&values)
                    .filter(|(&key, v)| matches!(v, Some(v) if *v != 1000 + key))
                    .count();
            format!(
                "wrong={wrong} len={size} present={present} {}{}",
                audit(&cache, capacity, &every),
                panics
            )
        })
    }

    pub fn race_hits(readers: usize, writers: usize) -> String {
        explore(move || {
            let capacity = 8;
            let cache = Arc::new(SharedLruCache::new(capacity));
            for key in 0..4 {
                cache.put(key, 1000 + key);
            }
            let misses = Arc::new(AtomicUsize::new(0));
            let wrong = Arc::new(AtomicUsize::new(0));
            let mut bodies: Vec<Body> = (0..readers as i64)
                .map(|r| -> Body {
                    let (cache, misses, wrong) =
                        (Arc::clone(&cache), Arc::clone(&misses), Arc::clone(&wrong));
                    Box::new(move || {
                        for j in 0..4 {
                            let key = (r + j) % 4;
                            match cache.get(key) {
                                None => misses.fetch_add(1, SeqCst),
                                Some(v) if v != 1000 + key => wrong.fetch_add(1, SeqCst),
                                Some(_) => 0,
                            };
                        }
                    })
                })
                .collect();
            bodies.extend((0..writers as i64).map(|w| writer(&cache, w)));
            let panics = spawn_all(bodies);
            let mut every: Vec<i64> = (0..4).collect();
            every.extend((0..writers as i64).flat_map(|w| (0..2).map(move |i| 200 + 10 * w + i)));
            format!(
                "misses={} wrong={} len={} {}{}",
                misses.load(SeqCst),
                wrong.load(SeqCst),
                cache.len(),
                audit(&cache, capacity, &every),
                panics
            )
        })
    }

    pub fn race_get_or_put(threads: usize) -> String {
        explore(move || {
            let cache = Arc::new(SharedLruCache::new(4));
            let got = Arc::new(Mutex::new(Vec::new()));
            let bodies = (0..threads as i64)
                .map(|t| -> Body {
                    let (cache, got) = (Arc::clone(&cache), Arc::clone(&got));
                    Box::new(move || {
                        let value = cache.get_or_put(7, 100 + t);
                        got.lock().unwrap().push((t, value));
                    })
                })
                .collect();
            let panics = spawn_all(bodies);
            let got = got.lock().unwrap();
            let mut distinct: Vec<i64> = got.iter().map(|&(_, v)| v).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let own = got.iter().filter(|&&(t, v)| v == 100 + t).count();
            let stored = cache.get(7);
            let matches = distinct.len() == 1 && stored == Some(distinct[0]);
            format!(
                "answers={} distinct={} own_value_returned={own} stored_matches={matches} len={}{}",
                got.len(),
                distinct.len(),
                cache.len(),
                panics
            )
        })
    }
}
