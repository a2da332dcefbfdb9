//! `kata hint`: reveal the exercise's progressive hints one at a time.

use super::{read_log, warn_skipped, Outcome};
use crate::catalog::statement;
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::progress::{self, Event, Kind};
use crate::style::paint;
use anyhow::Result;

pub fn run(cfg: &Config, slug: Option<&str>, lang: Option<Language>) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, slug, lang)?;
    let ws = cfg.workspace()?;
    // On a follow-up stage, that stage's hints.
    let stage = crate::stage_progress::current(&ws.state_dir(), exercise, lang)?;
    let hints = match stage {
        0 => &exercise.meta.hints,
        n => &exercise.stages()?[n as usize - 1].meta.hints,
    };
    let count = |log: &progress::Log| {
        log.events
            .iter()
            .filter(|e| e.event == Kind::Hint && e.slug == exercise.slug && e.lang == lang)
            .filter(|e| e.stage.unwrap_or(0) == stage)
            .count()
    };
    // The count and the new hint event are decided under the log's lock, so hints asked for
    // at the same time (two terminals, a script) are handed out one each, never twice.
    let shown = if ws.exists() {
        let decided = progress::append_after(&ws.state_dir(), |log| {
            warn_skipped(cfg, ws, log);
            let shown = count(log);
            let event = (shown < hints.len()).then(|| {
                let mut event = Event::new(Kind::Hint, &exercise.slug, lang, cfg.now);
                event.hint = Some(shown + 1);
                event.stage = (stage > 0).then_some(stage);
                event
            });
            (shown, event)
        });
        match decided {
            Ok(shown) => shown,
            Err(e) => {
                output::warn(&cfg.err, &format!("progress not recorded: {e:#}"));
                count(&read_log(cfg, ws))
            }
        }
    } else {
        count(&read_log(cfg, ws))
    };
    // A hint may hold language sections, like a statement: the learner sees theirs.
    let hints: Vec<String> = hints
        .iter()
        .map(|h| statement::for_language(h, lang).trim().to_string())
        .collect();
    let s = &cfg.out;
    let mut text = String::new();
    if shown >= hints.len() {
        text.push_str(&format!(
            "All {} hints for {} are revealed:\n",
            hints.len(),
            exercise.slug
        ));
        for (i, hint) in hints.iter().enumerate() {
            text.push_str(&format!(
                "\n{} {hint}\n",
                paint(s.hint, &format!("hint {}:", i + 1))
            ));
        }
    } else {
        let number = shown + 1;
        text.push_str(&format!(
            "{} {}\n",
            paint(s.hint, &format!("hint {number} of {}:", hints.len())),
            hints[shown]
        ));
        if number < hints.len() {
            text.push_str(&paint(
                s.dim,
                "\n(run `kata hint` again for the next one)\n",
            ));
        }
    }
    output::out(&text)?;
    Ok(Outcome::Success)
}
