//! `kata verify`: the catalog's self-test. For every exercise and language, in a scratch
//! workspace: the reference solution passes every case and probe, the starter loads and
//! fails, every mutant is caught by the case it names, and the visible examples pass with the
//! reference and fail with the starter.

use super::scratch::Scratch;
use super::Outcome;
use crate::catalog::{Catalog, Exercise, StageSelection};
use crate::config::Config;
use crate::grade::Status;
use crate::lang::Language;
use crate::pipeline;
use crate::runner::{self, process};
use crate::style::paint;
use crate::verdict::{ProbeOutcome, Verdict};
use crate::workspace;
use crate::{interrupt, output};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub fn run(
    cfg: &Config,
    slug: Option<&str>,
    lang: Option<Language>,
    catalog_dir: Option<&Path>,
    jobs: Option<u16>,
) -> Result<Outcome> {
    let loaded;
    let catalog = match catalog_dir {
        Some(dir) => {
            loaded = Catalog::from_dir(dir)?;
            &loaded
        }
        None => &cfg.catalog,
    };
    let exercises: Vec<&Exercise> = match slug {
        Some(slug) => match catalog.get(slug) {
            Some(exercise) => vec![exercise],
            None if catalog.broken().iter().any(|(b, _)| b == slug) => Vec::new(),
            None => vec![cfg.exercise(slug)?],
        },
        None => catalog.exercises().iter().collect(),
    };
    let s = &cfg.out;
    if !catalog.has_mutants() {
        output::note(
            "note: the mutants are not in the installed binary: run `kata verify --catalog DIR` in a checkout of kata to check them too",
        );
    }
    let started = Instant::now();
    let mut problems = 0;
    for (broken, why) in catalog.broken() {
        if slug.is_none_or(|s| s == broken) {
            output::out(&format!(
                "{} {broken}\n    {} {why}\n",
                paint(s.fail, "✗"),
                paint(s.fail, "-")
            ))?;
            problems += 1;
        }
    }
    // What runs: every track of an exercise without static problems; the others are
    // reported as they come, in catalog order.
    let mut items = Vec::new();
    for exercise in exercises {
        let found = static_problems(exercise);
        if found.is_empty() {
            for l in exercise.languages() {
                if lang.is_none_or(|want| want == l) {
                    items.push(Item::Track(exercise, l));
                }
            }
        } else {
            items.push(Item::Static(exercise, found));
        }
    }
    let checked = items
        .iter()
        .filter(|item| matches!(item, Item::Track(..)))
        .count();
    let workers = jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let report = |item: &Item| -> Result<(String, Vec<String>)> {
        match item {
            Item::Track(exercise, l) => {
                let (summary, found) = verify_language(cfg, catalog, exercise, *l)?;
                let mark = if found.is_empty() {
                    paint(s.pass, "✓")
                } else {
                    paint(s.fail, "✗")
                };
                let head = format!("{mark} {:<20} {:<7} {summary}", exercise.slug, l.name());
                Ok((head, found))
            }
            Item::Static(exercise, found) => Ok((
                format!("{} {}", paint(s.fail, "✗"), exercise.slug),
                found.clone(),
            )),
        }
    };
    in_parallel(&items, workers, report, &mut |result| {
        let (head, found) = result?;
        output::out(&format!("{head}\n"))?;
        for problem in &found {
            output::out(&format!("    {} {problem}\n", paint(s.fail, "-")))?;
        }
        problems += found.len();
        Ok(())
    })?;
    let summary = format!(
        "\nverified {checked} exercise tracks in {:.1} s: {problems} problem{}\n",
        started.elapsed().as_secs_f64(),
        if problems == 1 { "" } else { "s" }
    );
    output::out(&paint(
        if problems == 0 { s.pass } else { s.fail },
        &summary,
    ))?;
    Ok(if problems == 0 {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}

/// One line of verify's report: a track to run, or an exercise with static problems.
enum Item<'a> {
    Track(&'a Exercise, Language),
    Static(&'a Exercise, Vec<String>),
}

/// Runs `work` on every item with up to `workers` threads and hands each result to `done` in
/// the items' order, as soon as it and every earlier one are finished. The first error from
/// `done` stops the handing (the running work finishes; nothing new starts).
fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(&T) -> R + Sync,
    done: &mut dyn FnMut(R) -> Result<()>,
) -> Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                if tx.send((i, work(&items[i]))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut waiting: Vec<Option<R>> = items.iter().map(|_| None).collect();
        let mut printed = 0;
        for (i, result) in rx {
            waiting[i] = Some(result);
            while printed < items.len() {
                let Some(result) = waiting[printed].take() else {
                    break;
                };
                if let Err(e) = done(result) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                printed += 1;
            }
        }
        Ok(())
    })
}

