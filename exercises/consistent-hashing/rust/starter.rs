//! Consistent hashing: see README.md for the full statement.

/// 64-bit FNV-1a: the hash for every point and every key. (Given: keep it as it is.)
pub fn fnv1a_64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // offset basis
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3); // FNV prime
    }
    hash
}

/// What `add_node` and `remove_node` can return instead of `Ok(())`. (Given: keep it.)
#[derive(Debug, PartialEq, Eq)]
pub enum RingError {
    DuplicateNode,
    UnknownNode,
}

pub struct HashRing {
    // Your fields here.
}

impl HashRing {
    /// An empty ring; every node will get `replicas` points. Panics when `replicas` is 0.
    pub fn new(replicas: u32) -> Self {
        todo!("HashRing::new({replicas})")
    }

    /// Puts `node`'s points on the ring: `fnv1a_64(format!("{node}#{i}").as_bytes())` for
    /// i in 0..replicas. A node already on the ring -> `Err(RingError::DuplicateNode)`.
    pub fn add_node(&mut self, node: &str) -> Result<(), RingError> {
        todo!("HashRing::add_node({node:?})")
    }

    /// Takes `node`'s points off the ring. A node not on the ring ->
    /// `Err(RingError::UnknownNode)`.
    pub fn remove_node(&mut self, node: &str) -> Result<(), RingError> {
        todo!("HashRing::remove_node({node:?})")
    }

    /// The owner of the first point whose hash is >= `fnv1a_64(key.as_bytes())`, wrapping
    /// around to the smallest point; equal hashes are ordered by node name. `None` when the
    /// ring has no nodes.
    pub fn get_node(&self, key: &str) -> Option<String> {
        todo!("HashRing::get_node({key:?})")
    }

    /// The nodes on the ring, sorted by name.
    pub fn nodes(&self) -> Vec<String> {
        todo!("HashRing::nodes")
    }
}
