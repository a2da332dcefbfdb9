//! The human report of a check: compile output, the first failing case (see
//! `failing_case`), probes, notes, and the closing summary line. Renderers take the verdict
//! (data only) and a [`Page`] (styles and width) and return text.

pub mod after_pass;
mod case_table;
mod failing_case;
mod learner_output;
pub mod page;
mod schedule;
mod setup;

use crate::style::paint;
use crate::verdict::{describe_stop, ProbeOutcome, Stop, Verdict};
pub use page::Page;
use std::fmt::Write as _;

/// Renders the whole report.
pub fn render(verdict: &Verdict, page: &Page) -> String {
    let mut out = String::new();
    let s = &page.styles;
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
        setup::compile_failure(&mut out, verdict, page);
    } else if let Some(failure) = &verdict.setup {
        setup::setup_failure(&mut out, verdict, failure, page);
    } else if let Some((stop @ Stop::OutOfSequence { .. }, _)) = &verdict.stop {
        let line = format!("{} {}", paint(s.fail, "✗"), describe_stop(stop, None));
        out.push_str(&page.indented(0, &line));
    } else if let Some((stop, None)) = &verdict.stop {
        setup::stopped_while_loading(&mut out, verdict, stop, page);
    } else if let Some((index, case)) = verdict.first_failure() {
        failing_case::render(&mut out, verdict, index, case, page);
    } else if !verdict.cases.is_empty() {
        let _ = writeln!(
            out,
            "{} all {} cases passed",
            paint(s.pass, "✓"),
            verdict.cases.len()
        );
    }
    probes(&mut out, verdict, page);
    for note in [&verdict.restored, &verdict.left_running]
        .into_iter()
        .flatten()
    {
        out.push_str(&page.labelled(0, "!", s.warning, note));
    }
    let out_of_memory = matches!(verdict.stop, Some((Stop::OutOfMemory { .. }, _)));
    if verdict.memory_exceeded && !out_of_memory {
        let note = format!(
            "the memory limit ({} MiB) was reached: look for a structure that grows without bound",
            verdict.memory_mib
        );
        out.push_str(&page.labelled(0, "!", s.warning, &note));
    }
    let style = if verdict.passed() { s.pass } else { s.fail };
    let _ = writeln!(out, "\n{}", paint(style, &verdict.summary()));
    out
}

/// The report of a check of one case (`kata check --case NAME`): every operation, the
/// learner's output during it, and the hint when it fails.
pub fn render_case(verdict: &Verdict, page: &Page) -> String {
    let s = &page.styles;
    let Some(case) = verdict
        .cases
        .first()
        .filter(|_| verdict.compiled && verdict.setup.is_none())
    else {
        // It never got to the case: the usual report says why.
        return render(verdict, page);
    };
    let mut out = String::new();
    if case.status == crate::grade::Status::Pass {
        let _ = writeln!(
            out,
            "{} case {} passed\n",
            paint(s.pass, "✓"),
            paint(s.bold, &case.name)
        );
        out.push_str(&case_table::render_all(&case.rows, None, page));
        learner_output::render(
            &mut out,
            verdict.output.for_case(0),
            "during this case",
            verdict,
            page,
        );
        let _ = writeln!(
            out,
            "\n{}",
            paint(s.pass, &format!("case {} passed", case.name))
        );
    } else {
        failing_case::render_full(&mut out, verdict, 0, case, page);
        let _ = writeln!(
            out,
            "\n{}",
            paint(s.fail, &format!("case {} failed", case.name))
        );
    }
    out
}

fn probes(out: &mut String, verdict: &Verdict, page: &Page) {
    let s = &page.styles;
    for probe in &verdict.probes {
        match probe {
            ProbeOutcome::Judged(v) if v.passed => {
                out.push_str(&page.labelled(0, "✓", s.pass, &format!("complexity: {}", v.message)));
            }
            ProbeOutcome::Judged(v) => {
                out.push_str(&page.labelled(0, "✗", s.fail, &format!("complexity: {}", v.message)));
                out.push_str(&page.labelled(2, "hint:", s.hint, &v.hint));
            }
            ProbeOutcome::Skipped { name, reason } => {
                let line = format!("complexity probe {name}: {reason}");
                out.push_str(&page.labelled(0, "-", s.dim, &line));
            }
        }
    }
}