/// Problems found without running anything.
fn static_problems(exercise: &Exercise) -> Vec<String> {
    let mut problems = Vec::new();
    let cases = match exercise.cases() {
        Ok(cases) => cases,
        Err(e) => return vec![e.to_string()],
    };
    if !cases.cases.iter().any(|c| c.example) {
        problems.push("no case is marked `example`".to_string());
    }
    if exercise.languages().is_empty() {
        problems.push("no language has a starter".to_string());
    }
    problems.extend(exercise.stale_random_cases());
    problems.extend(hints_for_the_wrong_language(exercise));
    problems.extend(stage_addenda_with_headings(exercise));
    for lang in exercise.languages() {
        for (what, result) in [
            ("driver", exercise.driver(lang).map(|_| ())),
            ("reference", exercise.reference(lang, 0).map(|_| ())),
            ("statement", exercise.statement(lang).map(|_| ())),
        ] {
            if let Err(e) = result {
                problems.push(format!("{lang} {what}: {e}"));
            }
        }
        if let Err(e) = workspace::scaffold_files(exercise, lang) {
            problems.push(format!("{lang}: {e:#}"));
        }
        let stages = match exercise.stages() {
            Ok(stages) => stages.len() as u32,
            Err(e) => {
                problems.push(format!("{e:#}"));
                0
            }
        };
        for stage in 0..=stages {
            if stage > 0 {
                if let Err(e) = exercise.reference(lang, stage) {
                    problems.push(format!("{lang} stage {stage} reference: {e:#}"));
                }
            }
            for name in exercise.mutant_names(lang, stage).unwrap_or_default() {
                if let Err(e) = exercise.mutant(lang, stage, &name) {
                    problems.push(format!("{lang}: {e:#}"));
                }
            }
        }
        match exercise.probes(lang, StageSelection::Through(u32::MAX)) {
            Ok(probes) => {
                let unrecorded = |p: &&crate::catalog::case::Probe| {
                    p.sizes
                        .iter()
                        .any(|s| !p.digests.iter().any(|(d, _)| d == s))
                };
                for probe in probes.iter().filter(unrecorded) {
                    problems.push(format!(
                        "{lang}: probe `{}` has no digest of the reference's results at every size: run `kata generate --catalog DIR {}`",
                        probe.name, exercise.slug
                    ));
                }
            }
            Err(e) => problems.push(format!("{e:#}")),
        }
        if let Ok(driver) = exercise.driver(lang) {
            for probe in &cases.probes {
                if !driver.contains(&probe.workload) {
                    problems.push(format!(
                        "{lang} driver has no workload `{}` for probe `{}`",
                        probe.workload, probe.name
                    ));
                }
            }
        }
    }
    problems
}

