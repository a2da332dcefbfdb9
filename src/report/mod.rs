//! The human report of a check: compile output, the first failing case as a table and a diff,
//! its hint and the learner's output, probes, and the closing `N passed, M failed` line.

mod case_table;

use crate::diff;
use crate::grade::{CaseVerdict, Status};
use crate::style::{paint, Styles};
use crate::text::{escape_controls, shorten};
use crate::verdict::{describe_stop, ProbeOutcome, SetupFailure, Stop, Verdict};
use std::fmt::Write as _;

/// Lines of the learner's output shown per stream.
const MAX_OUTPUT_LINES: usize = 20;

/// Renders the whole report.
pub fn render(verdict: &Verdict, styles: &Styles) -> String {
    let mut out = String::new();
    let s = styles;
    if !verdict.diagnostics.rendered.is_empty() {
        out.push_str(&verdict.diagnostics.rendered);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    let warnings = verdict.diagnostics.warnings;
    if verdict.compiled && warnings > 0 {
        let _ = writeln!(
            out,
            "{} {} compiles with {warnings} warning{}",
            paint(s.warning, "!"),
            verdict.learner_file,
            if warnings == 1 { "" } else { "s" }
        );
    }
    if !verdict.compiled {
        compile_failure(&mut out, verdict, s);
    } else if let Some(setup) = &verdict.setup {
        setup_failure(&mut out, verdict, setup, s);
    } else if let Some((stop @ Stop::OutOfSequence { .. }, _)) = &verdict.stop {
        let _ = writeln!(out, "{} {}", paint(s.fail, "✗"), describe_stop(stop, None));
    } else if let Some((stop, None)) = &verdict.stop {
        stopped_while_loading(&mut out, verdict, stop, s);
    } else if let Some((index, case)) = verdict.first_failure() {
        failing_case(&mut out, verdict, index, case, s);
    } else {
        let _ = writeln!(
            out,
            "{} all {} cases passed",
            paint(s.pass, "✓"),
            verdict.cases.len()
        );
    }
    probes(&mut out, verdict, s);
    for note in [&verdict.restored, &verdict.left_running]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "{} {note}", paint(s.warning, "!"));
    }
    let out_of_memory = matches!(verdict.stop, Some((Stop::OutOfMemory { .. }, _)));
    if verdict.memory_exceeded && !out_of_memory {
        let _ = writeln!(
            out,
            "{} the memory limit ({} MiB) was reached: look for a structure that grows without bound",
            paint(s.warning, "!"),
            verdict.memory_mib
        );
    }
    let (passed, failed) = verdict.counts();
    let closing = format!("{passed} passed, {failed} failed");
    let style = if failed == 0 { s.pass } else { s.fail };
    let _ = writeln!(out, "\n{}", paint(style, &closing));
    out
}

fn compile_failure(out: &mut String, verdict: &Verdict, s: &Styles) {
    let d = &verdict.diagnostics;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{} {} does not compile: {}, {}",
        paint(s.fail, "✗"),
        verdict.learner_file,
        plural(d.errors, "error"),
        plural(d.warnings, "warning")
    );
    if d.in_driver {
        let _ = writeln!(
            out,
            "  {} an error points into kata's hidden driver: your types or signatures differ from the API in README.md",
            paint(s.hint, "note:")
        );
    }
}

