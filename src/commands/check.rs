//! `kata check`: run the hidden cases on the learner's code and report.

use super::{record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::pipeline::{self, Settings};
use crate::progress::{Event, Kind};
use crate::{output, report, report_json};
use anyhow::{bail, Result};

pub fn run(
    cfg: &Config,
    slug: Option<&str>,
    lang: Option<Language>,
    json: bool,
) -> Result<Outcome> {
    let (exercise, lang) = cfg.target(slug, lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    if !ws.is_started(lang, slug) {
        bail!(
            "{slug} ({lang}) is not started in `{}`: run `kata start {slug} --lang {lang}` first",
            ws.root.display()
        );
    }
    let dir = ws.exercise_dir(lang, slug);
    let settings = Settings {
        tools: &cfg.tools,
        timeout: cfg.timeout(),
    };
    let verdict = pipeline::check(&settings, &cfg.catalog, exercise, lang, &dir)?;
    if json {
        let mut text = serde_json::to_string_pretty(&report_json::render(&verdict))?;
        text.push('\n');
        output::out(&text)?;
    } else {
        output::out(&report::render(&verdict, &cfg.out))?;
    }
    let (passed, failed) = verdict.counts();
    let mut event = Event::new(Kind::Check, slug, lang);
    event.passed = Some(passed);
    event.total = Some(passed + failed);
    event.duration_ms = Some(verdict.duration.as_millis() as u64);
    event.first_failing = verdict
        .first_failure()
        .map(|(_, c)| c.name.clone())
        .or_else(|| {
            verdict
                .probes
                .iter()
                .find(|p| !p.passed())
                .map(|p| p.name().to_string())
        });
    record(cfg, ws, &event);
    Ok(if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
