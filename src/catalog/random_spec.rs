//! Seeded random cases: `exercises/<slug>/random.toml` describes operation sequences whose
//! sizes and values make edge states recur (a full cache, equal timestamps, ties, repeated
//! keys); `kata generate` draws them and records the reference's results as
//! `random_cases.txt`, so a check runs cases no author anticipated (pure: drawing only).
//!
//! ```toml
//! seed = 1
//! cases = 12
//! length = [20, 40]               # operations per sequence, after the setup
//! setup = ["new {capacity}"]      # the first operations of every sequence
//! [vars]                          # drawn once per sequence
//! capacity = { int = [1, 4] }
//! [args]                          # drawn for every operation that names them
//! key = { int = [0, 6] }
//! now = { clock = [0.0, 0.5, 1.0] }   # non-decreasing: each draw adds one of these steps
//! [[ops]]
//! op = "get {key}"
//! weight = 3
//! rule = "get returns the key's value, or -1, and makes it the most recently used."
//! ```

use super::case::{Case, Op};
use super::op_syntax::parse_op;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The contents of `random.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomSpec {
    /// Seeds every sequence (with its number): the same file always draws the same cases.
    pub seed: u64,
    /// How many sequences to draw.
    pub cases: usize,
    /// Operations per sequence after the setup, an inclusive range.
    pub length: [usize; 2],
    /// Operations every sequence starts with (templates).
    #[serde(default)]
    pub setup: Vec<String>,
    /// Values drawn once per sequence.
    #[serde(default)]
    pub vars: BTreeMap<String, Draw>,
    /// Values drawn for every operation that uses them.
    #[serde(default)]
    pub args: BTreeMap<String, Draw>,
    /// The operations to draw from.
    pub ops: Vec<RandomOp>,
}

/// One kind of operation in a sequence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomOp {
    /// The operation with `{name}` for drawn values, e.g. `put {key} {value}`.
    pub op: String,
    /// Relative frequency.
    #[serde(default = "one")]
    pub weight: u32,
    /// The rule this operation must keep, shown as the hint when it is the first to go wrong.
    pub rule: String,
}

fn one() -> u32 {
    1
}

/// How a value is drawn.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Draw {
    /// A whole number in an inclusive range.
    Int([i64; 2]),
    /// One of these values, written as in cases.txt (`alice`, `1.5`, `"a b"`).
    OneOf(Vec<String>),
    /// A clock that never goes back: each draw adds one of these steps to the last value.
    Clock(Vec<f64>),
}

/// The header line of `random_cases.txt` that names the `random.toml` it was drawn from.
pub const FINGERPRINT_LINE: &str = "# random.toml fingerprint: ";

/// A fingerprint of `random.toml`: FNV-1a (64 bits) of its bytes, as 16 hex digits. Its own
/// hash, not std's `DefaultHasher`, whose results may change with the Rust version.
pub fn fingerprint(spec: &[u8]) -> String {
    let hash = spec.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Why `random_cases.txt` (`None` when there is none) does not hold the cases drawn from the
/// `random.toml` with this fingerprint, or `None` when it does.
pub fn stale(fingerprint: &str, cases: Option<&str>) -> Option<&'static str> {
    let Some(cases) = cases else {
        return Some("is missing");
    };
    let recorded = cases
        .lines()
        .take_while(|line| line.starts_with('#'))
        .find_map(|line| line.strip_prefix(FINGERPRINT_LINE));
    match recorded {
        Some(recorded) if recorded.trim() == fingerprint => None,
        Some(_) => Some("was drawn from another random.toml"),
        None => Some("does not name the random.toml it was drawn from"),
    }
}

/// splitmix64: small, fast and the same everywhere, so a seed always draws the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

impl RandomSpec {
    pub fn parse(text: &str) -> Result<RandomSpec, String> {
        let spec: RandomSpec = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if spec.ops.is_empty() {
            return Err("`ops` needs at least one operation".into());
        }
        if spec.length[0] > spec.length[1] || spec.length[1] == 0 {
            return Err("`length` must be [min, max] with min <= max and max >= 1".into());
        }
        for (name, draw) in spec.vars.iter().chain(&spec.args) {
            let bad = match draw {
                Draw::Int([low, high]) => low > high,
                Draw::OneOf(values) => values.is_empty(),
                Draw::Clock(steps) => {
                    steps.is_empty() || steps.iter().any(|s| s.is_nan() || *s < 0.0)
                }
            };
            if bad {
                return Err(format!(
                    "`{name}` cannot be drawn: an empty or reversed range"
                ));
            }
        }
        Ok(spec)
    }

    /// The rule of each operation, by operation name, for the hint of a failing random case.
    pub fn rules(&self) -> BTreeMap<String, String> {
        self.ops
            .iter()
            .filter_map(|op| {
                Some((
                    op.op.split_whitespace().next()?.to_string(),
                    op.rule.clone(),
                ))
            })
            .collect()
    }

    /// The sequences, named `random_01`, `random_02`..., their expected results still to be
    /// recorded from the reference (`?`).
    pub fn draw(&self) -> Result<Vec<Case>, String> {
        let total: u64 = self.ops.iter().map(|o| u64::from(o.weight)).sum();
        (0..self.cases)
            .map(|n| {
                let mut rng = Rng(self.seed ^ (n as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
                let mut clocks: BTreeMap<&str, f64> = BTreeMap::new();
                let vars: BTreeMap<&str, String> = self
                    .vars
                    .iter()
                    .map(|(name, draw)| (name.as_str(), value(draw, name, &mut rng, &mut clocks)))
                    .collect();
                let length = self.length[0]
                    + rng.below((self.length[1] - self.length[0] + 1) as u64) as usize;
                let mut ops = Vec::new();
                for template in &self.setup {
                    ops.push(fill(template, &vars, &self.args, &mut rng, &mut clocks)?);
                }
                for _ in 0..length {
                    let mut pick = rng.below(total);
                    let op = self
                        .ops
                        .iter()
                        .find(|o| {
                            let hit = pick < u64::from(o.weight);
                            pick = pick.saturating_sub(u64::from(o.weight));
                            hit
                        })
                        .expect("weights add up");
                    ops.push(fill(&op.op, &vars, &self.args, &mut rng, &mut clocks)?);
                }
                Ok(Case {
                    name: format!("random_{:02}", n + 1),
                    line: 0,
                    example: false,
                    random: true,
                    only: Vec::new(),
                    stage: 0,
                    hint: "A sequence of operations drawn at random: the hint names the rule of the first one that went wrong.".into(),
                    ops,
                })
            })
            .collect()
    }
}

fn value<'a>(
    draw: &Draw,
    name: &'a str,
    rng: &mut Rng,
    clocks: &mut BTreeMap<&'a str, f64>,
) -> String {
    match draw {
        Draw::Int([low, high]) => {
            let span = (high - low) as u64 + 1;
            (low + rng.below(span) as i64).to_string()
        }
        Draw::OneOf(values) => values[rng.below(values.len() as u64) as usize].clone(),
        Draw::Clock(steps) => {
            let step = steps[rng.below(steps.len() as u64) as usize];
            let now = clocks.entry(name).or_insert(0.0);
            *now += step;
            let text = format!("{now}");
            if text.contains('.') || text.contains('e') {
                text
            } else {
                format!("{text}.0")
            }
        }
    }
}

/// An operation from its template, every `{name}` drawn (vars first, then args).
fn fill<'a>(
    template: &str,
    vars: &BTreeMap<&str, String>,
    args: &'a BTreeMap<String, Draw>,
    rng: &mut Rng,
    clocks: &mut BTreeMap<&'a str, f64>,
) -> Result<Op, String> {
    let mut text = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        text.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("unclosed `{{` in `{template}`"))?;
        let name = &rest[start + 1..start + end];
        let drawn = match (vars.get(name), args.get_key_value(name)) {
            (Some(v), _) => v.clone(),
            (None, Some((key, draw))) => value(draw, key, rng, clocks),
            (None, None) => {
                return Err(format!(
                    "`{{{name}}}` in `{template}` is not in [vars] or [args]"
                ))
            }
        };
        text.push_str(&drawn);
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    parse_op(&format!("{text} => ?")).map_err(|e| format!("`{text}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
seed = 7
cases = 3
length = [5, 8]
setup = ["new {capacity}"]
[vars]
capacity = { int = [1, 3] }
[args]
key = { int = [0, 4] }
now = { clock = [0.0, 0.5] }
client = { one_of = ["alice", "bob"] }
[[ops]]
op = "put {key} {key}"
weight = 2
rule = "put stores"
[[ops]]
op = "allow {client} {now}"
rule = "allow decides"
"#;

    #[test]
    fn the_same_seed_draws_the_same_cases() {
        let spec = RandomSpec::parse(SPEC).unwrap();
        let a = spec.draw().unwrap();
        assert_eq!(a, spec.draw().unwrap());
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].name, "random_01");
        for case in &a {
            assert!(case.ops[0].text.starts_with("new "), "{:?}", case.ops[0]);
            assert!((6..=9).contains(&case.ops.len()));
            // The clock never goes back.
            let times: Vec<f64> = case
                .ops
                .iter()
                .filter(|o| o.name == "allow")
                .map(|o| o.args[1].as_f64().unwrap())
                .collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        }
        assert_eq!(spec.rules()["allow"], "allow decides");
    }

    #[test]
    fn the_fingerprint_is_fnv1a_of_the_bytes() {
        // The published FNV-1a 64 test vectors: the same on every platform and Rust version.
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "af63dc4c8601ec8c");
        assert_eq!(fingerprint(b"foobar"), "85944171f73967e8");
        assert_ne!(
            fingerprint(SPEC.as_bytes()),
            fingerprint(SPEC.replace("seed = 7", "seed = 8").as_bytes())
        );
    }

    #[test]
    fn random_cases_are_stale_when_missing_or_drawn_from_another_spec() {
        let now = fingerprint(SPEC.as_bytes());
        let header = |f: &str| {
            format!(
                "# Written by `kata generate`\n{FINGERPRINT_LINE}{f}\n\ncase random_01 random\n"
            )
        };
        assert_eq!(stale(&now, Some(&header(&now))), None);
        assert_eq!(stale(&now, None), Some("is missing"));
        assert_eq!(
            stale(&now, Some(&header(&fingerprint(b"seed = 1")))),
            Some("was drawn from another random.toml")
        );
        // Only the header counts: a fingerprint line after the first case is not one.
        let late = format!(
            "# Written by `kata generate`\n\ncase random_01 random\n{FINGERPRINT_LINE}{now}\n"
        );
        assert_eq!(
            stale(&now, Some(&late)),
            Some("does not name the random.toml it was drawn from")
        );
    }

    #[test]
    fn bad_specs_are_named() {
        assert!(RandomSpec::parse(
            "seed = 1\ncases = 1\nlength = [3, 1]\n[[ops]]\nop = \"x\"\nrule = \"r\"\n"
        )
        .is_err());
        let spec = RandomSpec::parse(
            "seed = 1\ncases = 1\nlength = [1, 1]\n[[ops]]\nop = \"get {nope}\"\nrule = \"r\"\n",
        )
        .unwrap();
        assert!(spec.draw().unwrap_err().contains("`{nope}`"));
    }
}
