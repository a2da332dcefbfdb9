//! One check of one exercise folder: build, run the hidden cases, grade, then run the probes
//! when every case passed. Shared by `kata check` and `kata verify`.

use crate::catalog::case::{Case, Probe};
use crate::catalog::{Catalog, Exercise, StageSelection};
use crate::folder_guard::FolderGuard;
use crate::grade::{self, CaseVerdict, Status};
use crate::lang::Language;
use crate::probe;
use crate::runner::process::{self, Exit};
use crate::runner::protocol;
use crate::runner::{self, Toolchains};
use crate::verdict::{describe_stop, LearnerOutput, Position, ProbeOutcome, Stop, Verdict};
use anyhow::Result;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The seed of a check without `--seed`: fixed, so a check repeated gives the same verdict.
pub const DEFAULT_SEED: u64 = 1;

/// What a check needs to know besides the exercise.
pub struct Settings<'a> {
    pub tools: &'a Toolchains,
    /// Overrides the exercise's wall-clock limit.
    pub timeout: Option<Duration>,
    /// Set (e.g. by Ctrl-C in watch mode) to stop a running check; it then returns
    /// [`Cancelled`].
    pub cancel: &'a AtomicBool,
    /// Told each step as it starts ("compiling", "running 20 cases"), for a spinner.
    pub on_step: &'a dyn Fn(&str),
    /// Compare probe results with the reference's digests (off only for `kata generate`,
    /// which records them).
    pub verify_digests: bool,
    /// Run only this case, or only this probe.
    pub only_case: Option<&'a str>,
    /// The stages graded: the current one and every earlier one, or one alone.
    pub stages: StageSelection,
    /// Seeds the schedules a concurrency exercise explores (`kata check --seed N`): the same
    /// code and seed give the same verdict and the same failing schedule.
    pub seed: u64,
}

/// A check stopped through [`Settings::cancel`].
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Cancelled;

/// Checks the learner's code in `dir` against the hidden cases of `exercise`.
pub fn check(
    settings: &Settings,
    catalog: &Catalog,
    exercise: &Exercise,
    lang: Language,
    dir: &Path,
) -> Result<Verdict> {
    let started = Instant::now();
    let limits = exercise.meta.limits;
    let timeout = settings
        .timeout
        .unwrap_or(Duration::from_secs_f64(limits.timeout_secs));
    let mut cases = cases_for(exercise, lang, settings.stages)?;
    let mut probes = exercise.probes(lang, settings.stages)?;
    if !settings.verify_digests {
        probes.iter_mut().for_each(|p| p.digests.clear());
    }
    if let Some(name) = settings.only_case {
        let known = cases.iter().any(|c| c.name == name) || probes.iter().any(|p| p.name == name);
        if !known {
            let names: Vec<&str> = cases
                .iter()
                .map(|c| c.name.as_str())
                .chain(probes.iter().map(|p| p.name.as_str()))
                .collect();
            anyhow::bail!(
                "{} has no case `{name}` in {lang}{}",
                exercise.slug,
                match crate::suggest::closest(name, &names) {
                    Some(best) => format!(": did you mean `{best}`?"),
                    None => " (the report names the cases that fail)".to_string(),
                }
            );
        }
        cases.retain(|c| c.name == name);
        probes.retain(|p| p.name == name);
    }
    let mut verdict = Verdict::new(exercise, lang, limits.memory_mib);
    verdict.output.kept_bytes = limits.output_bytes;
    verdict.seed = settings.seed;
    verdict.learner_source = std::fs::read_to_string(dir.join(&verdict.learner_file)).ok();
    (settings.on_step)(match lang {
        Language::Rust => "compiling",
        Language::Python => "loading",
    });
    let request = runner::Request {
        exercise,
        lang,
        dir,
        memory_mib: limits.memory_mib,
        concurrent: exercise.concurrent(settings.stages)?,
        stage: match settings.stages {
            StageSelection::Through(n) | StageSelection::Only(n) => n,
        },
    };
    let build = runner::build(settings.tools, catalog, &request, settings.cancel);
    if settings.cancel.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    let build = build?;
    verdict.diagnostics = build.diagnostics;
    verdict.build_reused = build.reused;
    let Some(program) = build.program else {
        not_run(&mut verdict, &cases, &probes, "the code does not compile");
        verdict.duration = started.elapsed();
        return Ok(verdict);
    };
    verdict.compiled = true;
    let guard = FolderGuard::new(dir, &dir.join(&verdict.learner_file));
    let run_limits = process::Limits {
        timeout,
        output_bytes: limits.output_bytes,
    };
    (settings.on_step)(&format!("running {} cases", cases.len()));
    let runs = run_cases_and_probes(
        settings,
        &program,
        &run_limits,
        &cases,
        &probes,
        limits.memory_mib,
    );
    // Escaped processes first: one still running could delete what is being put back.
    verdict.left_running = left_running(&runs.cases, &runs.probes);
    verdict.restored = guard.restore();
    let run = runs.cases?;
    if settings.cancel.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    add_output(&mut verdict.output, &run);
    verdict.memory_exceeded = run.output.memory_exceeded;
    if let Some(setup) = run.output.setup.clone() {
        verdict.setup = Some(setup);
        not_run(&mut verdict, &cases, &probes, "the module did not load");
        verdict.duration = started.elapsed();
        return Ok(verdict);
    }
    let graded = runs
        .graded
        .expect("a run without a setup failure is graded");
    let all_passed = graded.passed();
    verdict.cases = graded.cases;
    name_broken_rules(exercise, lang, &mut verdict.cases)?;
    verdict.stop = graded.stop;
    verdict.probes = match runs.probes {
        _ if !all_passed => skipped(&probes, "fix the failing cases first"),
        Some(probe_run) => {
            let probe_run = probe_run?;
            verdict.memory_exceeded |= probe_run.output.memory_exceeded;
            judge_probes(&probes, &probe_run, timeout, limits.memory_mib)
        }
        None => Vec::new(),
    };
    verdict.duration = started.elapsed();
    Ok(verdict)
}

