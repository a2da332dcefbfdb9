//! Horizontal bar charts: mastery per topic (solved, started, not yet) and the time each
//! exercise took from its first start to its first pass. Bars take the width left by their
//! labels, between [`MIN_BAR`] and [`MAX_BAR`] cells; any non-zero part gets a cell.

use crate::stats::{ExerciseStats, Tally};
use crate::style::{paint, Styles};
use crate::text::duration_words;

const MIN_BAR: usize = 8;
const MAX_BAR: usize = 32;
const SOLVED: char = '█';
const STARTED: char = '▒';
const NOT_YET: char = '·';

/// Cells for `part` of `whole` in a bar of `cells`: rounded, at least one for any part.
fn cells(part: usize, whole: usize, cells: usize) -> usize {
    if part == 0 || whole == 0 {
        return 0;
    }
    ((part * cells + whole / 2) / whole).clamp(1, cells)
}

/// The bar width that fits `width` beside labels `label` and texts `text` columns wide.
fn bar_width(width: usize, label: usize, text: usize) -> usize {
    // Two spaces of indent and two between label, bar and text.
    width
        .saturating_sub(2 + label + 2 + 2 + text)
        .clamp(MIN_BAR, MAX_BAR)
}

/// `lead` (two spaces, the label, the bar: `lead_width` columns) then `text`; the text goes on
/// the next line under the bar (at `indent`) when the line would pass `width`.
fn row(lead: &str, lead_width: usize, indent: usize, text: &str, width: usize) -> String {
    if lead_width + 2 + text.chars().count() <= width {
        format!("{lead}  {text}\n")
    } else {
        format!("{}\n{}{text}\n", lead.trim_end(), " ".repeat(indent))
    }
}

/// One bar per topic with a started exercise (an exercise counts once, in any language);
/// the topics not started yet are named on one line.
pub fn topics(tallies: &[Tally], width: usize, s: &Styles) -> String {
    let started: Vec<&Tally> = tallies.iter().filter(|t| t.started > 0).collect();
    let mut out = format!(
        "{} ({} solved, {} started, {} not yet)\n",
        paint(s.bold, "Topics"),
        paint(s.pass, &SOLVED.to_string()),
        paint(s.warning, &STARTED.to_string()),
        paint(s.dim, &NOT_YET.to_string())
    );
    let text = |t: &Tally| {
        let mut text = format!("{} of {} solved", t.solved, t.total);
        if t.started > t.solved {
            text.push_str(&format!(", {} more started", t.started - t.solved));
        }
        text
    };
    let label = started
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0);
    let longest = started.iter().map(|t| text(t).len()).max().unwrap_or(0);
    let bar = bar_width(width, label, longest);
    for t in &started {
        let solved = cells(t.solved, t.total, bar);
        let begun = cells(t.started, t.total, bar).max(solved + usize::from(t.started > t.solved));
        let begun = begun.min(bar);
        let lead = format!(
            "  {:<label$}  {}{}{}",
            t.name,
            paint(s.pass, &SOLVED.to_string().repeat(solved)),
            paint(s.warning, &STARTED.to_string().repeat(begun - solved)),
            paint(s.dim, &NOT_YET.to_string().repeat(bar - begun)),
        );
        out.push_str(&row(&lead, 2 + label + 2 + bar, 4 + label, &text(t), width));
    }
    let rest: Vec<&str> = tallies
        .iter()
        .filter(|t| t.started == 0)
        .map(|t| t.name.as_str())
        .collect();
    if !rest.is_empty() {
        let options = textwrap::Options::new(width)
            .initial_indent("  ")
            .subsequent_indent("    ");
        let line = format!("not started: {}", rest.join(", "));
        out.push_str(&textwrap::fill(&line, options));
        out.push('\n');
    }
    out
}

