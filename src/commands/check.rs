//! `kata check` (and `kata watch`): run the hidden cases on the learner's code and report,
//! once or on every save.

use super::watch_next::Offer;
use super::{follow_up, record, warn_unconfined, Outcome};
use crate::catalog::{Exercise, StageSelection};
use crate::config::Config;
use crate::lang::Language;
use crate::pipeline::{self, Cancelled, Settings};
use crate::progress::{self, Event, Kind};
use crate::spinner::Spinner;
use crate::style::paint;
use crate::verdict::Verdict;
use crate::watch::{self, Wait};
use crate::{interrupt, output, report, report_json, stage_progress};
use anyhow::{bail, Result};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// What `kata check` was asked.
pub struct Request<'a> {
    pub slug: Option<&'a str>,
    pub lang: Option<Language>,
    pub json: bool,
    pub watch: bool,
    pub seed: u64,
    /// Grade this stage alone (`--stage N`) instead of the current one and every earlier.
    pub stage: Option<u32>,
}

pub fn run(cfg: &Config, request: &Request) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, request.slug, request.lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    if !ws.is_started(lang, slug) {
        if ws.exercise_dir(lang, slug).is_dir() {
            bail!(
                "`{}` is missing: `kata reset {slug} --lang {lang}` writes the starter again (earlier versions kata saved are in `{}`)",
                ws.learner_file(lang, slug).display(),
                ws.state_dir().join("backups").display()
            );
        }
        bail!(
            "{slug} ({lang}) is not started in `{}`: run `kata start {slug} --lang {lang}` first",
            ws.root.display()
        );
    }
    let stages = exercise.stages()?.len() as u32;
    if let Some(stage) = request.stage.filter(|s| *s > stages) {
        bail!(
            "{slug} has {} (`--stage 0` is the exercise itself): there is no stage {stage}",
            match stages {
                0 => "no follow-up stages".to_string(),
                1 => "1 follow-up stage".to_string(),
                n => format!("{n} follow-up stages"),
            }
        );
    }
    let options = Options {
        seed: request.seed,
        stage: request.stage,
    };
    if !request.watch {
        let mode = if request.json {
            Mode::Json
        } else {
            Mode::Report
        };
        return Ok(check_once(cfg, exercise, lang, mode, &options, interrupt::flag())?.0);
    }
    super::watch_next::session(cfg, exercise, lang, |exercise, lang, offer| {
        watch_loop(cfg, exercise, lang, &options, offer)
    })
}

/// How a check runs besides the exercise: the seed of explored schedules, and the stage
/// graded alone, if one was asked for.
struct Options {
    seed: u64,
    stage: Option<u32>,
}

