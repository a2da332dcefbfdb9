//! One check of one exercise folder: build, run the hidden cases, grade, then run the probes
//! when every case passed. Shared by `kata check` and `kata verify`.

use crate::catalog::cases::{Case, Probe};
use crate::catalog::{Catalog, Exercise};
use crate::folder_guard::FolderGuard;
use crate::grade::{self, CaseVerdict, Status};
use crate::lang::Language;
use crate::probe::{self, ProbeVerdict};
use crate::runner::process::{self, Captured, Exit};
use crate::runner::protocol::{self, SetupFailure};
use crate::runner::{self, Diagnostics, Toolchains};
use anyhow::Result;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a run ended before the driver finished.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The wall-clock limit was reached.
    TimedOut { limit: Duration },
    /// The process exited without finishing (e.g. `sys.exit(0)` in the learner's code).
    Exited { code: i32 },
    /// The process was killed by a signal (abort, segmentation fault).
    Crashed { signal: i32 },
    /// The stack overflowed (unbounded recursion).
    StackOverflow,
    /// The memory limit was reached.
    OutOfMemory { limit_mib: u64 },
}

/// Where a run stopped: case name, operation number (1-based) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub case: String,
    pub op_number: usize,
    pub op: Option<String>,
}

/// A probe's outcome: measured and judged, or not run.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeOutcome {
    Judged(ProbeVerdict),
    Skipped { name: String, reason: String },
}

impl ProbeOutcome {
    pub fn passed(&self) -> bool {
        matches!(self, ProbeOutcome::Judged(v) if v.passed)
    }
    pub fn name(&self) -> &str {
        match self {
            ProbeOutcome::Judged(v) => &v.name,
            ProbeOutcome::Skipped { name, .. } => name,
        }
    }
}

/// The learner's own output, split per case.
#[derive(Debug, Clone, Default)]
pub struct LearnerOutput {
    pub stdout: Vec<(Option<usize>, String)>,
    pub stderr: Vec<(Option<usize>, String)>,
    /// Bytes written in all, when more than the kept part.
    pub stdout_total: Option<u64>,
    pub stderr_total: Option<u64>,
}

impl LearnerOutput {
    fn add(&mut self, stdout: &Captured, stderr: &Captured, nonce: &str) {
        self.stdout
            .extend(protocol::split_output(&stdout.bytes, nonce));
        self.stderr
            .extend(protocol::split_output(&stderr.bytes, nonce));
        if stdout.truncated() {
            self.stdout_total = Some(stdout.total);
        }
        if stderr.truncated() {
            self.stderr_total = Some(stderr.total);
        }
    }

    /// What the learner's code wrote during case `index` (stdout, stderr).
    pub fn for_case(&self, index: usize) -> (String, String) {
        self.segment(Some(index))
    }

    /// What it wrote before the first case (at import time).
    pub fn before_cases(&self) -> (String, String) {
        self.segment(None)
    }

    fn segment(&self, case: Option<usize>) -> (String, String) {
        let pick = |parts: &[(Option<usize>, String)]| {
            parts
                .iter()
                .filter(|(c, _)| *c == case)
                .map(|(_, text)| text.as_str())
                .collect::<String>()
        };
        (pick(&self.stdout), pick(&self.stderr))
    }
}

