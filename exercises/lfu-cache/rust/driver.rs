//! Hidden driver for lfu-cache (Rust). Operations: new C, put K V, get K, len.

use crate::harness::{self, Budget, TooSlow, Value};
use crate::learner::LfuCache;
use std::time::{Duration, Instant};

/// A timed batch stops early after this long (see `probe`).
const BATCH: Duration = Duration::from_millis(25);

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

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<f64, TooSlow> {
        assert_eq!(workload, "lfu_mix", "kata driver: unknown workload");
        // Fill a cache of `size` and spread the counts (the first half of the keys is read
        // once, so counts 1 and 2 each hold half the keys), then time the worst case: every put
        // is a new key that evicts (the victim is the least recently used of the size/2 keys
        // with count 1), and every get hits a key of the hot half, the least recently used of
        // its count, moving it up one count (so the counts keep spreading).
        let n = size as i64;
        let mut cache = LfuCache::new(size);
        for i in 0..n {
            cache.put(i, i);
            if i % 512 == 0 {
                budget.check(i as usize)?;
            }
        }
        let hot = n / 2;
        for i in 0..hot {
            std::hint::black_box(cache.get(i));
            if i % 512 == 0 {
                budget.check((n + i) as usize)?;
            }
        }
        // A batch stops early once it has run for BATCH: a cache that scans every key on each
        // eviction is then still measured (its time per operation), within the budget.
        let mut step = 0i64;
        harness::measure(budget, 9, || {
            let stop_at = Instant::now() + BATCH;
            let start = step;
            while step < start + 256 {
                cache.put(n + step, step);
                std::hint::black_box(cache.get(step % hot));
                step += 1;
                if Instant::now() > stop_at {
                    break;
                }
            }
            2 * (step - start) as usize
        })
    }
}
