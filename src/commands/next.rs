//! `kata next`: recommend the next exercise, with the reason.

use super::{catalog_entries, read_log, Outcome};
use crate::config::Config;
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
    let command = if pick.started {
        format!("kata check {} --lang {}", pick.slug, pick.lang)
    } else {
        format!("kata start {} --lang {}", pick.slug, pick.lang)
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
