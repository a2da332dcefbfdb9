//! Visible examples for consistent-hashing. Run with: cargo test
//!
//! These are the example cases from README.md; `kata check` runs many more hidden ones.

use consistent_hashing::{fnv1a_64, HashRing};

#[test]
fn test_worked_example() {
    let mut ring = HashRing::new(1); // one point per node: "beta#0", "alpha#0", "tango#0"
    for node in ["beta", "alpha", "tango"] {
        ring.add_node(node).unwrap();
    }
    assert_eq!(fnv1a_64(b"tango#0"), 0x085d_17db_71e4_8c1d); // the smallest point
    assert_eq!(fnv1a_64(b"alpha#0"), 0x1383_9ea3_f671_5478);
    assert_eq!(fnv1a_64(b"beta#0"), 0xed93_89d4_5818_92b4); // the largest point
    assert_eq!(fnv1a_64(b"feijoa"), 0x010b_114c_0d0e_2b2b);
    assert_eq!(ring.get_node("feijoa").as_deref(), Some("tango")); // below the smallest point
    assert_eq!(fnv1a_64(b"vanilla"), 0x0bd5_8324_98c9_c0d0);
    assert_eq!(ring.get_node("vanilla").as_deref(), Some("alpha"));
    assert_eq!(fnv1a_64(b"banana"), 0xb4d3_b6b1_c372_c890);
    assert_eq!(ring.get_node("banana").as_deref(), Some("beta"));
    assert_eq!(fnv1a_64(b"apple"), 0xf74a_62a4_58be_fdbf);
    assert_eq!(ring.get_node("apple").as_deref(), Some("tango")); // past the largest: wraps
    assert_eq!(ring.get_node("alpha#0").as_deref(), Some("alpha")); // equal to a point
    assert_eq!(ring.nodes(), ["alpha", "beta", "tango"]);
}

#[test]
fn test_basic_lookup() {
    let mut ring = HashRing::new(3);
    for node in ["alpha", "beta", "gamma"] {
        ring.add_node(node).unwrap();
    }
    assert_eq!(ring.nodes(), ["alpha", "beta", "gamma"]);
    assert_eq!(ring.get_node("apple").as_deref(), Some("alpha"));
    assert_eq!(ring.get_node("banana").as_deref(), Some("beta"));
    assert_eq!(ring.get_node("cherry").as_deref(), Some("gamma"));
    let owners: Vec<String> = ["date", "elderberry", "fig", "grape", "kiwi", "lemon"]
        .iter()
        .map(|key| ring.get_node(key).unwrap())
        .collect();
    assert_eq!(owners, ["beta", "beta", "beta", "gamma", "alpha", "gamma"]);
}

#[test]
fn test_remove_moves_only_its_keys() {
    let mut ring = HashRing::new(100);
    for node in ["alpha", "beta", "gamma", "delta"] {
        ring.add_node(node).unwrap();
    }
    let keys: Vec<String> = (0..300).map(|i| format!("user/{i}/profile")).collect();
    let owners = |ring: &HashRing| -> Vec<String> {
        keys.iter().map(|key| ring.get_node(key).unwrap()).collect()
    };
    let before = owners(&ring);
    assert_eq!(before.iter().filter(|n| *n == "alpha").count(), 124);
    ring.remove_node("alpha").unwrap();
    let after = owners(&ring);
    let moved: Vec<(&str, &str)> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, a)| (b.as_str(), a.as_str()))
        .collect();
    // exactly alpha's keys moved, each to the node of the next point on the ring
    assert_eq!(moved.len(), 124);
    assert!(moved.iter().all(|&(b, _)| b == "alpha"));
    assert_eq!(
        moved.iter().filter(|&&m| m == ("alpha", "beta")).count(),
        89
    );
    assert_eq!(
        moved.iter().filter(|&&m| m == ("alpha", "delta")).count(),
        35
    );
    assert_eq!(ring.nodes(), ["beta", "delta", "gamma"]);
}
