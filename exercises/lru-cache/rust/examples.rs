//! Visible examples for lru-cache. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use lru_cache::LruCache;

#[test]
fn test_basic_put_get() {
    let mut cache = LruCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(2), Some(2));
    assert_eq!(cache.get(3), None);
    assert_eq!(cache.len(), 2);
}

#[test]
fn test_eviction_order() {
    let mut cache = LruCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    cache.put(3, 3); // evicts key 1, the least recently used
    assert_eq!(cache.get(1), None);
    assert_eq!(cache.get(2), Some(2));
    assert_eq!(cache.get(3), Some(3));
    assert_eq!(cache.len(), 2);
}

#[test]
fn test_recency_on_get() {
    let mut cache = LruCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(1), Some(1)); // key 1 is now the most recently used
    cache.put(3, 3); // so key 2 is evicted
    assert_eq!(cache.get(2), None);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(3), Some(3));
}