/// `kata check --case NAME`: one case, in full (every operation, the learner's output).
/// Not recorded in progress: it is a look at one case, not a check of the solution.
pub fn run_case(
    cfg: &Config,
    slug: Option<&str>,
    lang: Option<Language>,
    case: &str,
    seed: u64,
) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, slug, lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    if !ws.is_started(lang, slug) {
        bail!(
            "{slug} ({lang}) is not started in `{}`: run `kata start {slug} --lang {lang}` first",
            ws.root.display()
        );
    }
    let spinner = Spinner::start(true, &format!("{slug} ({lang}), case {case}"));
    let on_step = |step: &str| spinner.step(step);
    let settings = Settings {
        tools: &cfg.tools,
        timeout: cfg.timeout(),
        cancel: interrupt::flag(),
        on_step: &on_step,
        verify_digests: true,
        only_case: Some(case),
        stages: StageSelection::Through(stage_progress::current(&ws.state_dir(), exercise, lang)?),
        seed,
    };
    let dir = ws.exercise_dir(lang, slug);
    let verdict = pipeline::check(&settings, &cfg.catalog, exercise, lang, &dir);
    drop(spinner);
    let verdict = verdict?;
    let page = report::Page {
        styles: cfg.out,
        width: cfg.width,
    };
    output::out(&report::render_case(&verdict, &page))?;
    Ok(if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    })
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
    options: &Options,
    cancel: &AtomicBool,
) -> Result<(Outcome, Verdict)> {
    let json = mode == Mode::Json;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    let dir = ws.exercise_dir(lang, slug);
    let stages = match options.stage {
        Some(stage) => StageSelection::Only(stage),
        None => StageSelection::Through(stage_progress::current(&ws.state_dir(), exercise, lang)?),
    };
    warn_unconfined(cfg);
    // The interview clock reads the time the check started, not how long it took.
    let started_at = cfg.clock();
    let spinner = Spinner::start(!json, &format!("{slug} ({lang})"));
    let on_step = |step: &str| spinner.step(step);
    let settings = Settings {
        tools: &cfg.tools,
        timeout: cfg.timeout(),
        cancel,
        on_step: &on_step,
        verify_digests: true,
        only_case: None,
        stages,
        seed: options.seed,
    };
    let verdict = pipeline::check(&settings, &cfg.catalog, exercise, lang, &dir);
    drop(spinner);
    let verdict = verdict?;
    let clock = interview_clock(cfg, exercise, lang, started_at)?;
    // Passing the current stage opens the next follow-up: its prompt under the report, its
    // rules appended to the workspace README (kata's file, never the learner's).
    let opened = match stages {
        StageSelection::Through(current) if verdict.passed() => {
            follow_up::open_next(ws, exercise, lang, current)?
        }
        _ => None,
    };
    if json {
        let mut report = report_json::render(&verdict);
        if let Some((used, budget)) = clock {
            report["kata"]["timed"] = serde_json::json!({"used_secs": used, "budget_secs": budget});
        }
        if verdict.passed() && !matches!(stages, StageSelection::Only(_)) {
            report["kata"]["next"] = super::after_pass::next_json(cfg, exercise, lang, started_at);
        }
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        output::out(&text)?;
    } else if !(mode == Mode::Watch && verdict.passed()) {
        let page = report::Page {
            styles: cfg.out,
            width: cfg.width,
        };
        let mut text = report::render(&verdict, &page);
        let clock = clock.map(|(used, budget)| clock_line(cfg, &verdict, used, budget));
        if let (StageSelection::Only(stage), true) = (stages, verdict.passed()) {
            // One stage alone passing is a look, not a solve: no "solved", no next exercise.
            text.push_str(&only_stage_passed(stage, &page));
        } else if verdict.passed() {
            let after = super::after_pass::text(
                cfg,
                exercise,
                lang,
                started_at,
                clock,
                opened.is_some(),
                &page,
            );
            text.push_str(&after);
        } else if let Some(line) = clock {
            text.push_str(&line);
            text.push('\n');
        }
        if let Some(opened) = &opened {
            text.push_str(&follow_up::announce(opened, &page));
        }
        output::out(&text)?;
    } else if let Some(opened) = &opened {
        let page = report::Page {
            styles: cfg.out,
            width: cfg.width,
        };
        output::out(&follow_up::announce(opened, &page))?;
    }
    let (passed, failed) = verdict.counts();
    let mut event = Event::new(Kind::Check, slug, lang, started_at);
    event.passed = Some(passed);
    event.total = Some(passed + failed);
    event.duration_ms = Some(verdict.duration.as_millis() as u64);
    (event.stage, event.stage_only) = match stages {
        StageSelection::Through(0) => (None, false),
        StageSelection::Through(stage) => (Some(stage), false),
        StageSelection::Only(stage) => (Some(stage), true),
    };
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
    event.watch = mode == Mode::Watch;
    event.probe_ratios = verdict.probe_ratios();
    record(cfg, ws, &event);
    let outcome = if verdict.passed() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    Ok((outcome, verdict))
}

/// The line under a passing `kata check --stage N`.
fn only_stage_passed(stage: u32, page: &report::Page) -> String {
    let label = match stage {
        0 => "The base exercise".to_string(),
        n => format!("Follow-up {n}"),
    };
    let line = format!(
        "{label} passes on its own. `kata check` grades it with every other stage you have \
         opened; only that counts as solved."
    );
    format!("\n{}", page.indented(0, &line))
}

