//! The report of the first failing case: the table, where the learner's code raised or
//! panicked (with its source lines), a positional diff when a value was wrong, the hint
//! aimed at the failure, the learner's output, and what else failed (pure).

use super::page::Page;
use super::{case_table, learner_output};
use crate::diff;
use crate::grade::{is_error_result, CaseVerdict, Row, Status};
use crate::style::paint;
use crate::text::escape_controls;
use crate::verdict::{describe_stop, Verdict};
use std::fmt::Write as _;

pub fn render(out: &mut String, verdict: &Verdict, index: usize, case: &CaseVerdict, page: &Page) {
    render_with(out, verdict, index, case, page, false)
}

/// The same, with every row of the table (`kata check --case NAME`).
pub fn render_full(
    out: &mut String,
    verdict: &Verdict,
    index: usize,
    case: &CaseVerdict,
    page: &Page,
) {
    render_with(out, verdict, index, case, page, true)
}

fn render_with(
    out: &mut String,
    verdict: &Verdict,
    index: usize,
    case: &CaseVerdict,
    page: &Page,
    full: bool,
) {
    let s = &page.styles;
    let follow_up = match case.stage {
        0 => String::new(),
        n => format!("follow-up {n}, "),
    };
    let position = if full {
        String::new()
    } else {
        format!(
            " ({follow_up}case {} of {})",
            index + 1,
            verdict.cases.len()
        )
    };
    let _ = writeln!(
        out,
        "{} case {} {}{position}",
        paint(s.fail, "✗"),
        paint(s.bold, &case.name),
        if case.interrupted.is_some() {
            "did not complete"
        } else {
            "failed"
        },
    );
    if let Some(why) = &case.interrupted {
        out.push_str(&page.indented(2, &paint(s.error, why)));
    }
    // A random case is shown shrunk to its shortest failing prefix: what comes after the
    // first wrong result cannot matter.
    let shrunk;
    let case = match case.first_divergence {
        Some(i) if case.random && i + 1 < case.rows.len() => {
            out.push_str(&page.indented(
                2,
                &format!(
                    "a sequence drawn at random, shrunk to its shortest failing prefix: the first {} of its {} operations",
                    i + 1,
                    case.rows.len()
                ),
            ));
            shrunk = CaseVerdict {
                rows: case.rows[..=i].to_vec(),
                ..case.clone()
            };
            &shrunk
        }
        _ => case,
    };
    out.push('\n');
    out.push_str(&if full {
        case_table::render_all(&case.rows, case.first_divergence, page)
    } else {
        case_table::render(&case.rows, case.first_divergence, page)
    });
    let first = case.first_divergence.map(|i| (i, &case.rows[i]));
    if let Some(schedule) = first.and_then(|(_, row)| row.schedule.as_ref()) {
        let outcomes = first.map_or(0, |(_, row)| row.outcomes);
        let learner = super::schedule::Learner {
            file: &verdict.learner_file,
            source: verdict.learner_source.as_deref(),
        };
        let replay = super::schedule::Replay {
            case: &case.name,
            seed: verdict.seed,
            outcomes,
            full,
        };
        super::schedule::render(out, schedule, &replay, &learner, page);
    }
    let crash = first.filter(|(_, row)| is_crash(row) && row.schedule.is_none());
    if let Some((i, row)) = crash {
        error_block(out, verdict, i, row, page);
    }
    let wrong_value = case.rows.iter().any(|r| {
        !r.matches
            && r.actual
                .as_deref()
                .is_some_and(|a| !is_error_result(a) && !a.starts_with("not run:"))
    });
    if wrong_value && crash.is_none() && case.interrupted.is_none() {
        out.push('\n');
        for line in diff::positional(&case.rows, s).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push('\n');
    if verdict.not_implemented() {
        out.push_str(&page.labelled(
            2,
            "note:",
            s.warning,
            &format!(
                "not implemented yet: replace the starter's placeholder bodies in {}",
                verdict.learner_file
            ),
        ));
        out.push_str(&page.labelled(2, "hint:", s.hint, &case.hint));
    } else if crash.is_some() {
        // The case's own hint is about a wrong answer; this one never got that far.
        out.push_str(&page.labelled(
            2,
            "hint:",
            s.hint,
            &if full {
                "this is a crash in your code, not a wrong answer: fix the error above first".to_string()
            } else {
                format!(
                    "this is a crash in your code, not a wrong answer: fix the error above first (`kata check --case {}` shows every operation of this case and your output)",
                    case.name
                )
            },
        ));
    } else {
        out.push_str(&page.labelled(2, "hint:", s.hint, &case.hint));
    }
    learner_output::render(
        out,
        verdict.output.for_case(index),
        "during this case",
        verdict,
        page,
    );
    if full {
        return;
    }
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
        let more = if more > 0 {
            format!(" (+{more} more)")
        } else {
            String::new()
        };
        out.push('\n');
        out.push_str(&page.labelled(
            2,
            "also failing:",
            anstyle::Style::new(),
            &format!("{}{more}", shown.join(", ")),
        ));
    }
    if let Some((stop, Some(position))) = &verdict.stop {
        if case.interrupted.is_none() {
            out.push('\n');
            out.push_str(&page.labelled(
                2,
                "stopped",
                s.error,
                &format!(
                    "in case {}: {}",
                    position.case,
                    describe_stop(stop, Some(position))
                ),
            ));
        }
    }
}

