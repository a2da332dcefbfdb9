//! The learner's own captured output under a report: per stream, cut to a number of lines
//! and to the page's width, saying what was cut (pure).

use super::page::Page;
use crate::style::paint;
use crate::text::{escape_controls, shorten};
use crate::verdict::Verdict;
use std::fmt::Write as _;

/// Lines of the learner's output shown per stream: its first and its last lines (what was
/// printed just before a crash matters most).
const FIRST_LINES: usize = 8;
const LAST_LINES: usize = 12;
/// Longest line shown when the output is not wrapped to a terminal.
const MAX_LINE: usize = 200;

/// The learner's output; `when` says when it was written ("during this case").
pub fn render(
    out: &mut String,
    (stdout, stderr): (String, String),
    when: &str,
    verdict: &Verdict,
    page: &Page,
) {
    let s = &page.styles;
    let line_width = page
        .width()
        .map_or(MAX_LINE, |w| w.saturating_sub(6).max(20));
    for (name, text, total) in [
        ("stdout", &stdout, verdict.output.stdout_total),
        ("stderr", &stderr, verdict.output.stderr_total),
    ] {
        // Output cut by the cap may hold nothing before the case (a 5 MB print at import
        // shows only its start): the note below still says that it was cut.
        if text.trim().is_empty() && total.is_none() {
            continue;
        }
        let _ = writeln!(out, "\n  your output {when} ({name}):");
        let lines: Vec<&str> = text.lines().collect();
        let shown = |out: &mut String, line: &str| {
            let line = escape_controls(line);
            let _ = writeln!(
                out,
                "    {} {}",
                paint(s.dim, "|"),
                shorten(&line, line_width, 0)
            );
        };
        if lines.len() <= FIRST_LINES + LAST_LINES {
            lines.iter().for_each(|line| shown(out, line));
        } else {
            lines[..FIRST_LINES]
                .iter()
                .for_each(|line| shown(out, line));
            let hidden = lines.len() - FIRST_LINES - LAST_LINES;
            let more = format!("... {hidden} more lines ...");
            let _ = writeln!(out, "    {}", paint(s.dim, &more));
            lines[lines.len() - LAST_LINES..]
                .iter()
                .for_each(|line| shown(out, line));
        }
        if let Some(total) = total {
            let cut = format!(
                "(output cut: {total} bytes written in all; kata keeps the first and the last {} KiB of each stream)",
                verdict.output.kept_bytes / 1024
            );
            let _ = writeln!(out, "    {}", paint(s.dim, &cut));
        }
    }
}
