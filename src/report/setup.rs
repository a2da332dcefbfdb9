//! Reports of a check that never reached its cases: the code does not compile, the module
//! does not load (syntax error, an exception at import, a missing name), or the process
//! stopped while loading (pure).

use super::learner_output;
use super::page::Page;
use crate::style::paint;
use crate::text::escape_controls;
use crate::verdict::{describe_stop, SetupFailure, Stop, Verdict};
use std::fmt::Write as _;

pub fn compile_failure(out: &mut String, verdict: &Verdict, page: &Page) {
    let s = &page.styles;
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
        out.push_str(&page.labelled(
            2,
            "note:",
            s.hint,
            "an error points into kata's hidden driver: your types or signatures differ from the API in README.md",
        ));
    }
}

pub fn setup_failure(out: &mut String, verdict: &Verdict, setup: &SetupFailure, page: &Page) {
    let s = &page.styles;
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
    learner_output::render(
        out,
        verdict.output.before_cases(),
        "while loading",
        verdict,
        page,
    );
}

/// The run stopped before its first case: at import time (Python) or in start-up code.
pub fn stopped_while_loading(out: &mut String, verdict: &Verdict, stop: &Stop, page: &Page) {
    let s = &page.styles;
    let _ = writeln!(
        out,
        "{} no case ran: the check stopped while loading {}: {}",
        paint(s.fail, "✗"),
        verdict.learner_file,
        describe_stop(stop, None)
    );
    learner_output::render(
        out,
        verdict.output.before_cases(),
        "while loading",
        verdict,
        page,
    );
}