/// One bar per solved exercise and language, as long as the time from its first start to its
/// first pass (the longest fills the bar).
pub fn time_to_pass(exercises: &[ExerciseStats], width: usize, s: &Styles) -> String {
    let title = paint(s.bold, "Time to the first pass");
    let rows: Vec<(String, i64, String)> = exercises
        .iter()
        .filter_map(|e| {
            let seconds = e.seconds_to_pass?;
            let mut text = duration_words(seconds);
            if let Some(run) = e.attempts_to_pass {
                text.push_str(&format!(", at run {run}"));
            }
            match (e.timed_minutes, e.solved_within_budget) {
                (Some(m), Some(true)) => text.push_str(&format!(", within the {m} min clock")),
                (Some(m), Some(false)) => text.push_str(&format!(", over the {m} min clock")),
                _ => {}
            }
            Some((format!("{} {}", e.slug, e.lang), seconds, text))
        })
        .collect();
    if rows.is_empty() {
        return format!("{title}: nothing passed yet\n");
    }
    let label = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let longest = rows.iter().map(|r| r.2.len()).max().unwrap_or(0);
    let bar = bar_width(width, label, longest);
    let slowest = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as usize;
    let mut out = format!("{title}\n");
    for (name, seconds, text) in &rows {
        let filled = cells(*seconds as usize, slowest, bar).max(1);
        let lead = format!(
            "  {name:<label$}  {}{}",
            paint(s.hint, &SOLVED.to_string().repeat(filled)),
            " ".repeat(bar - filled)
        );
        out.push_str(&row(&lead, 2 + label + 2 + bar, 4 + label, text, width));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn tally(name: &str, solved: usize, started: usize, total: usize) -> Tally {
        Tally {
            name: name.into(),
            solved,
            started,
            total,
        }
    }

    #[test]
    fn topics_started_get_bars_the_others_one_line() {
        let tallies = [
            tally("caching", 1, 2, 3),
            tally("graphs", 0, 0, 1),
            tally("hashing", 0, 0, 2),
            tally("time", 2, 2, 2),
        ];
        assert_eq!(
            topics(&tallies, 51, &Styles::plain()),
            "Topics (█ solved, ▒ started, · not yet)\n  caching  ███▒▒▒···  1 of 3 solved, 1 more started\n  time     █████████  2 of 2 solved\n  not started: graphs, hashing\n"
        );
    }

    #[test]
    fn a_text_that_does_not_fit_goes_under_its_bar() {
        assert_eq!(row("  a  ██  ", 9, 5, "3 min", 20), "  a  ██    3 min\n");
        assert_eq!(row("  a  ██  ", 9, 5, "3 min", 12), "  a  ██\n     3 min\n");
    }

    #[test]
    fn bars_fit_the_width_between_their_limits() {
        assert_eq!(bar_width(80, 10, 20), 32);
        assert_eq!(bar_width(60, 10, 20), 24);
        assert_eq!(bar_width(20, 10, 20), MIN_BAR);
        assert_eq!(
            (cells(1, 300, 10), cells(0, 3, 10), cells(3, 3, 10)),
            (1, 0, 10)
        );
    }

    #[test]
    fn time_to_pass_is_a_bar_per_solved_exercise() {
        let solved = |slug: &str, seconds: i64, runs: usize| ExerciseStats {
            slug: slug.into(),
            lang: Language::Python,
            started: true,
            solved: true,
            checks: runs,
            watch_checks: 0,
            attempts_to_pass: Some(runs),
            seconds_to_pass: Some(seconds),
            hints: 0,
            peeked: false,
            reviews: 0,
            timed_minutes: None,
            solved_within_budget: None,
            first_pass: None,
            last_activity: jiff::Timestamp::UNIX_EPOCH,
            failing_case: None,
        };
        let mut timed = solved("retry", 600, 2);
        (timed.timed_minutes, timed.solved_within_budget) = (Some(30), Some(true));
        // 80 columns leave 17 cells for the bars: 40 min fills them, 10 min takes a quarter.
        let text = time_to_pass(&[solved("lru-cache", 2400, 6), timed], 80, &Styles::plain());
        assert_eq!(
            text,
            format!(
                "Time to the first pass\n  lru-cache python  {}  40 min, at run 6\n  retry python      {}{}  10 min, at run 2, within the 30 min clock\n",
                "█".repeat(17),
                "█".repeat(4),
                " ".repeat(13)
            )
        );
        assert_eq!(
            time_to_pass(&[], 60, &Styles::plain()),
            "Time to the first pass: nothing passed yet\n"
        );
    }
}
