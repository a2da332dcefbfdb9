//! `kata check` (and `kata watch`): run the hidden cases on the learner's code and report,
//! once or on every save.

use super::{record, warn_unconfined, Outcome};
use crate::catalog::Exercise;
use crate::config::Config;
use crate::lang::Language;
use crate::pipeline::{self, Cancelled, Settings, Verdict};
use crate::progress::{self, Event, Kind};
use crate::spinner::Spinner;
use crate::style::paint;
use crate::watch::{self, Wait};
use crate::{interrupt, output, report, report_json};
use anyhow::{bail, Result};
use std::io::IsTerminal;
use std::sync::atomic::AtomicBool;

pub fn run(
    cfg: &Config,
    slug: Option<&str>,
    lang: Option<Language>,
    json: bool,
    watch: bool,
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
    if !watch {
        let mode = if json { Mode::Json } else { Mode::Report };
        return Ok(check_once(cfg, exercise, lang, mode, interrupt::flag())?.0);
    }
    watch_loop(cfg, exercise, lang)
}

/// How a check is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Report,
    Json,
    /// A full report when failing, nothing when passing (watch mode prints one line).
    Watch,
}

/// One check, reported and recorded.
fn check_once(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    mode: Mode,
    cancel: &AtomicBool,
) -> Result<(Outcome, Verdict)> {
    let json = mode == Mode::Json;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    let dir = ws.exercise_dir(lang, slug);
    warn_unconfined(cfg);
    let spinner = Spinner::start(!json, &format!("{slug} ({lang})"));
    let on_step = |step: &str| spinner.step(step);
    let settings = Settings {
        tools: &cfg.tools,
        timeout: cfg.timeout(),
        cancel,
        on_step: &on_step,
    };
    let verdict = pipeline::check(&settings, &cfg.catalog, exercise, lang, &dir);
    drop(spinner);
    let verdict = verdict?;
    let clock = interview_clock(cfg, slug, lang);
    if json {
        let mut report = report_json::render(&verdict);
        if let Some((used, budget)) = clock {
            report["kata"]["timed"] = serde_json::json!({"used_secs": used, "budget_secs": budget});
        }
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        output::out(&text)?;
    } else if !(mode == Mode::Watch && verdict.passed()) {
        let mut text = report::render(&verdict, &cfg.out);
        if let Some(line) = clock.map(|(used, budget)| clock_line(cfg, &verdict, used, budget)) {
            text.push_str(&line);
            text.push('\n');
        }
        output::out(&text)?;
    }
    let (passed, failed) = verdict.counts();
    let mut event = Event::new(Kind::Check, slug, lang, cfg.clock());
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
    let outcome = if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    Ok((outcome, verdict))
}

/// Checks on every save until Ctrl-C; the exit status is the last check's.
fn watch_loop(cfg: &Config, exercise: &Exercise, lang: Language) -> Result<Outcome> {
    let ws = cfg.workspace()?;
    let dir = ws.exercise_dir(lang, &exercise.slug);
    let file = ws.learner_file(lang, &exercise.slug);
    let shown = lang.learner_file(&exercise.slug);
    let stop = interrupt::flag();
    let terminal = std::io::stdout().is_terminal();
    let mut last = Outcome::Failure;
    let mut first = true;
    let result = watch::run(
        &dir,
        &file,
        lang.extension(),
        stop,
        || {
            if terminal {
                output::clear_screen()?;
            } else if !first {
                output::out(&format!("\n--- {shown} changed: checking again ---\n\n"))?;
            }
            first = false;
            let (outcome, verdict) = match check_once(cfg, exercise, lang, Mode::Watch, stop) {
                Err(e) if e.is::<Cancelled>() => return Ok(()),
                other => other?,
            };
            last = outcome;
            let status = if verdict.passed() {
                let (passed, failed) = verdict.counts();
                format!(
                    "{} {} ({lang}): {passed} passed, {failed} failed; ",
                    paint(cfg.out.pass, "✓"),
                    exercise.slug
                )
            } else {
                String::new()
            };
            output::out(&format!(
                "{status}{}\n",
                paint(
                    cfg.out.dim,
                    &format!("watching {shown} for changes (Ctrl-C to stop)")
                )
            ))?;
            Ok(())
        },
        |wait| match wait {
            Wait::Missing => {
                let _ = output::out(&format!("{shown} is gone: waiting for it to come back\n"));
            }
        },
    );
    result?;
    Ok(last)
}

/// The interview clock under a report.
fn clock_line(cfg: &Config, verdict: &Verdict, used: i64, budget: i64) -> String {
    if verdict.passed() && used <= budget {
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
    }
}

/// (seconds used, budget seconds) when a timed start of this exercise has not been passed yet.
fn interview_clock(cfg: &Config, slug: &str, lang: Language) -> Option<(i64, i64)> {
    let ws = cfg.workspace().ok()?;
    let needle = format!("\"{slug}\"");
    let latest = progress::latest(&ws.state_dir(), &needle, |e| {
        e.slug == slug && e.lang == lang && (e.event == Kind::Start || e.is_pass())
    })?;
    let minutes = latest
        .timed_minutes
        .filter(|_| latest.event == Kind::Start)?;
    let used = cfg.clock().as_second() - latest.ts.as_second();
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
