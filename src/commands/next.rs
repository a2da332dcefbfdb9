//! `kata next`: recommend the next exercise, with the reason.

use super::{catalog_entries, read_log, Outcome};
use crate::config::Config;
use crate::recommend::Action;
use crate::style::paint;
use crate::{output, recommend, stats};
use anyhow::Result;

pub fn run(cfg: &Config) -> Result<Outcome> {
    let ws = cfg.workspace()?;
    let log = if ws.exists() {
        read_log(cfg, ws)
    } else {
        Default::default()
    };
    let catalog = catalog_entries(cfg);
    let stats = stats::compute(&log.events, &catalog, cfg.now, &cfg.tz);
    let lang = cfg.default_language();
    let Some(pick) = recommend::next(&stats, &catalog, lang, cfg.now) else {
        output::out("Everything in the catalog is solved and fresh. Try one against the clock: `kata start SLUG --timed` on an exercise you know.\n")?;
        return Ok(Outcome::Success);
    };
    let (slug, lang) = (&pick.slug, pick.lang);
    let command = match pick.action {
        Action::Start => format!("kata start {slug} --lang {lang}"),
        Action::Continue => format!("kata check {slug} --lang {lang}"),
        Action::Review => format!(
            "kata reset {slug} --lang {lang} (your solution is backed up first), then solve it and `kata check`"
        ),
    };
    output::out(&format!(
        "{} {} ({})\n  why: {}\n  run: {}\n",
        paint(cfg.out.bold, "Next:"),
        pick.slug,
        pick.lang,
        pick.reason,
        command
    ))?;
    if let Some(deeper) = next_follow_up(cfg, &log.events) {
        output::out(&deeper)?;
    }
    Ok(Outcome::Success)
}

/// The choice beside new material: the next follow-up stage of the exercise passed most
/// recently that has one left, the way an interviewer would go on.
fn next_follow_up(cfg: &Config, events: &[crate::progress::Event]) -> Option<String> {
    let passed = crate::stage_progress::highest_passed_by_track(events);
    let best = |e: &crate::progress::Event| passed.get(&(e.slug.clone(), e.lang)).copied();
    let pass = events
        .iter()
        .rev()
        .filter(|e| e.is_pass() && !e.stage_only)
        .find(|e| {
            cfg.catalog.get(&e.slug).is_some_and(|x| {
                let total = x.stages().map_or(0, |s| s.len() as u32);
                best(e).is_some_and(|b| b < total)
            })
        })?;
    let exercise = cfg.catalog.get(&pass.slug)?;
    let stages = exercise.stages().ok()?;
    let done = best(pass)?;
    let stage = stages.get(done as usize)?;
    Some(format!(
        "{} follow-up {} of {} of {} ({}), \"{}\": {}\n  run: kata check {} --lang {} (its rules are at the end of README.md)\n",
        paint(cfg.out.bold, "Or go deeper:"),
        stage.number,
        stages.len(),
        pass.slug,
        pass.lang,
        stage.meta.title,
        stage.meta.prompt,
        pass.slug,
        pass.lang
    ))
}