/// Checks on every save until Ctrl-C or until the learner takes the offer to move on (see
/// `watch_next`); the exit status is the last check's.
fn watch_loop(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    options: &Options,
    offer: &Offer,
) -> Result<Outcome> {
    let ws = cfg.workspace()?;
    let dir = ws.exercise_dir(lang, &exercise.slug);
    let file = ws.learner_file(lang, &exercise.slug);
    let shown = lang.learner_file(&exercise.slug);
    let stop = interrupt::flag();
    let terminal = std::io::stdout().is_terminal();
    let mut last = Outcome::Failure;
    let mut run = 0;
    let result = watch::run(
        &dir,
        &file,
        lang.extension(),
        || stop.load(Ordering::Relaxed) || offer.taken(),
        || {
            if terminal {
                output::clear_screen()?;
            } else if run > 0 {
                output::out(&format!("\n--- {shown} changed: checking again ---\n\n"))?;
            }
            run += 1;
            let (outcome, verdict) =
                match check_once(cfg, exercise, lang, Mode::Watch, options, stop) {
                    Err(e) if e.is::<Cancelled>() => return Ok(()),
                    other => other?,
                };
            last = outcome;
            // A status line on every run, with the time and the run's number: a re-check with
            // the same result still visibly happened.
            let time = cfg.tz.to_datetime(cfg.clock()).strftime("%H:%M:%S");
            let status = if verdict.passed() {
                format!(
                    "{} {} ({lang}): {}",
                    paint(cfg.out.pass, "✓"),
                    exercise.slug,
                    verdict.summary()
                )
            } else {
                format!(
                    "{} {} ({lang}): {}",
                    paint(cfg.out.fail, "✗"),
                    exercise.slug,
                    verdict.summary()
                )
            };
            output::out(&format!(
                "{} {status}\n{}\n",
                paint(cfg.out.dim, &format!("[{time}] run {run}")),
                paint(
                    cfg.out.dim,
                    &format!("watching {shown} for changes (Ctrl-C to stop)")
                )
            ))?;
            output::out(&offer.after_check(cfg, exercise, lang, verdict.passed()))?;
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

/// (seconds used, budget seconds) when the exercise was started timed and its current stage
/// has not been passed yet: each follow-up stage gets its own clock, from the pass of the
/// stage before (its budget from stage.toml, else the exercise's).
fn interview_clock(
    cfg: &Config,
    exercise: &Exercise,
    lang: Language,
    now: jiff::Timestamp,
) -> Result<Option<(i64, i64)>> {
    let Ok(ws) = cfg.workspace() else {
        return Ok(None);
    };
    let slug = exercise.slug.as_str();
    let needle = format!("\"{slug}\"");
    let Some(latest) = progress::latest(&ws.state_dir(), &needle, |e| {
        e.slug == slug
            && e.lang == lang
            && (e.event == Kind::Start || (e.is_pass() && !e.stage_only))
    }) else {
        return Ok(None);
    };
    let (since, minutes) = match latest.event {
        Kind::Start => match latest.timed_minutes {
            Some(minutes) => (latest.ts, minutes),
            None => return Ok(None),
        },
        _ => {
            // A pass: the next stage's clock runs if the exercise was started timed.
            let next = latest.stage.unwrap_or(0) + 1;
            let Some(minutes) = exercise.time_budget(next)? else {
                return Ok(None);
            };
            let timed = progress::latest(&ws.state_dir(), &needle, |e| {
                e.slug == slug && e.lang == lang && e.event == Kind::Start
            })
            .is_some_and(|start| start.timed_minutes.is_some());
            if !timed {
                return Ok(None);
            }
            (latest.ts, minutes)
        }
    };
    let used = now.as_second() - since.as_second();
    Ok(Some((used.max(0), i64::from(minutes) * 60)))
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
