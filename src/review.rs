//! The page `kata review` prints (pure): the learner's solution beside the reference, the
//! exercise's trade-off notes, and the learner's own figures on it.

use crate::code_diff::{self, Sides};
use crate::lang::Language;
use crate::report::Page;
use crate::stats::ExerciseStats;
use crate::style::{paint, Styles};
use crate::text::duration_words;
use std::fmt::Write as _;

/// Everything the page shows.
pub struct Review<'a> {
    pub title: &'a str,
    pub lang: Language,
    /// The learner's file, relative to the exercise folder (`lru_cache.py`).
    pub learner_file: &'a str,
    pub mine: &'a str,
    pub reference: &'a str,
    /// The trade-off notes for this language, when the exercise has them.
    pub notes: Option<&'a str>,
    pub stats: &'a ExerciseStats,
    /// How many progressive hints the exercise has.
    pub hints_total: usize,
    pub probes: Vec<ProbeFigure>,
}

/// What a probe measured at the learner's last passing check.
pub struct ProbeFigure {
    pub name: String,
    /// What is timed and what grows (`get/put`, `cache`).
    pub what: String,
    pub subject: String,
    /// Largest size over smallest.
    pub growth: f64,
    /// The ratio the probe allows.
    pub limit: f64,
    /// The ratio measured, when the check recorded it.
    pub ratio: Option<f64>,
}

pub fn render(review: &Review, page: &Page) -> String {
    let s = &page.styles;
    let mut out = format!(
        "{} {} ({})\n\n",
        paint(s.bold, "Review:"),
        review.title,
        review.lang
    );
    let left_label = format!("yours: {}", review.learner_file);
    let sides = Sides {
        left: review.mine,
        left_label: &left_label,
        right: review.reference,
        right_label: "reference",
    };
    out.push_str(&code_diff::render(&sides, page.width, s));
    out.push('\n');
    match review.notes {
        Some(notes) => out.push_str(&notes_text(notes, s)),
        None => out.push_str("No trade-off notes for this exercise yet.\n"),
    }
    out.push('\n');
    out.push_str(&figures(review, s));
    out
}

/// The notes as written, with Markdown's heading marks and `**` turned into bold and runs of
/// blank lines (left by other languages' sections) made one.
fn notes_text(notes: &str, s: &Styles) -> String {
    let mut out = String::new();
    let mut blank = true;
    for line in notes.lines() {
        if line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        let heading = line.trim_start_matches('#');
        if heading.len() < line.len() && heading.starts_with(' ') {
            out.push_str(&paint(s.bold, heading.trim()));
        } else {
            out.push_str(&bold_spans(line, s));
        }
        out.push('\n');
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `**text**` as bold text (the markers go even without colour).
fn bold_spans(line: &str, s: &Styles) -> String {
    let mut out = String::new();
    for (i, part) in line.split("**").enumerate() {
        if i % 2 == 1 {
            out.push_str(&paint(s.bold, part));
        } else {
            out.push_str(part);
        }
    }
    out
}

fn figures(review: &Review, s: &Styles) -> String {
    let e = review.stats;
    let mut out = format!("{}\n", paint(s.bold, "Your figures"));
    let mut line = |label: &str, text: &str| {
        let _ = writeln!(out, "  {label:<8} {text}");
    };
    let deliberate = e.checks - e.watch_checks;
    let mut checks = plural(deliberate, "check");
    if e.watch_checks > 0 {
        checks.push_str(&format!(" and {}", plural(e.watch_checks, "watch re-run")));
    }
    if let Some(n) = e.attempts_to_pass {
        checks.push_str(&format!("; first passed at run {n} of {}", e.checks));
    }
    line("checks", &checks);
    if let Some(seconds) = e.seconds_to_pass {
        line(
            "time",
            &format!(
                "{} from the start to the first pass",
                duration_words(seconds)
            ),
        );
    }
    if let (Some(minutes), Some(within)) = (e.timed_minutes, e.solved_within_budget) {
        let verdict = if within { "within" } else { "over" };
        line(
            "timed",
            &format!("{verdict} the {minutes} min interview clock"),
        );
    }
    let mut hints = format!("{} of {}", e.hints, review.hints_total);
    if e.peeked {
        hints.push_str("; you peeked at the reference before passing");
    }
    line("hints", &hints);
    for (i, probe) in review.probes.iter().enumerate() {
        let text = match probe.ratio {
            Some(ratio) => format!(
                "{}: {} {ratio:.1}x slower when the {} grew {:.0}x (allowed: {:.1}x)",
                probe.name, probe.what, probe.subject, probe.growth, probe.limit
            ),
            None => format!("{}: not recorded for your last passing check", probe.name),
        };
        line(if i == 0 { "probes" } else { "" }, &text);
    }
    out
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_lose_their_markup_and_extra_blank_lines() {
        let notes = "# Trade-offs: LRU\n\n\n## Costs\n\n- **OrderedDict**: O(1)\n\n\n";
        assert_eq!(
            notes_text(notes, &Styles::plain()),
            "Trade-offs: LRU\n\nCosts\n\n- OrderedDict: O(1)\n"
        );
        let bold = notes_text("- **a** b", &Styles::colored());
        assert!(bold.contains("\u{1b}[1ma\u{1b}[0m b"), "{bold:?}");
    }
}
