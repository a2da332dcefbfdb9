//! `exercise.toml`: the metadata of one exercise (title, topics, hints, limits).

use crate::lang::Language;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The catalog format this build of kata reads.
pub const FORMAT_VERSION: u32 = 1;

/// The contents of `exercises/<slug>/exercise.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Must equal [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Human title, e.g. "LRU cache".
    pub title: String,
    /// Position in `kata list` and in recommendations (lower first).
    pub order: u32,
    pub difficulty: Difficulty,
    /// Topics for `kata list --topic` and for stats per topic.
    pub topics: Vec<String>,
    /// One sentence for `kata list`.
    pub summary: String,
    /// Progressive hints, revealed one at a time by `kata hint`.
    pub hints: Vec<String>,
    /// Interview clock for `kata start --timed`, in minutes.
    pub time_budget_minutes: u32,
    /// Resource limits for one check.
    #[serde(default)]
    pub limits: Limits,
    /// How an expected `error Kind` reads in a language whose API signals that error another
    /// way, e.g. `[errors.rust] ValueError = "panic"`.
    #[serde(default)]
    pub errors: BTreeMap<Language, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

/// Limits for one check; every field has a default.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Wall-clock limit for running the hidden cases and probes (not compilation).
    pub timeout_secs: f64,
    /// Bytes of the learner's stdout and of stderr kept for the report; the rest is counted.
    pub output_bytes: usize,
    /// Address-space limit of the driver process.
    pub memory_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_secs: 10.0,
            output_bytes: 64 * 1024,
            memory_mib: 1024,
        }
    }
}

impl Meta {
    /// An expected result line as it reads in `lang` (see `errors`).
    pub fn expected_in(&self, lang: Language, expected: &str) -> String {
        let mapped = expected
            .strip_prefix("error ")
            .filter(|kind| !kind.contains(':'))
            .and_then(|kind| self.errors.get(&lang)?.get(kind.trim()));
        mapped.cloned().unwrap_or_else(|| expected.to_string())
    }

    /// Parses and checks an `exercise.toml`.
    pub fn parse(text: &str) -> Result<Meta, String> {
        let meta: Meta = toml::from_str(text).map_err(|e| e.to_string())?;
        if meta.format_version != FORMAT_VERSION {
            return Err(format!(
                "format_version {} is not supported by this kata (it reads version {FORMAT_VERSION})",
                meta.format_version
            ));
        }
        if meta.hints.is_empty() {
            return Err("`hints` must hold at least one hint".to_string());
        }
        if meta.topics.is_empty() {
            return Err("`topics` must name at least one topic".to_string());
        }
        if !(meta.limits.timeout_secs > 0.0 && meta.limits.timeout_secs <= 600.0) {
            return Err("`limits.timeout_secs` must be in (0, 600]".to_string());
        }
        Ok(meta)
    }
}