/// Runs `cases` on the code in `dir` and returns each operation's result as the driver
/// reported it, for recording a reference's results (`kata generate`). Errors when the code
/// does not build or load, or the run stops early.
pub fn record(
    settings: &Settings,
    catalog: &Catalog,
    exercise: &Exercise,
    lang: Language,
    dir: &Path,
    cases: &[Case],
) -> Result<Vec<Vec<String>>> {
    let limits = exercise.meta.limits;
    let request = runner::Request {
        exercise,
        lang,
        dir,
        memory_mib: limits.memory_mib,
        concurrent: exercise.concurrent(settings.stages)?,
        stage: match settings.stages {
            StageSelection::Through(n) | StageSelection::Only(n) => n,
        },
    };
    let build = runner::build(settings.tools, catalog, &request, settings.cancel)?;
    let Some(program) = build.program else {
        anyhow::bail!("the {lang} reference does not compile");
    };
    let timeout = settings
        .timeout
        .unwrap_or(Duration::from_secs_f64(limits.timeout_secs));
    let run_limits = process::Limits {
        timeout,
        output_bytes: limits.output_bytes,
    };
    let run = runner::execute(
        &program,
        &protocol::cases_input(cases, settings.seed),
        &run_limits,
        &[settings.cancel],
    )?;
    if let Some(setup) = &run.output.setup {
        anyhow::bail!("the {lang} reference does not load: {setup:?}");
    }
    if let Some(stop) = stop_reason(&run, timeout, limits.memory_mib) {
        anyhow::bail!(
            "the {lang} reference stopped: {}",
            describe_stop(&stop, None)
        );
    }
    Ok(run
        .output
        .cases
        .iter()
        .map(|c| c.results.iter().map(|r| r.text.clone()).collect())
        .collect())
}

/// A failing random case's hint: the rule of the first operation that went wrong (from
/// `random.toml`), since nobody wrote a hint for a sequence drawn at random.
fn name_broken_rules(
    exercise: &Exercise,
    lang: Language,
    cases: &mut [grade::CaseVerdict],
) -> Result<()> {
    if !cases.iter().any(|c| c.random && c.status != Status::Pass) {
        return Ok(());
    }
    let Some(spec) = exercise.random_spec()? else {
        return Ok(());
    };
    let rules = spec.rules();
    for case in cases
        .iter_mut()
        .filter(|c| c.random && c.status != Status::Pass)
    {
        let Some(row) = case.first_divergence.map(|i| &case.rows[i]) else {
            continue;
        };
        let name = row.op.split_whitespace().next().unwrap_or_default();
        if let Some(rule) = rules.get(name) {
            let rule = crate::catalog::statement::for_language(rule, lang);
            case.hint = format!("the rule of `{name}` broke here: {}", rule.trim_end());
        }
    }
    Ok(())
}

