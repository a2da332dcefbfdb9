//! The hidden cases of an exercise as data: cases, their operations and expected results,
//! and complexity probes. Parsed from `cases.txt` by `case_parser`.

use crate::lang::Language;
use serde_json::Value;

/// Longest result kept, in bytes: far above any expected line (the longest in the catalog is
/// ~500), and small enough that a learner returning a 20 MB string gets a readable report.
/// kata cuts every result at this length, so the parser rejects a longer expected line.
pub const MAX_RESULT_BYTES: usize = 4096;

/// A parsed case file: correctness cases and complexity probes, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    pub cases: Vec<Case>,
    pub probes: Vec<Probe>,
}

/// One hidden case: a named list of operations with the expected result of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    /// 1-based line of the `case` header.
    pub line: usize,
    /// Visible example, rendered into the learner's workspace.
    pub example: bool,
    /// Drawn at random by `kata generate` (random_cases.txt): shown shrunk to its shortest
    /// failing prefix, with the rule of the operation that went wrong as its hint.
    pub random: bool,
    /// Languages this case applies to; empty means every language.
    pub only: Vec<Language>,
    /// The follow-up stage it belongs to (0: the exercise itself).
    pub stage: u32,
    /// Shown when this case fails.
    pub hint: String,
    pub ops: Vec<Op>,
}

/// One operation of a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub line: usize,
    /// The operation as written, e.g. `put 1 1`.
    pub text: String,
    pub name: String,
    pub args: Vec<Value>,
    /// The exact result line expected from the driver.
    pub expected: String,
    /// A `# note` written on the line before, carried into the visible tests as a comment.
    pub note: Option<String>,
}

/// A scaling measurement: the driver times `workload` at each size and kata judges growth.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub name: String,
    pub line: usize,
    pub hint: String,
    /// Name of the driver function that builds and times the workload.
    pub workload: String,
    /// Sizes to measure, smallest first (at least two).
    pub sizes: Vec<u64>,
    /// Per-language sizes (`sizes.rust: 1000 30000`), for a language whose checks build in a
    /// profile where the default sizes would make a passing check slow.
    pub sizes_for: Vec<(Language, Vec<u64>)>,
    /// The complexity a good answer has, e.g. `O(1)`; used in explanations.
    pub expect: String,
    /// What is timed, e.g. `get/put`.
    pub what: String,
    /// What grows, e.g. `cache`.
    pub subject: String,
    /// Largest accepted growth exponent: time per operation may grow by at most
    /// `(large / small) ^ max_exponent`.
    pub max_exponent: f64,
    /// Time allowed for one size before the measurement is abandoned as too slow.
    pub budget_ms: u64,
    /// The reference's digest at each size, in the language being checked (from
    /// `digests.toml`): a measurement whose results differ does not count.
    pub digests: Vec<(u64, String)>,
}

impl Case {
    /// Whether this case runs for `lang`.
    pub fn applies_to(&self, lang: Language) -> bool {
        self.only.is_empty() || self.only.contains(&lang)
    }

    /// This case as a `lang` learner reads it: its hint without the other language's
    /// sections (`<!-- python -->...<!-- /python -->`, as in statements).
    pub fn for_language(mut self, lang: Language) -> Case {
        self.hint = hint_for(&self.hint, lang);
        self
    }
}

/// A hint with only `lang`'s sections.
fn hint_for(hint: &str, lang: Language) -> String {
    super::statement::for_language(hint, lang)
        .trim_end()
        .to_string()
}

impl Probe {
    /// This probe as measured in `lang` (its sizes replaced by the language's own, if any).
    pub fn for_language(&self, lang: Language) -> Probe {
        let mut probe = self.clone();
        probe.hint = hint_for(&self.hint, lang);
        if let Some((_, sizes)) = self.sizes_for.iter().find(|(l, _)| *l == lang) {
            probe.sizes = sizes.clone();
        }
        probe.sizes_for.clear();
        probe
    }

    pub const DEFAULT_MAX_EXPONENT: f64 = 0.6;
    pub const DEFAULT_BUDGET_MS: u64 = 2000;
}
