//! Follow-up stages: how an interviewer escalates an exercise ("now make it thread-safe",
//! "now add a TTL"). Each is data in the exercise's folder, `stages/<N>-<name>/`:
//!
//! ```text
//! stage.toml     title, the interviewer's prompt, 2-3 progressive hints, an optional time
//!                budget and `concurrency = true` when the stage is graded under kata's
//!                schedulers
//! statement.md   the addendum: the new rules and any API additions (language sections)
//! cases.txt      the stage's own hidden cases (and probes, where complexity changes)
//! ```
//!
//! with `solutions/<slug>/<lang>/stages/<N>-<name>/reference.<ext>` (passing this stage and
//! every earlier one) and its `mutants/*.patch`. Stage 0 is the exercise itself; the learner
//! keeps working in the same file, and a check grades the current stage and every earlier one.

use super::case::CaseFile;
use serde::Deserialize;

/// `stage.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageMeta {
    /// A short title: "Thread-safe", "Per-entry TTL".
    pub title: String,
    /// What the interviewer says next, in their words.
    pub prompt: String,
    /// Progressive hints for this stage, revealed one at a time by `kata hint`.
    pub hints: Vec<String>,
    /// The interview clock for this stage, in minutes (`--timed`; default: the exercise's).
    #[serde(default)]
    pub time_budget_minutes: Option<u32>,
    /// Graded under kata's controlled schedulers (see the exercise's `concurrency`).
    #[serde(default)]
    pub concurrency: bool,
}

/// One follow-up stage, numbered from 1.
#[derive(Debug, Clone)]
pub struct Stage {
    pub number: u32,
    /// The folder under `stages/`, e.g. `1-thread-safe`.
    pub dir: String,
    pub meta: StageMeta,
    pub cases: CaseFile,
    /// The addendum, with every language's sections (see `statement::for_language`).
    pub statement: String,
}

impl StageMeta {
    pub fn parse(text: &str) -> Result<StageMeta, String> {
        let meta: StageMeta =
            toml::from_str(text).map_err(|e| super::meta::toml_error(text, &e))?;
        if meta.hints.is_empty() {
            return Err("1: `hints` must hold at least one hint".into());
        }
        Ok(meta)
    }
}

/// The stage number of a folder name like `2-ttl`.
pub fn number(dir: &str) -> Option<u32> {
    let (number, name) = dir.split_once('-')?;
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    number.parse().ok().filter(|n| *n > 0 && valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_folders_are_numbered_from_one() {
        assert_eq!(number("1-thread-safe"), Some(1));
        assert_eq!(number("12-ttl"), Some(12));
        assert_eq!(number("0-base"), None);
        assert_eq!(number("ttl"), None);
        assert_eq!(number("2-"), None);
        assert_eq!(number("2-Big"), None);
    }

    #[test]
    fn stage_toml_needs_hints() {
        let ok = "title = \"TTL\"\nprompt = \"Now add a TTL.\"\nhints = [\"a heap\"]\n";
        assert_eq!(StageMeta::parse(ok).unwrap().title, "TTL");
        assert!(StageMeta::parse("title = \"t\"\nprompt = \"p\"\nhints = []\n").is_err());
    }
}
