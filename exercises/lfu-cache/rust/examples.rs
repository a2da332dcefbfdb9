//! Visible examples for lfu-cache. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use lfu_cache::LfuCache;

#[test]
fn test_basic_put_get() {
    let mut cache = LfuCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(2), Some(2));
    assert_eq!(cache.get(3), None);
    assert_eq!(cache.len(), 2);
}

#[test]
fn test_evicts_least_frequent() {
    let mut cache = LfuCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(1), Some(1)); // key 1: count 3
    assert_eq!(cache.get(2), Some(2)); // key 2: count 2, and the most recently used
    cache.put(3, 3); // evicts key 2, the lowest count
    assert_eq!(cache.get(2), None);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(3), Some(3));
}

#[test]
fn test_ties_broken_by_recency() {
    let mut cache = LfuCache::new(2);
    cache.put(1, 1);
    cache.put(2, 2);
    assert_eq!(cache.get(2), Some(2));
    assert_eq!(cache.get(1), Some(1)); // both have count 2; key 2 was used longer ago
    cache.put(3, 3); // evicts key 2
    assert_eq!(cache.get(2), None);
    assert_eq!(cache.get(1), Some(1));
    assert_eq!(cache.get(3), Some(3));
}