fn setup_failure(out: &mut String, verdict: &Verdict, setup: &SetupFailure, s: &Styles) {
    let file = &verdict.learner_file;
    match setup {
        SetupFailure::Syntax(e) => {
            let place = match (e.line, e.col) {
                (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
                (Some(line), None) => format!("{file}:{line}"),
                _ => file.clone(),
            };
            let _ = writeln!(
                out,
                "{} {place}: {}: {}",
                paint(s.fail, "✗"),
                paint(s.error, &e.kind),
                escape_controls(&e.msg)
            );
            if let (Some(line), Some(text)) = (e.line, &e.text) {
                let text = escape_controls(text.trim_end_matches(['\n', '\r']));
                let number = line.to_string();
                let _ = writeln!(out, "  {number} | {text}");
                if let Some(col) = e.col.filter(|c| *c >= 1) {
                    let width = e
                        .end_col
                        .filter(|end| *end > col)
                        .map(|end| end - col)
                        .unwrap_or(1);
                    let pad: String = text
                        .chars()
                        .take(col - 1)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    let _ = writeln!(
                        out,
                        "  {} | {pad}{}",
                        " ".repeat(number.len()),
                        paint(s.error, &"^".repeat(width.min(80)))
                    );
                }
            }
        }
        SetupFailure::Import { error, traceback } => {
            let _ = writeln!(
                out,
                "{} {file} raised an exception while being imported: {}",
                paint(s.fail, "✗"),
                escape_controls(error)
            );
            for line in traceback.lines() {
                let _ = writeln!(out, "  {}", escape_controls(line));
            }
        }
        SetupFailure::Missing(names) => {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let _ = writeln!(
                out,
                "{} {file} does not define {} (the API in README.md)",
                paint(s.fail, "✗"),
                names.join(", ")
            );
        }
    }
    learner_output(
        out,
        verdict.output.before_cases(),
        "while loading",
        verdict,
        s,
    );
}

/// The run stopped before its first case: at import time (Python) or in start-up code.
fn stopped_while_loading(out: &mut String, verdict: &Verdict, stop: &Stop, s: &Styles) {
    let _ = writeln!(
        out,
        "{} no case ran: the check stopped while loading {}: {}",
        paint(s.fail, "✗"),
        verdict.learner_file,
        describe_stop(stop, None)
    );
    learner_output(
        out,
        verdict.output.before_cases(),
        "while loading",
        verdict,
        s,
    );
}

fn failing_case(out: &mut String, verdict: &Verdict, index: usize, case: &CaseVerdict, s: &Styles) {
    let _ = writeln!(
        out,
        "{} case {} {} (case {} of {})",
        paint(s.fail, "✗"),
        paint(s.bold, &case.name),
        if case.interrupted.is_some() {
            "did not complete"
        } else {
            "failed"
        },
        index + 1,
        verdict.cases.len()
    );
    if let Some(why) = &case.interrupted {
        let _ = writeln!(out, "  {}", paint(s.error, why));
    }
    out.push('\n');
    out.push_str(&case_table::render(&case.rows, case.first_divergence, s));
    if case.first_divergence.is_some() && case.interrupted.is_none() {
        out.push('\n');
        for line in diff::unified(&case.rows, s).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if verdict.not_implemented() {
        let _ = writeln!(
            out,
            "\n  {} not implemented yet: replace the starter's placeholder bodies in {}",
            paint(s.warning, "note:"),
            verdict.learner_file
        );
    }
    let _ = writeln!(out, "\n  {} {}", paint(s.hint, "hint:"), case.hint);
    learner_output(
        out,
        verdict.output.for_case(index),
        "during this case",
        verdict,
        s,
    );
    let others: Vec<&str> = verdict
        .cases
        .iter()
        .skip(index + 1)
        .filter(|c| c.status != Status::Pass)
        .map(|c| c.name.as_str())
        .collect();
    if !others.is_empty() {
        let shown: Vec<&str> = others.iter().take(5).copied().collect();
        let more = others.len().saturating_sub(shown.len());
        let _ = writeln!(
            out,
            "\n  also failing: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            }
        );
    }
    if let Some((stop, Some(position))) = &verdict.stop {
        if case.interrupted.is_none() {
            let _ = writeln!(
                out,
                "\n  {} in case {}: {}",
                paint(s.error, "stopped"),
                position.case,
                describe_stop(stop, Some(position))
            );
        }
    }
}

/// The learner's captured output; `when` says when it was written ("during this case").
fn learner_output(
    out: &mut String,
    (stdout, stderr): (String, String),
    when: &str,
    verdict: &Verdict,
    s: &Styles,
) {
    for (name, text, total) in [
        ("stdout", &stdout, verdict.output.stdout_total),
        ("stderr", &stderr, verdict.output.stderr_total),
    ] {
        if text.trim().is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n  your output {when} ({name}):");
        let lines: Vec<&str> = text.lines().collect();
        for line in lines.iter().take(MAX_OUTPUT_LINES) {
            let line = escape_controls(line);
            let _ = writeln!(out, "    {} {}", paint(s.dim, "|"), shorten(&line, 200, 0));
        }
        if lines.len() > MAX_OUTPUT_LINES {
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    s.dim,
                    &format!("... {} more lines", lines.len() - MAX_OUTPUT_LINES)
                )
            );
        }
        if let Some(total) = total {
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    s.dim,
                    &format!(
                        "(output capped: {total} bytes written in all, the rest was discarded)"
                    )
                )
            );
        }
    }
}

fn probes(out: &mut String, verdict: &Verdict, s: &Styles) {
    for probe in &verdict.probes {
        match probe {
            ProbeOutcome::Judged(v) if v.passed => {
                let _ = writeln!(out, "{} complexity: {}", paint(s.pass, "✓"), v.message);
            }
            ProbeOutcome::Judged(v) => {
                let _ = writeln!(out, "{} complexity: {}", paint(s.fail, "✗"), v.message);
                let _ = writeln!(out, "  {} {}", paint(s.hint, "hint:"), v.hint);
            }
            ProbeOutcome::Skipped { name, reason } => {
                let _ = writeln!(
                    out,
                    "{} complexity probe {name}: {reason}",
                    paint(s.dim, "-")
                );
            }
        }
    }
}
