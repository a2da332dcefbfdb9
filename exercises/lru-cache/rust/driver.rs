//! Hidden driver for lru-cache (Rust). Operations: new C, put K V, get K, len.

use crate::harness::{self, Budget, TooSlow, Value};
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

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<f64, TooSlow> {
        assert_eq!(workload, "lru_mix", "kata driver: unknown workload");
        // Fill a cache of `size`, then time the worst case: every put evicts, and the gets hit
        // both ends of the recency order: the least recently used key (which must move to the
        // front) and the key put just before (an order kept in a Vec has to search for it).
        let mut cache = LruCache::new(size);
        for i in 0..size as i64 {
            cache.put(i, i);
            if i % 512 == 0 {
                budget.check(i as usize)?;
            }
        }
        let mut next = size as i64;
        harness::measure(budget, 5, || {
            for key in next..next + 200 {
                cache.put(key, key);
                std::hint::black_box(cache.get(key - size as i64 + 1));
                std::hint::black_box(cache.get(key - 1));
            }
            next += 200;
            600
        })
    }
}
