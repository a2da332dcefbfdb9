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
    /// A concurrency exercise: the learner's code runs under kata's controlled scheduler
    /// (Python: `kata_conc` replaces `threading`, `time` and asyncio's loop; Rust: the code is
    /// compiled against `kst`, a model of `std::sync`/`std::thread`/`std::time`).
    #[serde(default)]
    pub concurrency: bool,
    /// How an expected `error Kind` reads in a language whose API signals that error another
    /// way, e.g. `[errors.rust] ValueError = "panic"`; a key `op.Kind` (`"new.ValueError"`)
    /// applies to one operation only and wins over a plain `Kind`.
    #[serde(default)]
    pub errors: BTreeMap<Language, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, clap::ValueEnum)]
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
    /// The expected result of operation `op` as it reads in `lang` (see `errors`).
    pub fn expected_in(&self, lang: Language, op: &str, expected: &str) -> String {
        let mapped = expected
            .strip_prefix("error ")
            .filter(|kind| !kind.contains(':'))
            .and_then(|kind| {
                let map = self.errors.get(&lang)?;
                map.get(&format!("{op}.{}", kind.trim()))
                    .or_else(|| map.get(kind.trim()))
            });
        mapped.cloned().unwrap_or_else(|| expected.to_string())
    }

    /// Parses and checks an `exercise.toml`.
    pub fn parse(text: &str) -> Result<Meta, String> {
        let meta: Meta = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let at = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(1, |i| i + 1)
        };
        if meta.format_version != FORMAT_VERSION {
            return Err(format!(
                "{}: format_version {} is not supported by this kata (it reads version {FORMAT_VERSION})",
                at("format_version"),
                meta.format_version
            ));
        }
        if meta.hints.is_empty() {
            return Err(format!(
                "{}: `hints` must hold at least one hint",
                at("hints")
            ));
        }
        if meta.topics.is_empty() {
            return Err(format!(
                "{}: `topics` must name at least one topic",
                at("topics")
            ));
        }
        if !(meta.limits.timeout_secs > 0.0 && meta.limits.timeout_secs <= 600.0) {
            return Err(format!(
                "{}: `limits.timeout_secs` must be in (0, 600]",
                at("timeout_secs")
            ));
        }
        Ok(meta)
    }
}

/// A TOML error as `LINE: message` (the line of the offending span).
pub fn toml_error(text: &str, error: &toml::de::Error) -> String {
    let line = error
        .span()
        .map(|span| text[..span.start.min(text.len())].lines().count().max(1))
        .unwrap_or(1);
    let line = match error.span() {
        Some(span) if text[..span.start.min(text.len())].ends_with('\n') => line + 1,
        _ => line,
    };
    format!("{line}: {}", error.message().trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "format_version = 1\ntitle = \"T\"\norder = 1\ndifficulty = \"easy\"\ntopics = [\"a\"]\nsummary = \"s\"\nhints = [\"h\"]\ntime_budget_minutes = 10\n";

    #[test]
    fn parses_and_names_lines_of_errors() {
        assert!(Meta::parse(GOOD).is_ok());
        let err = Meta::parse(&GOOD.replace("difficulty = \"easy\"", "difficulty = \"epic\""))
            .unwrap_err();
        assert!(err.starts_with("4: "), "{err}");
        let err =
            Meta::parse(&GOOD.replace("format_version = 1", "format_version = 2")).unwrap_err();
        assert!(err.starts_with("1: format_version 2"), "{err}");
        let err = Meta::parse(&GOOD.replace("hints = [\"h\"]", "hints = []")).unwrap_err();
        assert!(err.starts_with("7: "), "{err}");
    }

    #[test]
    fn maps_error_kinds_per_language() {
        let meta = Meta::parse(&format!(
            "{GOOD}[errors.rust]\nValueError = \"panic\"\n\"add.KeyError\" = \"null\"\n"
        ))
        .unwrap();
        assert_eq!(
            meta.expected_in(Language::Rust, "new", "error ValueError"),
            "panic"
        );
        assert_eq!(
            meta.expected_in(Language::Python, "new", "error ValueError"),
            "error ValueError"
        );
        assert_eq!(
            meta.expected_in(Language::Rust, "add", "error KeyError"),
            "null"
        );
        assert_eq!(
            meta.expected_in(Language::Rust, "get", "error KeyError"),
            "error KeyError"
        );
    }
}
