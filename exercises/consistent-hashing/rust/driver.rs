//! Hidden driver for consistent-hashing (Rust).
//!
//! Operations (one ring per case):
//!   new [R]          HashRing::new(R); without R, HashRing::new(100) (Python's default)
//!   add NODE         add_node(NODE)
//!   remove NODE      remove_node(NODE)
//!   get KEY          get_node(KEY)
//!   owners [KEYS]    get_node(key) for each key
//!   nodes            nodes()
//!   hash TEXT        fnv1a_64(TEXT.as_bytes()), in hex: 0x085d17db71e48c1d
//!   track N          remembers get_node(key) for the keys "user/0/profile" ..
//!                    "user/<N-1>/profile"; shows how many each node owns: {"a": 12, "b": 9}
//!   moved            which tracked keys changed owner since the last track/moved, counted per
//!                    "old -> new" pair: {"b -> a": 3}; then remembers the current owners
//! Follow-up 1 (weighted nodes and replica lists; behind `kata_stage_1`):
//!   add_weighted NODE W   add_weighted_node(NODE, W); its panic (W == 0) reads as
//!                         `error ValueError: panic: ...`, like Python's ValueError
//!   get_nodes KEY N       get_nodes(KEY, N)
//! Results read like the Python ones: the panic of `new 0` is `error ValueError: ...`,
//! Err(DuplicateNode) is `error ValueError`, Err(UnknownNode) is `error KeyError`, and a
//! get_node that returns None is `error LookupError`.

use crate::harness::{self, Budget, Measured, TooSlow, Value};
use crate::learner::{fnv1a_64, HashRing, RingError};
use std::collections::BTreeMap;

pub struct Driver {
    ring: Option<HashRing>,
    tracked: Option<(Vec<String>, Vec<String>)>,
}

/// The line for an error, in the words of the Python API.
fn error_line(error: &RingError, node: &str) -> String {
    match error {
        RingError::DuplicateNode => format!(
            "error ValueError: DuplicateNode: {} is already on the ring",
            harness::string(node)
        ),
        RingError::UnknownNode => format!(
            "error KeyError: UnknownNode: {} is not on the ring",
            harness::string(node)
        ),
    }
}

const EMPTY: &str = "error LookupError: get_node returned None";

/// get_node for each key; None reads like Python's LookupError.
fn owners(ring: &HashRing, keys: &[String]) -> Result<Vec<String>, String> {
    keys.iter()
        .map(|key| ring.get_node(key).ok_or_else(|| EMPTY.to_string()))
        .collect()
}

