//! Consistent hashing: the points live in a BTreeSet ordered by (hash, node name), so equal
//! hashes are ordered by name for free. get_node is one range query, O(log P) for P points;
//! add_node and remove_node insert or remove the node's R points, O(R log P).
//!
//! Follow-up 1: a node of weight w owns w * R points, "<node>#0" .. "<node>#<w*R-1>" (add_node
//! is weight 1); the weight is kept per node so that remove_node takes out exactly those points.
//! get_nodes(key, n) starts where get_node does and walks the points clockwise, wrapping around,
//! collecting each node the first time it is met until it has n of them (or every node):
//! O(log P + k) for the k points it passes.

use std::collections::{BTreeMap, BTreeSet, HashSet};

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

/// The hashes of a node's points: "<node>#0" .. "<node>#<count - 1>".
fn point_hashes(node: &str, count: u64) -> Vec<u64> {
    (0..count)
        .map(|i| fnv1a_64(format!("{node}#{i}").as_bytes()))
        .collect()
}

pub struct HashRing {
    replicas: u32,
    /// Each node's weight.
    nodes: BTreeMap<String, u32>,
    points: BTreeSet<(u64, String)>,
}

impl HashRing {
    pub fn new(replicas: u32) -> Self {
        assert!(replicas >= 1, "replicas must be at least 1");
        HashRing {
            replicas,
            nodes: BTreeMap::new(),
            points: BTreeSet::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> Result<(), RingError> {
        self.add_weighted_node(node, 1)
    }

    pub fn add_weighted_node(&mut self, node: &str, weight: u32) -> Result<(), RingError> {
        assert!(weight >= 1, "weight must be at least 1");
        if self.nodes.contains_key(node) {
            return Err(RingError::DuplicateNode);
        }
        self.nodes.insert(node.to_string(), weight);
        for hash in point_hashes(node, self.point_count(weight)) {
            self.points.insert((hash, node.to_string()));
        }
        Ok(())
    }

    fn point_count(&self, weight: u32) -> u64 {
        u64::from(self.replicas) * u64::from(weight)
    }

    pub fn remove_node(&mut self, node: &str) -> Result<(), RingError> {
        let Some(weight) = self.nodes.remove(node) else {
            return Err(RingError::UnknownNode);
        };
        for hash in point_hashes(node, self.point_count(weight)) {
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

    pub fn get_nodes(&self, key: &str, n: usize) -> Vec<String> {
        let wanted = n.min(self.nodes.len());
        let mut found = Vec::with_capacity(wanted);
        let mut seen = HashSet::new();
        let hash = fnv1a_64(key.as_bytes());
        // Start where get_node does, then walk clockwise, wrapping around; every node has a
        // point, so one turn of the ring meets all of them.
        let clockwise = self.points.range((hash, String::new())..).chain(&self.points);
        for (_, node) in clockwise {
            if found.len() == wanted {
                break;
            }
            if seen.insert(node.as_str()) {
                found.push(node.clone());
            }
        }
        found
    }

    pub fn nodes(&self) -> Vec<String> {
        self.nodes.keys().cloned().collect()
    }
}
