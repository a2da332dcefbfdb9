//! Hidden driver for lru-cache (Rust). Operations: new C, put K V, get K, len.

use crate::harness::{self, Budget, Measured, TooSlow, Value};
use crate::learner::LruCache;

pub struct Driver {
    cache: Option<LruCache>,
}

impl Driver {
    fn cache(&mut self) -> &mut LruCache {
        harness::need(self.cache.as_mut())
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver { cache: None }
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