/// The cases that run in `lang`, with expected lines as they read in it.
pub fn cases_for(exercise: &Exercise, lang: Language, stages: StageSelection) -> Result<Vec<Case>> {
    Ok(exercise
        .staged_cases(stages)?
        .into_iter()
        .filter(|c| c.applies_to(lang))
        .map(|case| {
            let mut case = case.for_language(lang);
            for op in &mut case.ops {
                op.expected = exercise.meta.expected_in(lang, &op.name, &op.expected);
            }
            case
        })
        .collect())
}

/// Every case and probe marked as not run, for `why`.
fn not_run(verdict: &mut Verdict, cases: &[Case], probes: &[Probe], why: &str) {
    let reason = format!("not run: {why}");
    verdict.cases = cases
        .iter()
        .map(|c| grade::grade_case(c, None, Some(reason.clone())))
        .collect();
    verdict.probes = skipped(probes, why);
}

fn skipped(probes: &[Probe], why: &str) -> Vec<ProbeOutcome> {
    probes
        .iter()
        .map(|p| ProbeOutcome::Skipped {
            name: p.name.clone(),
            reason: format!("not run: {why}"),
        })
        .collect()
}

/// The learner's output of a run, split per case.
fn add_output(output: &mut LearnerOutput, run: &runner::Execution) {
    let running = run.output.position().map(|(case, _)| case);
    let (stdout, stderr) = (&run.process.stdout, &run.process.stderr);
    output
        .stdout
        .extend(protocol::split_captured(stdout, &run.nonce, running));
    output
        .stderr
        .extend(protocol::split_captured(stderr, &run.nonce, running));
    if stdout.truncated() {
        output.stdout_total = Some(stdout.total);
    }
    if stderr.truncated() {
        output.stderr_total = Some(stderr.total);
    }
}

/// The two runs of a check: the cases (graded as soon as they finish) and the probes.
struct Runs {
    cases: Result<runner::Execution>,
    graded: Option<Graded>,
    probes: Option<Result<runner::Execution>>,
}

/// Runs the cases and, alongside them on the other core, the probes, which are stopped as
/// soon as a case fails: a passing check then costs max(cases, probes) rather than their sum.
fn run_cases_and_probes(
    settings: &Settings,
    program: &runner::Program,
    limits: &process::Limits,
    cases: &[Case],
    probes: &[Probe],
    memory_mib: u64,
) -> Runs {
    let cancel_probes = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let probe_thread = (!probes.is_empty()).then(|| {
            let input = protocol::probes_input(probes);
            let cancel = [&cancel_probes, settings.cancel];
            scope.spawn(move || runner::execute(program, &input, limits, &cancel))
        });
        let run = runner::execute(
            program,
            &protocol::cases_input(cases, settings.seed),
            limits,
            &[settings.cancel],
        );
        // Graded here, once, so failing cases can stop the probes at once.
        let graded = run
            .as_ref()
            .ok()
            .filter(|run| run.output.setup.is_none())
            .map(|run| grade_run(cases, run, limits.timeout, memory_mib));
        if graded.as_ref().is_some_and(Graded::passed) {
            (settings.on_step)("measuring complexity");
        } else {
            cancel_probes.store(true, Ordering::Relaxed);
        }
        let probes = probe_thread.map(|t| t.join().expect("probe thread panicked"));
        Runs {
            cases: run,
            graded,
            probes,
        }
    })
}

/// Kills what the learner's code left running once both runs are over, and says so: processes
/// still in a driver's group (already killed with it) and any that escaped it.
fn left_running(
    run: &Result<runner::Execution>,
    probe_run: &Option<Result<runner::Execution>>,
) -> Option<String> {
    let finished: Vec<&runner::process::Finished> = [Some(run), probe_run.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_ref().ok().map(|r| &r.process))
        .collect();
    let groups: Vec<i32> = finished.iter().map(|f| f.group).collect();
    let escaped = runner::strays::kill_strays(&groups);
    let in_group = finished.iter().any(|f| f.left_running);
    let what = match escaped {
        0 if !in_group => return None,
        0 => "processes".to_string(),
        1 => "processes (1 outside its process group)".to_string(),
        n => format!("processes ({n} outside its process group)"),
    };
    Some(format!(
        "your code left {what} running after it finished: kata killed them (a check that does this never counts as a pass)"
    ))
}