/// {"a": 2, "b": 1}: how often each text occurs, sorted.
fn counts<I: IntoIterator<Item = String>>(items: I) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_insert(0) += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(name, n)| format!("{}: {n}", harness::string(name)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

impl Driver {
    fn ring(&mut self) -> &mut HashRing {
        harness::need(self.ring.as_mut())
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            ring: None,
            tracked: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "new" => {
                self.ring = None; // a failed constructor leaves no ring behind
                // new(0) must panic: exercise.toml maps `new`'s ValueError to a panic.
                let replicas = args.first().map_or(100, |r| r.int()) as u32;
                self.ring = Some(HashRing::new(replicas));
                harness::ok()
            }
            "add" => {
                let node = args[0].str();
                match self.ring().add_node(node) {
                    Ok(()) => harness::ok(),
                    Err(e) => error_line(&e, node),
                }
            }
            "remove" => {
                let node = args[0].str();
                match self.ring().remove_node(node) {
                    Ok(()) => harness::ok(),
                    Err(e) => error_line(&e, node),
                }
            }
            "get" => match self.ring().get_node(args[0].str()) {
                Some(node) => harness::string(&node),
                None => EMPTY.to_string(),
            },
            "owners" => {
                let keys: Vec<String> =
                    args[0].list().iter().map(|k| k.str().to_string()).collect();
                match owners(self.ring(), &keys) {
                    Ok(found) => harness::list(found.iter().map(|n| harness::string(n))),
                    Err(line) => line,
                }
            }
            "nodes" => harness::list(self.ring().nodes().iter().map(|n| harness::string(n))),
            #[cfg(kata_stage_1)]
            "add_weighted" => {
                let (node, weight) = (args[0].str(), args[1].int() as u32);
                let ring = self.ring();
                match harness::catch(|| ring.add_weighted_node(node, weight)) {
                    Ok(Ok(())) => harness::ok(),
                    Ok(Err(e)) => error_line(&e, node),
                    Err(panic) => format!("error ValueError: panic: {panic}"),
                }
            }
            #[cfg(kata_stage_1)]
            "get_nodes" => {
                let found = self.ring().get_nodes(args[0].str(), args[1].int() as usize);
                harness::list(found.iter().map(|n| harness::string(n)))
            }
            "hash" => format!("0x{:016x}", fnv1a_64(args[0].str().as_bytes())),
            "track" => {
                let keys: Vec<String> = (0..args[0].int())
                    .map(|i| format!("user/{i}/profile"))
                    .collect();
                match owners(self.ring(), &keys) {
                    Ok(found) => {
                        let line = counts(found.iter().cloned());
                        self.tracked = Some((keys, found));
                        line
                    }
                    Err(line) => line,
                }
            }
            "moved" => {
                let (keys, before) = match self.tracked.take() {
                    Some(tracked) => tracked,
                    None => panic!("kata driver: no `track` before `moved`"),
                };
                let after = match owners(self.ring(), &keys) {
                    Ok(found) => found,
                    Err(line) => {
                        self.tracked = Some((keys, before));
                        return line;
                    }
                };
                let line = counts(
                    before
                        .iter()
                        .zip(&after)
                        .filter(|(b, a)| b != a)
                        .map(|(b, a)| format!("{b} -> {a}")),
                );
                self.tracked = Some((keys, after));
                line
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }

    fn probe(workload: &str, size: usize, budget: &Budget) -> Result<Measured, TooSlow> {
        assert_eq!(workload, "lookup", "kata driver: unknown workload");
        // A ring of NODES nodes with `size` points in all (size / NODES replicas each), built
        // with add_node (not timed); then get_node is timed on keys near the top of the ring.
        // The check folds which node each lookup returned (node-N counts N + 1).
        let replicas = (size / NODES).max(1);
        let mut ring = HashRing::new(replicas as u32);
        for n in 0..NODES {
            let _ = ring.add_node(&format!("node-{n}"));
            budget.check(n * replicas)?;
        }
        let keys = top_keys();
        // The best of 7 batches (a batch takes well under a millisecond with a good solution).
        harness::measure(budget, 7, || {
            let mut check = 0u64;
            for (i, key) in keys.iter().enumerate() {
                check += node_number(ring.get_node(key).as_deref());
                if budget.check(i).is_err() {
                    // A very slow get_node is abandoned within the budget: measure sees the
                    // deadline has passed and reports the probe as too slow.
                    return (i + 1, check);
                }
            }
            (keys.len(), check)
        })
    }
}

// ---- complexity probe -------------------------------------------------------------------------

const NODES: usize = 50;
const KEYS: usize = 200;

/// N + 1 for the probe's node "node-N", else 0.
fn node_number(node: Option<&str>) -> u64 {
    node.and_then(|name| name.strip_prefix("node-"))
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|&n| n < NODES as u64)
        .map_or(0, |n| n + 1)
}

/// The driver's own FNV-1a, so choosing the probe's keys does not depend on the learner's.
fn fnv(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// KEYS keys that hash into the top sixteenth of the ring: for a scan from the smallest point
/// they are the worst case (almost every point is passed, and some wrap around).
fn top_keys() -> Vec<String> {
    (0..)
        .map(|i| format!("key-{i}"))
        .filter(|key| fnv(key.as_bytes()) >> 60 == 0xf)
        .take(KEYS)
        .collect()
}
