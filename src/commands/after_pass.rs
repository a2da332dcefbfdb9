//! What follows a pass, gathered from the progress log: the go that ended with it and what
//! `kata next` would recommend now. `check` shows it under a passing report (and in `--json`),
//! watch mode offers the next exercise from it.

use super::catalog_entries;
use crate::catalog::Exercise;
use crate::config::Config;
use crate::lang::Language;
use crate::progress::{self, Event, Kind};
use crate::report::after_pass::{self, AfterPass};
use crate::report::Page;
use crate::{recommend, stats};
use jiff::Timestamp;

/// The facts after a pass of `exercise` in `lang` at `at`. The pass itself need not be in the
/// log yet (it is recorded after the report), nor ever (a read-only workspace): it is added
/// here.
pub fn gather(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    at: Timestamp,
    clock: Option<String>,
) -> AfterPass {
    // Read quietly: the check's own report comes first, and a damaged or unreadable log is
    // reported by the commands that show it (`stats`, `next`), not under every pass.
    let mut events = match cfg.workspace() {
        Ok(ws) if ws.exists() => progress::read(&ws.state_dir())
            .map(|log| log.events)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut pass = Event::new(Kind::Check, &exercise.slug, lang, at);
    (pass.passed, pass.total) = (Some(1), Some(1));
    events.push(pass);
    let catalog = catalog_entries(cfg);
    let figures = stats::compute(&events, &catalog, at, &cfg.tz);
    let default_lang = cfg.default_language();
    AfterPass {
        slug: exercise.slug.clone(),
        lang,
        attempt: stats::attempt(&events, &exercise.slug, lang, at),
        clock,
        next: recommend::next(&figures, &catalog, default_lang, at),
        follow_up_opened: false,
        default_lang,
    }
}

/// The lines under a passing report. When the pass opened a follow-up stage, that is what
/// comes next (announced by `follow_up`), so no other exercise is recommended.
pub fn text(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    at: Timestamp,
    clock: Option<String>,
    follow_up_opened: bool,
    page: &Page,
) -> String {
    let mut after = gather(cfg, exercise, lang, at, clock);
    after.follow_up_opened = follow_up_opened;
    after_pass::render(&after, page)
}

/// `kata.next` in `check --json` after a pass: the exercise `kata next` would recommend and
/// the command for it (`null` when everything is solved).
pub fn next_json(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    at: Timestamp,
) -> serde_json::Value {
    let after = gather(cfg, exercise, lang, at, None);
    match &after.next {
        Some(next) => serde_json::json!({
            "slug": next.slug,
            "language": next.lang.name(),
            "reason": next.reason,
            "command": after_pass::next_command(next, after.default_lang),
        }),
        None => serde_json::Value::Null,
    }
}
