//! What a check found, as data, and the wording of its parts that every report shares
//! (why a run stopped). Built by `pipeline`, rendered by `report` and `report_json`.

use crate::grade::{CaseVerdict, Status};
use crate::lang::Language;
use crate::probe::ProbeVerdict;
use crate::runner::process;
pub use crate::runner::protocol::SetupFailure;
pub use crate::runner::Diagnostics;
use std::collections::BTreeMap;
use std::time::Duration;

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
    /// The results channel broke the protocol (results out of order, more results than
    /// operations, a second `done`): something other than kata's driver wrote to it.
    OutOfSequence { what: String },
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
    /// How much of each stream kata keeps (the `output_bytes` limit).
    pub kept_bytes: usize,
}

impl LearnerOutput {
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
    /// The learner's file as it was checked, to show the lines an error points at.
    pub learner_source: Option<String>,
    /// The seed the schedules of concurrent code were explored with.
    pub seed: u64,
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
    /// A verdict on `exercise` in `lang` before anything ran.
    pub fn new(exercise: &crate::catalog::Exercise, lang: Language, memory_mib: u64) -> Verdict {
        Verdict {
            slug: exercise.slug.clone(),
            lang,
            learner_file: lang.learner_file(&exercise.slug),
            learner_source: None,
            seed: 0,
            diagnostics: Diagnostics::default(),
            compiled: false,
            build_reused: false,
            setup: None,
            cases: Vec::new(),
            probes: Vec::new(),
            stop: None,
            memory_exceeded: false,
            memory_mib,
            output: LearnerOutput::default(),
            duration: Duration::ZERO,
            restored: None,
            left_running: None,
        }
    }

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

    /// (passed, failed, not run), as the summary line counts them: a case none of whose
    /// operations produced a result, or a probe that was skipped, did not run; code that
    /// changed its own folder or left processes running is one more failure each.
    pub fn tally(&self) -> (usize, usize, usize) {
        let case_not_run = |c: &&CaseVerdict| {
            c.status != Status::Pass && c.rows.iter().all(|r| r.actual.is_none())
        };
        let not_run = self.cases.iter().filter(case_not_run).count()
            + self
                .probes
                .iter()
                .filter(|p| matches!(p, ProbeOutcome::Skipped { .. }))
                .count();
        let (passed, failed) = self.counts();
        (passed, failed - not_run, not_run)
    }

    /// The closing line of a report: cases and probes counted apart, a case or probe that
    /// never ran said so rather than counted as a failure ("3 of 20 cases failed; probe not
    /// run").
    pub fn summary(&self) -> String {
        let total = self.cases.len();
        let ran = |c: &&CaseVerdict| !c.rows.iter().all(|r| r.actual.is_none());
        let passed = self
            .cases
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count();
        let mut parts = Vec::new();
        if total > 0 {
            parts.push(if passed == total {
                format!("all {total} cases passed")
            } else if !self.cases.iter().any(|c| ran(&c)) {
                format!("{total} cases not run")
            } else {
                format!("{} of {total} cases failed", total - passed)
            });
        }
        let probes = self.probes.len();
        if probes > 0 {
            let skipped = self
                .probes
                .iter()
                .filter(|p| matches!(p, ProbeOutcome::Skipped { .. }))
                .count();
            let failed = self.probes.iter().filter(|p| !p.passed()).count() - skipped;
            let noun = |n: usize| if n == 1 { "probe" } else { "probes" };
            parts.push(if skipped == probes {
                format!("{} not run", noun(probes))
            } else if failed == 0 && skipped == 0 {
                format!("{} passed", noun(probes))
            } else if probes == 1 {
                "probe failed".to_string()
            } else {
                format!("{failed} of {probes} probes failed, {skipped} not run")
            });
        }
        if self.restored.is_some() {
            parts.push("your code changed its own folder".to_string());
        }
        if self.left_running.is_some() {
            parts.push("your code left processes running".to_string());
        }
        parts.join("; ")
    }

    /// Probe name -> measured growth of time per operation, rounded to 0.01, for the progress
    /// log; `None` when no probe was measured.
    pub fn probe_ratios(&self) -> Option<BTreeMap<String, f64>> {
        let ratios: BTreeMap<String, f64> = self
            .probes
            .iter()
            .filter_map(|p| match p {
                ProbeOutcome::Judged(v) => {
                    Some((v.name.clone(), (v.ratio? * 100.0).round() / 100.0))
                }
                ProbeOutcome::Skipped { .. } => None,
            })
            .collect();
        (!ratios.is_empty()).then_some(ratios)
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
            "your code ended the process (exit code {code}){during}, before the cases finished: something called exit"
        ),
        Stop::Crashed { signal } => format!(
            "the process was killed by {}{during}: an abort or a crash in native code",
            process::signal_name(*signal)
        ),
        Stop::StackOverflow => {
            format!("the stack overflowed{during}: look for recursion that never ends")
        }
        Stop::OutOfSequence { what } => format!(
            "the results did not come from kata's driver as they should: {what}{during} (a check passes only through kata's own protocol)"
        ),
        Stop::OutOfMemory { limit_mib } => format!(
            "the memory limit of {limit_mib} MiB was reached{during}: look for a structure that grows without bound"
        ),
    }
}
