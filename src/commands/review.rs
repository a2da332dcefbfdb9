//! `kata review [SLUG]`: after a pass, the learner's solution beside the reference, the
//! exercise's trade-off notes and the learner's own figures. Refused before a pass (it is not a
//! peek: `kata solution --reveal` is); recorded in progress as a review.

use super::{read_log, record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::progress::{Event, Kind};
use crate::review::{ProbeFigure, Review};
use crate::{output, report, review, stats};
use anyhow::{bail, Context, Result};

pub fn run(cfg: &Config, slug: Option<&str>, lang: Option<Language>) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, slug, lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    let events: Vec<Event> = if ws.exists() {
        read_log(cfg, ws)
            .events
            .into_iter()
            .filter(|e| e.slug == slug && e.lang == lang)
            .collect()
    } else {
        Vec::new()
    };
    let Some(last_pass) = events.iter().rev().find(|e| e.is_pass()) else {
        bail!(
            "{slug} ({lang}) is not solved yet: `kata review` sets a passing solution beside the reference, so pass `kata check {slug} --lang {lang}` first (`kata solution {slug} --lang {lang} --reveal` shows the reference now, recorded as peeked)"
        );
    };
    let file = ws.learner_file(lang, slug);
    let mine = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "cannot read your solution `{}` (`kata solution {slug} --lang {lang}` shows the reference alone)",
            file.display()
        )
    })?;
    // The stage the learner has passed: its reference, and the probes graded up to it.
    let stage = crate::stage_progress::highest_passed(&ws.state_dir(), slug, lang).unwrap_or(0);
    let probes = exercise
        .probes(lang, crate::catalog::StageSelection::Through(stage))?
        .into_iter()
        .map(|p| {
            let growth = p.sizes.last().copied().unwrap_or(1) as f64 / p.sizes[0].max(1) as f64;
            ProbeFigure {
                ratio: last_pass
                    .probe_ratios
                    .as_ref()
                    .and_then(|r| r.get(&p.name).copied()),
                limit: growth.powf(p.max_exponent),
                growth,
                what: p.what,
                subject: p.subject,
                name: p.name,
            }
        })
        .collect();
    let catalog = super::catalog_entries(cfg);
    let figures = stats::compute(&events, &catalog, cfg.now, &cfg.tz);
    let notes = exercise.notes(lang)?;
    let page = report::Page {
        styles: cfg.out,
        width: cfg.width,
    };
    let text = review::render(
        &Review {
            title: &exercise.meta.title,
            lang,
            learner_file: &lang.learner_file(slug),
            mine: &mine,
            reference: exercise.reference(lang, stage)?,
            notes: notes.as_deref(),
            stats: &figures.exercises[0],
            hints_total: exercise.meta.hints.len(),
            probes,
        },
        &page,
    );
    output::out(&text)?;
    record(cfg, ws, &Event::new(Kind::Review, slug, lang, cfg.now));
    Ok(Outcome::Success)
}