/// The cases of one run, graded, and why the run stopped early (if it did).
struct Graded {
    cases: Vec<CaseVerdict>,
    stop: Option<(Stop, Option<Position>)>,
}

impl Graded {
    fn passed(&self) -> bool {
        self.stop.is_none() && self.cases.iter().all(|c| c.status == Status::Pass)
    }
}

fn grade_run(
    cases: &[Case],
    run: &runner::Execution,
    timeout: Duration,
    memory_mib: u64,
) -> Graded {
    let stop = match too_many_results(cases, &run.output) {
        Some(what) if run.process.exit != Exit::TimedOut => Some(Stop::OutOfSequence { what }),
        _ => stop_reason(run, timeout, memory_mib),
    };
    let position = stop.as_ref().and_then(|_| {
        run.output.position().map(|(index, done)| Position {
            case: cases.get(index).map(|c| c.name.clone()).unwrap_or_default(),
            op_number: done + 1,
            op: cases
                .get(index)
                .and_then(|c| c.ops.get(done))
                .map(|op| op.text.clone()),
        })
    });
    let graded = cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let case_run = run.output.cases.iter().find(|r| r.index == index);
            let here = run.output.position().is_some_and(|(i, _)| i == index);
            let interrupted = match (&stop, here) {
                (Some(stop), true) => Some(describe_stop(stop, position.as_ref())),
                _ => None,
            };
            grade::grade_case(case, case_run, interrupted)
        })
        .collect();
    Graded {
        cases: graded,
        stop: stop.map(|s| (s, position)),
    }
}

/// A case reported that kata never sent, or with more results than it has operations.
fn too_many_results(cases: &[Case], output: &protocol::DriverOutput) -> Option<String> {
    output
        .cases
        .iter()
        .find_map(|run| match cases.get(run.index) {
            None => Some(format!(
                "a result for case {}, which was never sent",
                run.index + 1
            )),
            Some(case) if run.results.len() > case.ops.len() => Some(format!(
                "case {} has {} operations but {} results",
                case.name,
                case.ops.len(),
                run.results.len()
            )),
            Some(_) => None,
        })
}

fn judge_probes(
    probes: &[Probe],
    run: &runner::Execution,
    timeout: Duration,
    memory_mib: u64,
) -> Vec<ProbeOutcome> {
    let stop = stop_reason(run, timeout, memory_mib);
    probes
        .iter()
        .enumerate()
        .map(|(i, probe)| {
            let mut judged = probe::judge(probe, i, &run.output.probes);
            if let (Some(stop), false) = (&stop, judged.passed) {
                if judged.samples.len() < probe.sizes.len() {
                    judged.message = match stop {
                        // The cases all passed, so a probe that runs out of time is slow.
                        Stop::TimedOut { limit } => probe::out_of_time(probe, *limit),
                        other => format!("not measured: {}", describe_stop(other, None)),
                    };
                }
            }
            ProbeOutcome::Judged(judged)
        })
        .collect()
}

fn stop_reason(run: &runner::Execution, timeout: Duration, memory_mib: u64) -> Option<Stop> {
    let stderr = String::from_utf8_lossy(&run.process.stderr.bytes);
    let out = &run.output;
    match run.process.exit {
        Exit::TimedOut | Exit::Cancelled => Some(Stop::TimedOut { limit: timeout }),
        _ if out.out_of_sequence.is_some() => Some(Stop::OutOfSequence {
            what: out.out_of_sequence.clone().unwrap_or_default(),
        }),
        Exit::Code(0) if out.done => None,
        _ if out.memory_exceeded => Some(Stop::OutOfMemory {
            limit_mib: memory_mib,
        }),
        _ if stderr.contains("has overflowed its stack") => Some(Stop::StackOverflow),
        Exit::Code(code) => Some(Stop::Exited { code }),
        Exit::Signal(signal) => Some(Stop::Crashed { signal }),
    }
}