/// Everything a check found.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub slug: String,
    pub lang: Language,
    pub learner_file: String,
    pub diagnostics: Diagnostics,
    pub compiled: bool,
    pub build_reused: bool,
    pub setup: Option<SetupFailure>,
    pub cases: Vec<CaseVerdict>,
    pub probes: Vec<ProbeOutcome>,
    pub stop: Option<(Stop, Option<Position>)>,
    pub memory_exceeded: bool,
    pub memory_mib: u64,
    pub output: LearnerOutput,
    pub duration: Duration,
    /// What kata put back after the learner's code deleted or chmod-ed files of its folder.
    pub restored: Option<String>,
    /// What kata killed that the learner's code left running after it finished.
    pub left_running: Option<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        let (passed, failed) = self.counts();
        failed == 0 && passed > 0
    }

    /// (passed, failed); probes count as cases, anything not run counts as failed, and so
    /// does code that deleted or chmod-ed files of its own folder or left processes running
    /// (one more failure each).
    pub fn counts(&self) -> (usize, usize) {
        let passed = self
            .cases
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count()
            + self.probes.iter().filter(|p| p.passed()).count();
        let total = self.cases.len()
            + self.probes.len()
            + usize::from(self.restored.is_some())
            + usize::from(self.left_running.is_some());
        (passed, total - passed)
    }

    /// Index and verdict of the first failing case.
    pub fn first_failure(&self) -> Option<(usize, &CaseVerdict)> {
        self.cases
            .iter()
            .enumerate()
            .find(|(_, c)| c.status != Status::Pass)
    }

    /// Whether the failure is a `todo!()`/`NotImplementedError` left in the starter.
    pub fn not_implemented(&self) -> bool {
        self.first_failure().is_some_and(|(_, case)| {
            case.rows.iter().any(|r| {
                r.actual.as_deref().is_some_and(|a| {
                    a.starts_with("error NotImplementedError")
                        || (a.starts_with("panic:") && a.contains("not yet implemented"))
                        || (a.starts_with("panic:") && a.contains("not implemented"))
                })
            })
        })
    }
}

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
    let file = exercise.cases()?;
    // The cases for this language, with expected lines as they read in it.
    let cases: Vec<Case> = file
        .cases
        .iter()
        .filter(|c| c.applies_to(lang))
        .map(|c| {
            let mut case = c.clone();
            for op in &mut case.ops {
                op.expected = exercise.meta.expected_in(lang, &op.name, &op.expected);
            }
            case
        })
        .collect();
    let mut verdict = Verdict {
        slug: exercise.slug.clone(),
        lang,
        learner_file: lang.learner_file(&exercise.slug),
        diagnostics: Diagnostics::default(),
        compiled: false,
        build_reused: false,
        setup: None,
        cases: Vec::new(),
        probes: Vec::new(),
        stop: None,
        memory_exceeded: false,
        memory_mib: limits.memory_mib,
        restored: None,
        left_running: None,
        output: LearnerOutput::default(),
        duration: Duration::ZERO,
    };
    let probes: Vec<Probe> = file.probes.iter().map(|p| p.for_language(lang)).collect();
    (settings.on_step)(match lang {
        Language::Rust => "compiling",
        Language::Python => "loading",
    });
    let build = runner::build(
        settings.tools,
        catalog,
        exercise,
        lang,
        dir,
        limits.memory_mib,
        settings.cancel,
    );
    if settings.cancel.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    let build = build?;
    verdict.diagnostics = build.diagnostics;
    verdict.build_reused = build.reused;
    let skipped = |reason: &str| -> Vec<ProbeOutcome> {
        probes
            .iter()
            .map(|p| ProbeOutcome::Skipped {
                name: p.name.clone(),
                reason: reason.to_string(),
            })
            .collect()
    };
    let Some(program) = build.program else {
        verdict.cases = cases
            .iter()
            .map(|c| grade::grade_case(c, None, Some("not run: the code does not compile".into())))
            .collect();
        verdict.probes = skipped("not run: the code does not compile");
        verdict.duration = started.elapsed();
        return Ok(verdict);
    };
    verdict.compiled = true;
    let guard = FolderGuard::new(dir, &dir.join(&verdict.learner_file));

    let run_limits = process::Limits {
        timeout,
        output_bytes: limits.output_bytes,
    };
    // The probes run alongside the cases (on the other core) and are stopped as soon as a
    // case fails: a passing check then costs max(cases, probes) rather than their sum.
    let cancel_probes = AtomicBool::new(false);
    (settings.on_step)(&format!("running {} cases", cases.len()));
    let (run, graded, probe_run) = std::thread::scope(|scope| {
        let probe_thread = (!probes.is_empty()).then(|| {
            let input = protocol::probes_input(&probes);
            let (program, limits) = (&program, &run_limits);
            let cancel = [&cancel_probes, settings.cancel];
            scope.spawn(move || runner::execute(program, &input, limits, &cancel))
        });
        let run = runner::execute(
            &program,
            &protocol::cases_input(&cases),
            &run_limits,
            &[settings.cancel],
        );
        // Graded here, once, so failing cases can stop the probes at once.
        let graded = run
            .as_ref()
            .ok()
            .filter(|run| run.output.setup.is_none())
            .map(|run| grade_run(&cases, run, timeout, limits.memory_mib));
        let passed = graded.as_ref().is_some_and(Graded::passed);
        if passed {
            (settings.on_step)("measuring complexity");
        } else {
            cancel_probes.store(true, Ordering::Relaxed);
        }
        let probe_run = probe_thread.map(|t| t.join().expect("probe thread panicked"));
        (run, graded, probe_run)
    });
    // Escaped processes first: one still running could delete what is being put back.
    verdict.left_running = left_running(&run, &probe_run);
    verdict.restored = guard.restore();
    let run = run?;
    if settings.cancel.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    verdict
        .output
        .add(&run.process.stdout, &run.process.stderr, &run.nonce);
    verdict.memory_exceeded = run.output.memory_exceeded;
    if let Some(setup) = run.output.setup.clone() {
        verdict.setup = Some(setup);
        verdict.cases = cases
            .iter()
            .map(|c| grade::grade_case(c, None, Some("not run: the module did not load".into())))
            .collect();
        verdict.probes = skipped("not run: the module did not load");
        verdict.duration = started.elapsed();
        return Ok(verdict);
    }
    let graded = graded.expect("a run without a setup failure is graded");
    let all_passed = graded.passed();
    verdict.cases = graded.cases;
    verdict.stop = graded.stop;
    match probe_run {
        _ if !all_passed => {
            verdict.probes = skipped("not run: fix the failing cases first");
        }
        Some(probe_run) => {
            let probe_run = probe_run?;
            verdict.memory_exceeded |= probe_run.output.memory_exceeded;
            verdict.probes = judge_probes(&probes, &probe_run, timeout, limits.memory_mib);
        }
        None => {}
    }
    verdict.duration = started.elapsed();
    Ok(verdict)
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
    let stop = stop_reason(run, timeout, memory_mib);
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
    match run.process.exit {
        Exit::TimedOut | Exit::Cancelled => Some(Stop::TimedOut { limit: timeout }),
        _ if run.output.done => None,
        _ if run.output.memory_exceeded => Some(Stop::OutOfMemory {
            limit_mib: memory_mib,
        }),
        _ if stderr.contains("has overflowed its stack") => Some(Stop::StackOverflow),
        Exit::Code(code) => Some(Stop::Exited { code }),
        Exit::Signal(signal) => Some(Stop::Crashed { signal }),
    }
}

/// One sentence on why a run stopped, naming the operation when known.
pub fn describe_stop(stop: &Stop, position: Option<&Position>) -> String {
    let during = match position {
        Some(Position {
            op: Some(op),
            op_number,
            ..
        }) => format!(" during `{op}` (operation {op_number})"),
        Some(Position { op: None, .. }) => " after the last operation of the case".to_string(),
        None => String::new(),
    };
    match stop {
        Stop::TimedOut { limit } => format!(
            "time limit of {:.1} s reached{during}: look for a loop that never ends",
            limit.as_secs_f64()
        ),
        Stop::Exited { code } => format!(
            "the process exited with code {code}{during}, before the driver finished: something called exit"
        ),
        Stop::Crashed { signal } => format!(
            "the process was killed by {}{during}: an abort or a crash in native code",
            process::signal_name(*signal)
        ),
        Stop::StackOverflow => {
            format!("the stack overflowed{during}: look for recursion that never ends")
        }
        Stop::OutOfMemory { limit_mib } => format!(
            "the memory limit of {limit_mib} MiB was reached{during}: look for a structure that grows without bound"
        ),
    }
}
