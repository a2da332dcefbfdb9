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
    Ok(Outcome::Success)
}
