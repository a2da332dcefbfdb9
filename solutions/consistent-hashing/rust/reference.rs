//! Consistent hashing: the points live in a BTreeSet ordered by (hash, node name), so equal
//! hashes are ordered by name for free. get_node is one range query, O(log P) for P points;
//! add_node and remove_node insert or remove the node's R points, O(R log P).

use std::collections::BTreeSet;

/// 64-bit FNV-1a (given in the starter).
pub fn fnv1a_64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[derive(Debug, PartialEq, Eq)]
pub enum RingError {
    DuplicateNode,
    UnknownNode,
}

/// The hashes of a node's points: "<node>#0" .. "<node>#<replicas - 1>".
fn point_hashes(node: &str, replicas: u32) -> Vec<u64> {
    (0..replicas)
        .map(|i| fnv1a_64(format!("{node}#{i}").as_bytes()))
        .collect()
}

pub struct HashRing {
    replicas: u32,
    nodes: BTreeSet<String>,
    points: BTreeSet<(u64, String)>,
}

impl HashRing {
    pub fn new(replicas: u32) -> Self {
        assert!(replicas >= 1, "replicas must be at least 1");
        HashRing {
            replicas,
            nodes: BTreeSet::new(),
            points: BTreeSet::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> Result<(), RingError> {
        if !self.nodes.insert(node.to_string()) {
            return Err(RingError::DuplicateNode);
        }
        for hash in point_hashes(node, self.replicas) {
            self.points.insert((hash, node.to_string()));
        }
        Ok(())
    }

    pub fn remove_node(&mut self, node: &str) -> Result<(), RingError> {
        if !self.nodes.remove(node) {
            return Err(RingError::UnknownNode);
        }
        for hash in point_hashes(node, self.replicas) {
            self.points.remove(&(hash, node.to_string()));
        }
        Ok(())
    }

    pub fn get_node(&self, key: &str) -> Option<String> {
        let hash = fnv1a_64(key.as_bytes());
        // (hash, "") sorts before every point with this hash: the first point >= the key.
        self.points
            .range((hash, String::new())..)
            .next()
            .or_else(|| self.points.iter().next()) // past the largest point: wrap around
            .map(|(_, node)| node.clone())
    }

    pub fn nodes(&self) -> Vec<String> {
        self.nodes.iter().cloned().collect()
    }
}
