//! Visible examples for sliding-window. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use sliding_window::{SlidingWindowCounter, SlidingWindowLog};

#[test]
fn test_log_limit_per_window() {
    let mut log = SlidingWindowLog::new(3, 10.0);
    assert!(log.allow(0.0));
    assert!(log.allow(1.0));
    assert!(log.allow(2.0));
    assert!(!log.allow(5.0)); // 0, 1 and 2 are all within the last 10 s
    assert!(!log.allow(9.5));
    assert!(log.allow(10.0)); // t=0 is exactly 10 s old: it no longer counts
    assert!(!log.allow(10.0));
    assert!(log.allow(11.0)); // t=1 left the window
    assert!(log.allow(12.5)); // t=2 left the window
    assert!(!log.allow(12.5));
}

#[test]
fn test_counter_weighted_previous() {
    let mut counter = SlidingWindowCounter::new(4, 10.0);
    for now in [1.0, 2.0, 3.0, 4.0] {
        assert!(counter.allow(now)); // window [0, 10): estimate 0, 1, 2, 3
    }
    assert!(!counter.allow(10.0)); // window [10, 20): 4 * 1.0 + 0 = 4
    assert!(counter.allow(15.0)); // 4 * 0.5 + 0 = 2
    assert!(counter.allow(15.0)); // 4 * 0.5 + 1 = 3
    assert!(!counter.allow(15.0)); // 4 * 0.5 + 2 = 4
    assert!(counter.allow(17.5)); // 4 * 0.25 + 2 = 3
    assert!(!counter.allow(17.5)); // 4 * 0.25 + 3 = 4
}

#[test]
fn test_log_vs_counter_disagree() {
    let mut log = SlidingWindowLog::new(4, 10.0);
    let mut counter = SlidingWindowCounter::new(4, 10.0);
    for now in [6.0, 7.0, 8.0, 9.0] {
        assert!(log.allow(now));
        assert!(counter.allow(now));
    }
    // At t=15 the last 10 s really hold four requests, but the counter estimates 2.
    assert!(!log.allow(15.0));
    assert!(counter.allow(15.0));
    assert!(!log.allow(15.0));
    assert!(counter.allow(15.0));
    assert!(!log.allow(15.0));
    assert!(!counter.allow(15.0));
    assert!(log.allow(17.5)); // 6 and 7 left the window
    assert!(counter.allow(17.5)); // 4 * 0.25 + 2 = 3
    assert!(log.allow(20.0));
    assert!(counter.allow(20.0)); // window [20, 30): 3 * 1.0 + 0 = 3
}
