//! `kata start SLUG`: scaffold an exercise folder and say what to do next.

use super::{record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::progress::{self, Event, Kind};
use crate::stage_progress;
use crate::style::paint;
use crate::workspace::{Source, Workspace};
use anyhow::{Context, Result};

pub fn run(
    cfg: &Config,
    slug: &str,
    lang: Option<Language>,
    timed: Option<Option<u32>>,
) -> Result<Outcome> {
    let exercise = cfg.exercise(slug)?;
    let lang = lang.unwrap_or_else(|| cfg.default_language());
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let started = ws.is_started(lang, slug);
    // On existing work the clock is for the stage the learner is on, with its own budget.
    let stage = match (timed, started) {
        (Some(_), true) => stage_progress::current(&ws.state_dir(), exercise, lang)?,
        _ => 0,
    };
    let budget = exercise
        .time_budget(stage)?
        .unwrap_or(exercise.meta.time_budget_minutes);
    let minutes = timed.map(|m| m.unwrap_or(budget).max(1));
    let mut event = Event::new(Kind::Start, slug, lang, cfg.now);
    event.timed_minutes = minutes;
    event.stage = (stage > 0).then_some(stage);
    if let (Some(minutes), true) = (minutes, started) {
        // Restarting the clock on existing work: nothing is scaffolded or overwritten.
        record_clock(ws, &event)?;
        let of = match stage {
            0 => String::new(),
            n => format!(", follow-up {n}"),
        };
        output::out(&format!(
            "{} for {slug} ({lang}{of}): {minutes} minutes from now; `kata check` shows the time used\n",
            paint(cfg.out.pass, "Interview clock started")
        ))?;
        return Ok(Outcome::Success);
    }
    if ws.create()? {
        let how = match ws.source {
            Source::Default => " (the default: use --workspace DIR or KATA_WORKSPACE for another)",
            _ => "",
        };
        output::note(&format!("created workspace `{}`{how}", ws.root.display()));
    }
    let dir = ws.scaffold(exercise, lang)?;
    if minutes.is_some() {
        record_clock(ws, &event)
            .with_context(|| format!("{slug} is scaffolded in `{}`", dir.display()))?;
    } else {
        record(cfg, ws, &event);
    }
    let s = &cfg.out;
    let file = dir.join(lang.learner_file(slug));
    let text = format!(
        "{} {} ({lang}) in {}\n  {}\n  {}\n\n  read     {}\n  edit     {}\n  examples cd {} && {}\n  check    kata check {slug}\n  hint     kata hint {slug}\n",
        paint(s.pass, "Started"),
        paint(s.bold, &exercise.meta.title),
        dir.display(),
        exercise.meta.summary,
        match minutes {
            Some(m) => format!("interview clock: {m} minutes, starting now"),
            None => format!(
                "time budget in an interview: {} minutes (`--timed` starts a clock)",
                exercise.meta.time_budget_minutes
            ),
        },
        dir.join("README.md").display(),
        file.display(),
        dir.display(),
        lang.examples_command(),
    );
    output::out(&text)?;
    Ok(Outcome::Success)
}

/// The interview clock lives in the progress log: if the start cannot be recorded there is no
/// clock, and saying "started" would be a lie.
fn record_clock(ws: &Workspace, event: &Event) -> Result<()> {
    progress::append(&ws.state_dir(), event).context("the interview clock could not be started")
}
