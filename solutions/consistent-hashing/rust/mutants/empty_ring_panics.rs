// bug: get_node indexes the first point without checking for an empty ring, so it panics instead of returning None
// caught-by: empty_ring

use std::collections::BTreeSet;

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

pub struct HashRing {
    replicas: u32,
    members: BTreeSet<String>,
    points: Vec<(u64, String)>, // sorted by (hash, node)
}

impl HashRing {
    pub fn new(replicas: u32) -> Self {
        assert!(replicas > 0, "replicas must be at least 1");
        HashRing {
            replicas,
            members: BTreeSet::new(),
            points: Vec::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> Result<(), RingError> {
        if self.members.contains(node) {
            return Err(RingError::DuplicateNode);
        }
        self.members.insert(node.to_string());
        for i in 0..self.replicas {
            let hash = fnv1a_64(format!("{node}#{i}").as_bytes());
            self.points.push((hash, node.to_string()));
        }
        self.points.sort();
        Ok(())
    }

    pub fn remove_node(&mut self, node: &str) -> Result<(), RingError> {
        if !self.members.remove(node) {
            return Err(RingError::UnknownNode);
        }
        self.points.retain(|(_, owner)| owner != node);
        Ok(())
    }

    pub fn get_node(&self, key: &str) -> Option<String> {
        let hash = fnv1a_64(key.as_bytes());
        let mut i = self.points.partition_point(|(h, _)| *h < hash);
        if i >= self.points.len() {
            i = 0;
        }
        Some(self.points[i].1.clone())
    }

    pub fn nodes(&self) -> Vec<String> {
        self.members.iter().cloned().collect()
    }
}
