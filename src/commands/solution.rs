//! `kata solution SLUG`: the reference solution, after a pass or with `--reveal` (a peek,
//! recorded in progress).

use super::{record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::progress::{Event, Kind};
use anyhow::{bail, Result};

pub fn run(cfg: &Config, slug: &str, lang: Option<Language>, reveal: bool) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, Some(slug), lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    // The reference of the highest stage passed (the exercise itself before any follow-up).
    let passed = ws
        .exists()
        .then(|| crate::stage_progress::highest_passed(&ws.state_dir(), &exercise.slug, lang))
        .flatten();
    let solved = passed.is_some();
    if !solved && !reveal {
        bail!(
            "{slug} ({lang}) is not solved yet: pass `kata check {slug}` first, or run `kata solution {slug} --lang {lang} --reveal` to peek (recorded as peeked in your stats)"
        );
    }
    if !solved && ws.exists() {
        record(
            cfg,
            ws,
            &Event::new(Kind::Reveal, &exercise.slug, lang, cfg.now),
        );
    }
    let mut text = exercise.reference(lang, passed.unwrap_or(0))?.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    output::out(&text)?;
    Ok(Outcome::Success)
}
