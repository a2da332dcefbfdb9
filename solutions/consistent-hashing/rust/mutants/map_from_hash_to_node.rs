// bug: keeps a BTreeMap from point hash to node, so a node whose points collide with another's overwrites them (and removing it loses both)
// caught-by: colliding_names_among_others

use std::collections::{BTreeMap, BTreeSet};

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
    points: BTreeMap<u64, String>, // point hash -> node
}

impl HashRing {
    pub fn new(replicas: u32) -> Self {
        assert!(replicas > 0, "replicas must be at least 1");
        HashRing {
            replicas,
            members: BTreeSet::new(),
            points: BTreeMap::new(),
        }
    }

    pub fn add_node(&mut self, node: &str) -> Result<(), RingError> {
        if self.members.contains(node) {
            return Err(RingError::DuplicateNode);
        }
        self.members.insert(node.to_string());
        for i in 0..self.replicas {
            let hash = fnv1a_64(format!("{node}#{i}").as_bytes());
            self.points.insert(hash, node.to_string());
        }
        Ok(())
    }

    pub fn remove_node(&mut self, node: &str) -> Result<(), RingError> {
        if !self.members.remove(node) {
            return Err(RingError::UnknownNode);
        }
        for i in 0..self.replicas {
            self.points
                .remove(&fnv1a_64(format!("{node}#{i}").as_bytes()));
        }
        Ok(())
    }

    pub fn get_node(&self, key: &str) -> Option<String> {
        let hash = fnv1a_64(key.as_bytes());
        self.points
            .range(hash..)
            .next()
            .or_else(|| self.points.iter().next())
            .map(|(_, node)| node.clone())
    }

    pub fn nodes(&self) -> Vec<String> {
        self.members.iter().cloned().collect()
    }
}
