//! `kata check`: run the hidden cases on the learner's code and report.

use super::{record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::pipeline::{self, Settings};
use crate::progress::{self, Event, Kind};
use crate::style::paint;
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
    let clock = interview_clock(cfg, slug, lang);
    if json {
        let mut report = report_json::render(&verdict);
        if let Some((used, budget)) = clock {
            report["kata"]["timed"] = serde_json::json!({"used_secs": used, "budget_secs": budget});
        }
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        output::out(&text)?;
    } else {
        let mut text = report::render(&verdict, &cfg.out);
        if let Some((used, budget)) = clock {
            let line = if verdict.passed() && used <= budget {
                paint(
                    cfg.out.pass,
                    &format!(
                        "solved in {} of your {} interview clock",
                        clock_text(used),
                        clock_text(budget)
                    ),
                )
            } else if used <= budget {
                format!(
                    "interview clock: {} used of {}",
                    clock_text(used),
                    clock_text(budget)
                )
            } else {
                paint(
                    cfg.out.warning,
                    &format!(
                        "interview clock: {} used, {} over the {} budget",
                        clock_text(used),
                        clock_text(used - budget),
                        clock_text(budget)
                    ),
                )
            };
            text.push_str(&line);
            text.push('\n');
        }
        output::out(&text)?;
    }
    let (passed, failed) = verdict.counts();
    let mut event = Event::new(Kind::Check, slug, lang, cfg.now);
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

/// (seconds used, budget seconds) when a timed start of this exercise has not been passed yet.
fn interview_clock(cfg: &Config, slug: &str, lang: Language) -> Option<(i64, i64)> {
    let ws = cfg.workspace().ok()?;
    let latest = progress::latest(&ws.state_dir(), |e| {
        e.slug == slug && e.lang == lang && (e.event == Kind::Start || e.is_pass())
    })?;
    let minutes = latest
        .timed_minutes
        .filter(|_| latest.event == Kind::Start)?;
    let used = cfg.now.as_second() - latest.ts.as_second();
    Some((used.max(0), i64::from(minutes) * 60))
}

/// Seconds as `m:ss` (or `h:mm:ss`).
fn clock_text(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
