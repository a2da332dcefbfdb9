//! The machine-readable report of `kata check --json`.
//!
//! Field names follow Exercism's test-runner `results.json` (version 3) where they fit:
//! top-level `version`, `status` (pass / fail / error), `message`, and `tests` with `name`,
//! `status`, `message`, `output` and `test_code`. kata adds `expected`/`actual` transcripts and
//! `hint` per test, and a `kata` object with counts, probes and timing.

use crate::diff::transcript;
use crate::grade::Status;
use crate::text::strip_ansi;
use crate::verdict::{describe_stop, ProbeOutcome, SetupFailure, Verdict};
use serde_json::{json, Value};

pub fn render(verdict: &Verdict) -> Value {
    let status = if !verdict.compiled || verdict.setup.is_some() {
        "error"
    } else if verdict.passed() {
        "pass"
    } else {
        "fail"
    };
    let message = if !verdict.compiled {
        Some(strip_ansi(&verdict.diagnostics.rendered))
    } else {
        verdict.setup.as_ref().map(setup_message)
    };
    // Hidden cases stay hidden: like the text report, the JSON shows the visible examples and
    // the first failing case in full, and of the others only their name and status.
    let first_failure = verdict.first_failure().map(|(i, _)| i);
    let mut tests: Vec<Value> = verdict
        .cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            if !case.example && Some(index) != first_failure {
                return json!({
                    "name": case.name,
                    "status": case.status.as_str(),
                    "message": (case.status != Status::Pass).then_some("a hidden case: `kata check` shows the first failing one in full"),
                    "output": Value::Null,
                    "test_code": Value::Null,
                });
            }
            let message = match (&case.interrupted, case.first_divergence) {
                (Some(why), _) => Some(why.clone()),
                (None, Some(i)) => {
                    let row = &case.rows[i];
                    let at = row.at.as_deref().map(|at| format!(" at {at}")).unwrap_or_default();
                    Some(format!(
                        "operation {} `{}`: expected `{}`, got `{}`{at}",
                        i + 1,
                        row.op,
                        row.expected,
                        row.actual.as_deref().unwrap_or("(no result)")
                    ))
                }
                (None, None) => None,
            };
            let (stdout, stderr) = verdict.output.for_case(index);
            let output = truncate_output(format!("{stdout}{stderr}"));
            let schedule = case
                .first_divergence
                .and_then(|i| case.rows[i].schedule.as_ref())
                .map(|s| {
                    json!({
                        "schedule": s.schedule,
                        "seed": verdict.seed,
                        "steps": s.steps,
                        "trace": s.trace.iter().map(|e| json!({"thread": e.th, "event": e.ev, "at": e.at, "detail": e.detail})).collect::<Vec<_>>(),
                    })
                });
            json!({
                "name": case.name,
                "status": case.status.as_str(),
                "message": message,
                "output": if output.is_empty() { Value::Null } else { Value::String(output) },
                "test_code": case.rows.iter().map(|r| r.op.as_str()).collect::<Vec<_>>().join("\n"),
                "expected": transcript(&case.rows, false),
                "actual": transcript(&case.rows, true),
                "hint": if case.status == Status::Pass { Value::Null } else { Value::String(case.hint.clone()) },
                "traceback": case.first_divergence.map(|i| &case.rows[i].trace).filter(|t| !t.is_empty()),
                "schedule": schedule,
            })
        })
        .collect();
    let mut probes = Vec::new();
    for probe in &verdict.probes {
        let (status, message, extra) = match probe {
            ProbeOutcome::Judged(v) => (
                if v.passed { "pass" } else { "fail" },
                v.message.clone(),
                json!({
                    "ratio": v.ratio,
                    "exponent": v.exponent,
                    "samples": v.samples.iter().map(|(size, ns)| json!({"size": size, "ns_per_op": ns})).collect::<Vec<_>>(),
                }),
            ),
            ProbeOutcome::Skipped { reason, .. } => ("error", reason.clone(), json!({})),
        };
        tests.push(json!({
            "name": probe.name(),
            "status": status,
            "message": message,
            "output": Value::Null,
            "test_code": format!("complexity probe {}", probe.name()),
        }));
        let mut entry = json!({"name": probe.name(), "status": status, "message": message});
        if let (Value::Object(entry), Value::Object(extra)) = (&mut entry, extra) {
            entry.extend(extra);
        }
        probes.push(entry);
    }
    let (passed, failed, not_run) = verdict.tally();
    json!({
        "version": 3,
        "status": status,
        "message": message,
        "tests": tests,
        "kata": {
            "slug": verdict.slug,
            "language": verdict.lang.name(),
            "passed": passed,
            "failed": failed,
            "not_run": not_run,
            "duration_ms": verdict.duration.as_millis() as u64,
            "compiled": verdict.compiled,
            "build_reused": verdict.build_reused,
            "probes": probes,
            "stopped": verdict.stop.as_ref().map(|(stop, at)| describe_stop(stop, at.as_ref())),
            "memory_exceeded": verdict.memory_exceeded,
            "restored": verdict.restored,
            "left_running": verdict.left_running,
        }
    })
}

fn setup_message(setup: &SetupFailure) -> String {
    match setup {
        SetupFailure::Syntax(e) => format!(
            "{} at line {}: {}",
            e.kind,
            e.line.map(|l| l.to_string()).unwrap_or_else(|| "?".into()),
            e.msg
        ),
        SetupFailure::Import { error, .. } => format!("import failed: {error}"),
        SetupFailure::Missing(names) => format!("missing from the module: {}", names.join(", ")),
    }
}

/// Exercism's results.json v3 caps a test's `output` at 500 characters.
const MAX_OUTPUT_CHARS: usize = 500;

fn truncate_output(output: String) -> String {
    match output.char_indices().nth(MAX_OUTPUT_CHARS) {
        Some((end, _)) => format!(
            "{}\n[output truncated to {MAX_OUTPUT_CHARS} characters]",
            &output[..end]
        ),
        None => output,
    }
}