/// An error or panic where the case expected a value (or a different error). A deadlock is
/// not a crash: the case's hint is the one that explains it.
fn is_crash(row: &Row) -> bool {
    let Some(actual) = row.actual.as_deref() else {
        return false;
    };
    if actual.starts_with("error DeadlockError") || actual.starts_with("panic: deadlock") {
        return false;
    }
    is_error_result(actual)
        && !is_error_result(&row.expected)
        && row.expected != "panic"
        && !actual.starts_with("error NotImplementedError")
        && !(actual.starts_with("panic:") && actual.contains("not yet implemented"))
}

/// Where the learner's code raised or panicked: its frames with their source lines, then the
/// error itself in full.
fn error_block(out: &mut String, verdict: &Verdict, index: usize, row: &Row, page: &Page) {
    let s = &page.styles;
    let frames: Vec<&str> = if row.trace.is_empty() {
        row.at.as_deref().into_iter().collect()
    } else {
        row.trace.iter().map(String::as_str).collect()
    };
    let what = if row
        .actual
        .as_deref()
        .is_some_and(|a| a.starts_with("panic:"))
    {
        "panicked"
    } else {
        "raised"
    };
    let _ = match frames.last() {
        Some(at) => writeln!(
            out,
            "\n  your code {what} at {at}, in operation {} `{}`:",
            index + 1,
            row.op
        ),
        None => writeln!(
            out,
            "\n  your code {what} in operation {} `{}`:",
            index + 1,
            row.op
        ),
    };
    for at in &frames {
        let source = line_number(at).and_then(|n| source_line(verdict, n));
        match source {
            Some(source) => {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    paint(s.dim, &format!("{at} |")),
                    escape_controls(source.trim_end())
                );
            }
            None => {
                let _ = writeln!(out, "    {}", paint(s.dim, at));
            }
        }
    }
    let error = row.actual.as_deref().unwrap_or_default();
    let error = error.strip_prefix("error ").unwrap_or(error);
    out.push_str(&page.indented(4, &paint(s.error, error)));
}

fn line_number(at: &str) -> Option<usize> {
    at.rsplit(':').next()?.parse().ok()
}

fn source_line(verdict: &Verdict, number: usize) -> Option<&str> {
    verdict
        .learner_source
        .as_deref()?
        .lines()
        .nth(number.checked_sub(1)?)
}
