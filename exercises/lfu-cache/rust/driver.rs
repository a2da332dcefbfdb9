//! Hidden driver for lfu-cache (Rust). Operations: new C, put K V, get K, len.
//! Follow-up 1 (decaying counts), behind `#[cfg(kata_stage_1)]` so a solution without that
//! API still compiles for the base cases: new_decay C K (`LfuCache::with_decay(C, K)`), count
//! KEY (`count(KEY)`, None shown as -1), and the probe workload lfu_decay.

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
            #[cfg(kata_stage_1)]
            "new_decay" => {
                self.cache = None;
                self.cache = Some(LfuCache::with_decay(
                    args[0].int() as usize,
                    args[1].int() as u64,
                ));
                harness::ok()
            }
            #[cfg(kata_stage_1)]
            "count" => match self.cache().count(args[0].int()) {
                Some(count) => harness::int(count),
                None => harness::int(-1),
            },
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        match workload {
            "lfu_mix" => lfu_mix(size, budget),
            "lfu_evict" => lfu_evict(size, budget),
            #[cfg(kata_stage_1)]
            "lfu_decay" => lfu_decay(size, budget),
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

/// Operations per timed batch of lfu_decay, at least (whole periods).
#[cfg(kata_stage_1)]
const DECAY_BATCH: i64 = 30_000;

/// A full cache of `size` that decays every `size` operations (decay_every = capacity), timed
/// over whole decay periods (the same shape as the Python driver's): a batch is put a new key
/// (which evicts), then get a recent key, for as many whole periods as make DECAY_BATCH
/// operations (one at the largest size), so every batch holds whole decays, each halving
/// `size` counts. Batches are equally long at every size, so a busy machine slows them alike.
#[cfg(kata_stage_1)]
fn lfu_decay(size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
    let n = size as i64;
    let period = n - n % 2; // even: a period is period / 2 put + get pairs
    let pairs = (DECAY_BATCH / period).max(1) * period / 2;
    let mut cache = LfuCache::with_decay(size, period as u64);
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
    // Any `period` operations in a row hold exactly one decay, wherever the batches start.
    let mut next = n;
    harness::measure(budget, 3, || {
        let start = next;
        let mut check = 0i64;
        for key in start..start + pairs {
            cache.put(key, key);
            check += cache.get(key - (key % 5) * 3).unwrap_or(-1);
        }
        next += pairs;
        check += cache.count(start).map_or(-1, |c| c as i64) + cache.len() as i64;
        (2 * pairs as usize + 2, check as u64)
    })
}
