//! Visible examples for ttl-cache. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use ttl_cache::TtlCache;

#[test]
fn test_expiry_basics() {
    let mut cache = TtlCache::new(3, 10.0);
    cache.put("a", "apple", 0.0, None); // default ttl: expires at 10.0
    cache.put("b", "banana", 0.0, Some(2.0)); // explicit ttl: expires at 2.0
    assert_eq!(cache.get("a", 1.0).as_deref(), Some("apple"));
    assert_eq!(cache.get("b", 1.5).as_deref(), Some("banana"));
    assert_eq!(cache.get("b", 2.0), None); // expired at exactly its deadline
    assert_eq!(cache.get("a", 9.5).as_deref(), Some("apple"));
    assert_eq!(cache.get("a", 10.0), None);
    assert_eq!(cache.get("c", 10.0), None); // never put
}

#[test]
fn test_lru_among_live_entries() {
    let mut cache = TtlCache::new(2, 100.0);
    cache.put("a", "1", 0.0, None);
    cache.put("b", "2", 1.0, None);
    assert_eq!(cache.get("a", 2.0).as_deref(), Some("1")); // a is now the most recently used
    cache.put("c", "3", 3.0, None); // full, nothing expired: evicts b
    assert_eq!(cache.get("b", 3.0), None);
    assert_eq!(cache.get("a", 3.0).as_deref(), Some("1"));
    assert_eq!(cache.get("c", 3.0).as_deref(), Some("3"));
    assert_eq!(cache.size(3.0), 2);
}

#[test]
fn test_expired_entries_make_room() {
    let mut cache = TtlCache::new(2, 100.0);
    cache.put("a", "1", 0.0, None); // least recently used, lives until 100
    cache.put("b", "2", 0.0, Some(1.0)); // most recently used, expires at 1
    cache.put("c", "3", 5.0, None); // full: the expired b goes first, so a stays
    assert_eq!(cache.get("a", 5.0).as_deref(), Some("1"));
    assert_eq!(cache.get("c", 5.0).as_deref(), Some("3"));
    assert_eq!(cache.get("b", 5.0), None);
    assert_eq!(cache.size(5.0), 2);
}
