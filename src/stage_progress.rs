//! Which follow-up stage a learner is on, from the progress log: the stage after the highest
//! one a check has passed (a check of one stage alone, `--stage N`, does not move it).

use crate::catalog::Exercise;
use crate::lang::Language;
use crate::progress;
use anyhow::Result;
use std::collections::HashMap;
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

/// The highest stage passed of every exercise and language with a pass, in one scan of
/// `events` (0: the exercise itself).
pub fn highest_passed_by_track(events: &[progress::Event]) -> HashMap<(String, Language), u32> {
    let mut passed: HashMap<(String, Language), u32> = HashMap::new();
    for e in events.iter().filter(|e| e.is_pass() && !e.stage_only) {
        let best = passed.entry((e.slug.clone(), e.lang)).or_insert(0);
        *best = (*best).max(e.stage.unwrap_or(0));
    }
    passed
}

/// The stage a check grades now: the one after the highest passed, once that has a stage.
pub fn current(state_dir: &Path, exercise: &Exercise, lang: Language) -> Result<u32> {
    let last = exercise.stages()?.len() as u32;
    Ok(match highest_passed(state_dir, &exercise.slug, lang) {
        Some(passed) => (passed + 1).min(last),
        None => 0,
    })
}