/// Runs every variant of one exercise track; returns a one-line summary and the problems.
fn verify_language(
    cfg: &Config,
    catalog: &Catalog,
    exercise: &Exercise,
    lang: Language,
) -> Result<(String, Vec<String>)> {
    let scratch = Scratch::new(cfg, catalog, exercise, lang, "verify")?;
    let dir = scratch.dir.clone();
    let base = StageSelection::Through(0);
    let mut problems = Vec::new();

    let started = Instant::now();
    let reference = scratch.check(exercise.reference(lang, 0)?, base, true, None)?;
    let reference_time = started.elapsed();
    if !reference.passed() {
        problems.push(format!("reference fails: {}", explain(&reference)));
    }
    let examples_pass = examples(cfg, lang, &dir, &exercise.slug)?;
    if let Err(why) = &examples_pass {
        problems.push(format!("visible examples fail with the reference: {why}"));
    }

    let starter = scratch.check(exercise.starter(lang)?, base, true, None)?;
    if !starter.compiled || starter.setup.is_some() {
        problems.push(format!(
            "starter does not load cleanly: {}",
            explain(&starter)
        ));
    } else if starter.passed() {
        problems.push("starter passes every case".to_string());
    }
    if examples(cfg, lang, &dir, &exercise.slug)?.is_ok() {
        problems.push("visible examples pass with the starter".to_string());
    }

    // The installed binary carries no mutants: only a catalog folder has them.
    let with_mutants = catalog.has_mutants();
    let mut caught = 0;
    let mut total = 0;
    let stages = exercise.stages()?.len() as u32;
    for stage in 0..=stages {
        let graded = StageSelection::Through(stage);
        if stage > 0 {
            // The stage's reference passes it and every earlier one; the previous stage's
            // reference fails it (else the stage asks nothing new).
            let reference = scratch.check(exercise.reference(lang, stage)?, graded, true, None)?;
            if !reference.passed() {
                problems.push(format!(
                    "stage {stage} reference fails: {}",
                    explain(&reference)
                ));
            }
            let previous = scratch.check(
                exercise.reference(lang, stage - 1)?,
                StageSelection::Only(stage),
                true,
                None,
            )?;
            if previous.passed() {
                problems.push(format!(
                    "the stage {} reference passes stage {stage}",
                    stage - 1
                ));
            }
        }
        let mutants: Vec<_> = exercise
            .mutant_names(lang, stage)?
            .iter()
            .map(|name| exercise.mutant(lang, stage, name))
            .collect::<Result<_>>()?;
        let minimum = if stage == 0 { 6 } else { 3 };
        if with_mutants && mutants.len() < minimum {
            problems.push(format!(
                "{}only {} mutants (at least {minimum} expected)",
                stage_label(stage),
                mutants.len()
            ));
        }
        total += mutants.len();
        for mutant in &mutants {
            // The case it names alone first (fast); a whole check only when that passes,
            // so a case that catches it only after the earlier ones ran still counts.
            let alone = scratch.check(&mutant.source, graded, true, Some(&mutant.caught_by));
            let verdict = match alone {
                Ok(verdict) if caught_by(&verdict, &mutant.caught_by) == Some(true) => verdict,
                _ => scratch.check(&mutant.source, graded, true, None)?,
            };
            match caught_by(&verdict, &mutant.caught_by) {
                Some(true) => caught += 1,
                Some(false) => problems.push(format!(
                    "{}mutant `{}` ({}) is not caught by `{}`: {}",
                    stage_label(stage),
                    mutant.name,
                    mutant.bug,
                    mutant.caught_by,
                    explain(&verdict)
                )),
                None => problems.push(format!(
                    "{}mutant `{}` names `{}`, which is not a case or probe",
                    stage_label(stage),
                    mutant.name,
                    mutant.caught_by
                )),
            }
        }
    }
    let (passed, failed) = reference.counts();
    let mutants_line = if with_mutants {
        format!("{caught}/{total} mutants caught")
    } else {
        "mutants not checked".to_string()
    };
    let mutants_line = match stages {
        0 => mutants_line,
        1 => format!("1 follow-up, {mutants_line}"),
        n => format!("{n} follow-ups, {mutants_line}"),
    };
    let summary = format!(
        "reference {}/{} in {:.2} s, starter fails, {mutants_line}, examples {}",
        passed,
        passed + failed,
        reference_time.as_secs_f64(),
        if examples_pass.is_ok() {
            "pass"
        } else {
            "FAIL"
        }
    );
    Ok((summary, problems))
}

