//! Hidden driver for lfu-cache (Rust). Operations: new C, put K V, get K, len.

use crate::harness::{self, Budget, Measured, TooSlow, Value};
use crate::learner::LfuCache;

/// put + get pairs per timed batch of lfu_mix.
const MIX_BATCH: i64 = 256;
/// Puts per timed batch of lfu_evict.
const EVICT_BATCH: i64 = 1000;

pub struct Driver {
    cache: Option<LfuCache>,
}

impl Driver {
    fn cache(&mut self) -> &mut LfuCache {
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
                self.cache = Some(LfuCache::new(args[0].int() as usize));
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
            "lfu_mix" => lfu_mix(size, budget),
            "lfu_evict" => lfu_evict(size, budget),
            other => panic!("kata driver: unknown workload {other}"),
        }
    }
}

/// A cache of `size`, filled, with its first half read once (so counts 1 and 2 each hold half
/// the keys).
fn filled(size: usize, budget: &Budget) -> Result<LfuCache, TooSlow> {
    let n = size as i64;
    let mut cache = LfuCache::new(size);
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
    Ok(cache)
}

/// Fill a cache of `size` and spread the counts, then time the worst case: every put is a new
/// key that evicts (the victim is the least recently used of the size/2 keys with count 1), and
/// every get hits a key of the hot half, the least recently used of its count, moving it up one
/// count (so the counts keep spreading).
fn lfu_mix(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let n = size as i64;
    let hot = n / 2;
    let mut cache = filled(size, budget)?;
    let mut step = 0i64;
    harness::measure(budget, 9, || {
        let mut check = 0u64;
        for j in step..step + MIX_BATCH {
            cache.put(n + j, j);
            check = check.wrapping_add(cache.get(j % hot).unwrap_or(-1) as u64);
        }
        step += MIX_BATCH;
        (2 * MIX_BATCH as usize, check)
    })
}

/// Eviction-heavy (the same shape as the Python driver's): the filled cache, then puts of new
/// keys into it: every put evicts the least recently used key of count 1.
fn lfu_evict(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let mut cache = filled(size, budget)?;
    let mut next = size as i64;
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
