//! Which follow-up stage a learner is on, from the progress log: the stage after the highest
//! one a check has passed (a check of one stage alone, `--stage N`, does not move it).

use crate::catalog::Exercise;
use crate::lang::Language;
use crate::progress;
use anyhow::Result;
use std::path::Path;

/// The highest stage passed (0: the exercise itself), or `None` before the first pass.
pub fn highest_passed(state_dir: &Path, slug: &str, lang: Language) -> Option<u32> {
    progress::matching(state_dir, &format!("\"{slug}\""), |e| {
        e.slug == slug && e.lang == lang && e.is_pass() && !e.stage_only
    })
    .iter()
    .map(|e| e.stage.unwrap_or(0))
    .max()
}

/// The highest stage passed, from events already read (see [`highest_passed`]).
pub fn highest_passed_in(events: &[progress::Event], slug: &str, lang: Language) -> Option<u32> {
    events
        .iter()
        .filter(|e| e.slug == slug && e.lang == lang && e.is_pass() && !e.stage_only)
        .map(|e| e.stage.unwrap_or(0))
        .max()
}

/// The stage a check grades now: the one after the highest passed, once that has a stage.
pub fn current(state_dir: &Path, exercise: &Exercise, lang: Language) -> Result<u32> {
    let last = exercise.stages()?.len() as u32;
    Ok(match highest_passed(state_dir, &exercise.slug, lang) {
        Some(passed) => (passed + 1).min(last),
        None => 0,
    })
}