/// Hints that, as one language's learner reads them, talk about the other language: such a
/// passage belongs in a `<!-- python -->`/`<!-- rust -->` section. Progressive hints, stage
/// titles and prompts, case and probe hints, and the rules of random cases (shown as hints).
fn hints_for_the_wrong_language(exercise: &Exercise) -> Vec<String> {
    // (where, text, the languages that read it)
    let every = exercise.languages();
    let mut texts: Vec<(String, &str, Vec<Language>)> = Vec::new();
    for hint in &exercise.meta.hints {
        texts.push(("a hint".into(), hint, every.clone()));
    }
    let mut case_files = Vec::new();
    if let Ok(cases) = exercise.cases() {
        case_files.push((0, cases));
    }
    if let Ok(stages) = exercise.stages() {
        for stage in stages {
            let at = stage_label(stage.number);
            texts.push((format!("{at}the title"), &stage.meta.title, every.clone()));
            texts.push((format!("{at}the prompt"), &stage.meta.prompt, every.clone()));
            for hint in &stage.meta.hints {
                texts.push((format!("{at}a hint"), hint, every.clone()));
            }
            case_files.push((stage.number, &stage.cases));
        }
    }
    for (stage, file) in case_files {
        let at = stage_label(stage);
        for case in &file.cases {
            let readers = every.iter().copied().filter(|l| case.applies_to(*l));
            texts.push((
                format!("{at}case `{}`'s hint", case.name),
                &case.hint,
                readers.collect(),
            ));
        }
        for probe in &file.probes {
            texts.push((
                format!("{at}probe `{}`'s hint", probe.name),
                &probe.hint,
                every.clone(),
            ));
        }
    }
    let rules = exercise
        .random_spec()
        .ok()
        .flatten()
        .map(|spec| spec.rules())
        .unwrap_or_default();
    for (op, rule) in &rules {
        texts.push((format!("the random rule of `{op}`"), rule, every.clone()));
    }
    let mut problems = Vec::new();
    for (what, text, readers) in texts {
        for lang in readers {
            let other = match lang {
                Language::Python => "Rust",
                Language::Rust => "Python",
            };
            let shown = crate::catalog::statement::for_language(text, lang);
            let mentions = shown
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == other);
            if mentions {
                problems.push(format!(
                    "{what} mentions {other} where a {lang} learner reads it: put that part in a <!-- {} --> section (\"{}...\")",
                    other.to_lowercase(),
                    text.chars().take(60).collect::<String>()
                ));
            }
        }
    }
    problems
}

/// kata heads a stage's addendum itself ("## Follow-up N of M: Title"), so an addendum that
/// starts with its own heading would show two.
fn stage_addenda_with_headings(exercise: &Exercise) -> Vec<String> {
    let Ok(stages) = exercise.stages() else {
        return Vec::new();
    };
    stages
        .iter()
        .filter(|stage| {
            stage
                .statement
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty() && !line.starts_with("<!--"))
                .is_some_and(|line| line.starts_with('#'))
        })
        .map(|stage| {
            format!(
                "stage {}: statement.md starts with a heading; kata adds \"Follow-up {} of N: {}\" itself",
                stage.number, stage.number, stage.meta.title
            )
        })
        .collect()
}

fn stage_label(stage: u32) -> String {
    match stage {
        0 => String::new(),
        n => format!("stage {n}: "),
    }
}

/// Whether the case or probe `name` failed in `verdict` (`None`: there is no such one).
fn caught_by(verdict: &Verdict, name: &str) -> Option<bool> {
    if let Some(case) = verdict.cases.iter().find(|c| c.name == name) {
        return Some(case.status != Status::Pass);
    }
    match verdict.probes.iter().find(|p| p.name() == name)? {
        ProbeOutcome::Judged(v) => Some(!v.passed),
        ProbeOutcome::Skipped { .. } => Some(false),
    }
}

/// What failed in a verdict, in one line.
pub(super) fn explain(verdict: &Verdict) -> String {
    if !verdict.compiled {
        let text = crate::text::strip_ansi(&verdict.diagnostics.rendered);
        return format!(
            "does not compile: {}",
            text.lines().next().unwrap_or_default()
        );
    }
    if let Some(setup) = &verdict.setup {
        return format!("{setup:?}");
    }
    // A run that stopped (a time limit on a busy machine, a crash) says so first.
    let stopped = verdict
        .stop
        .as_ref()
        .map(|(stop, at)| {
            format!(
                "stopped: {}; ",
                crate::verdict::describe_stop(stop, at.as_ref())
            )
        })
        .unwrap_or_default();
    let mut failing: Vec<String> = verdict
        .cases
        .iter()
        .filter(|c| c.status != Status::Pass)
        .map(|c| match c.first_divergence.map(|i| &c.rows[i]) {
            Some(row) => format!(
                "{} (`{}` expected `{}`, got `{}`)",
                c.name,
                row.op,
                row.expected,
                row.actual.as_deref().unwrap_or("nothing")
            ),
            None => c.name.clone(),
        })
        .collect();
    for probe in &verdict.probes {
        match probe {
            ProbeOutcome::Judged(v) if !v.passed => {
                failing.push(format!("{}: {}", v.name, v.message));
            }
            ProbeOutcome::Skipped { name, reason } => {
                failing.push(format!("{name} not run: {reason}"));
            }
            ProbeOutcome::Judged(_) => {}
        }
    }
    failing.extend(
        verdict
            .restored
            .iter()
            .map(|what| format!("restored: {what}")),
    );
    failing.extend(
        verdict
            .left_running
            .iter()
            .map(|what| format!("left running: {what}")),
    );
    if failing.is_empty() {
        format!("{stopped}every case passed")
    } else {
        let total = failing.len();
        failing.truncate(3);
        format!("{stopped}{} failing: {}", total, failing.join("; "))
    }
}

/// Runs the visible examples in `dir` the way the learner would; `Err` holds why they failed.
fn examples(cfg: &Config, lang: Language, dir: &Path, slug: &str) -> Result<Result<(), String>> {
    let cmd = match lang {
        Language::Python => {
            let python = runner::python::interpreter(&cfg.tools, dir)?;
            let mut cmd = Command::new(python);
            cmd.args(["-B", "-m", "unittest", "-q"]).current_dir(dir);
            cmd
        }
        Language::Rust => runner::rust::examples_command(&cfg.tools, dir, slug)?,
    };
    let limits = process::Limits {
        timeout: Duration::from_secs(120),
        output_bytes: 64 * 1024,
    };
    let done = process::run(
        cmd,
        std::process::Stdio::null(),
        &limits,
        &[interrupt::flag()],
    )
    .context("cannot run the visible examples")?;
    if done.exit == process::Exit::Cancelled {
        return Err(pipeline::Cancelled.into());
    }
    Ok(match done.exit {
        process::Exit::Code(0) => Ok(()),
        _ => {
            let text = String::from_utf8_lossy(&done.stderr.bytes).to_string()
                + &String::from_utf8_lossy(&done.stdout.bytes);
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output")
                .to_string();
            Err(last)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::in_parallel;

    #[test]
    fn results_come_in_the_items_order_whatever_finishes_first() {
        let items: Vec<u64> = (0..12).collect();
        let mut seen = Vec::new();
        in_parallel(
            &items,
            3,
            |i| {
                // Later items finish first.
                std::thread::sleep(std::time::Duration::from_millis(30 - 2 * i));
                i * 10
            },
            &mut |r| {
                seen.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..12).map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_while_reporting_stops_the_rest() {
        let items: Vec<u64> = (0..50).collect();
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut reported = 0;
        let result = in_parallel(
            &items,
            2,
            |i| {
                started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(2));
                *i
            },
            &mut |i| {
                reported += 1;
                if i == 3 {
                    anyhow::bail!("disk full")
                }
                Ok(())
            },
        );
        assert!(result.is_err());
        assert_eq!(reported, 4);
        assert!(started.load(std::sync::atomic::Ordering::Relaxed) < 50);
    }
}
