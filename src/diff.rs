//! Diffs of expected vs actual transcripts (pure).
//!
//! The diff is positional: operation N's expected line is set against operation N's actual
//! line. A line-matching diff pairs the wrong lines as soon as operations repeat (`allow 9.0`
//! twice), contradicting the table above it; operations never move, so nothing is gained by
//! searching for the best match.

use crate::grade::Row;
use crate::style::{paint, Styles};
use similar::{ChangeTag, TextDiff};

/// Unchanged operations shown around each differing one.
const CONTEXT: usize = 2;

/// A case's transcript, one `operation => result` line per operation.
pub fn transcript(rows: &[Row], actual: bool) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&format!("{} => {}\n", row.op, result(row, actual)));
    }
    out
}

fn result(row: &Row, actual: bool) -> &str {
    if actual {
        row.actual.as_deref().unwrap_or("(no result)")
    } else {
        &row.expected
    }
}

/// `--- expected` / `+++ actual`, then for each run of differing operations (with two
/// unchanged ones around it) a `@@ operations N-M @@` header and the lines: `-` what was
/// expected, `+` what came back, right after each other. In colour, the part of a `+` line
/// that differs is emphasised.
pub fn positional(rows: &[Row], styles: &Styles) -> String {
    let differs: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].matches).collect();
    let mut out = String::new();
    if differs.is_empty() {
        return out;
    }
    out.push_str(&paint(styles.diff_removed, "--- expected"));
    out.push('\n');
    out.push_str(&paint(styles.diff_added, "+++ actual"));
    out.push('\n');
    for (start, end) in hunks(&differs, rows.len()) {
        let header = if start + 1 == end {
            format!("@@ operation {} @@", start + 1)
        } else {
            format!("@@ operations {}-{} @@", start + 1, end)
        };
        out.push_str(&paint(styles.diff_header, &header));
        out.push('\n');
        for row in &rows[start..end] {
            if row.matches {
                let line = format!(" {} => {}", row.op, row.expected);
                out.push_str(&paint(styles.dim, &line));
                out.push('\n');
                continue;
            }
            let expected = format!("-{} => {}", row.op, row.expected);
            out.push_str(&paint(styles.diff_removed, &expected));
            out.push('\n');
            out.push_str(&added_line(row, styles));
            out.push('\n');
        }
    }
    out
}

/// The `+` line of a differing operation, its changed characters emphasised.
fn added_line(row: &Row, styles: &Styles) -> String {
    let actual = result(row, true);
    let prefix = format!("+{} => ", row.op);
    if styles.diff_added == anstyle::Style::new() {
        return format!("{prefix}{actual}");
    }
    let mut out = paint(styles.diff_added, &prefix);
    let emphasis = styles.diff_added.bold().underline();
    for change in TextDiff::from_chars(row.expected.as_str(), actual).iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => out.push_str(&paint(emphasis, change.value())),
            ChangeTag::Equal => out.push_str(&paint(styles.diff_added, change.value())),
            ChangeTag::Delete => {}
        }
    }
    out
}

/// Ranges of rows to show: each differing row with `CONTEXT` rows around it, overlapping
/// ranges merged.
fn hunks(differs: &[usize], len: usize) -> Vec<(usize, usize)> {
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in differs {
        let (start, end) = (i.saturating_sub(CONTEXT), (i + CONTEXT + 1).min(len));
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    hunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(op: &str, expected: &str, actual: &str) -> Row {
        Row {
            op: op.into(),
            expected: expected.into(),
            actual: Some(actual.into()),
            at: None,
            trace: Vec::new(),
            schedule: None,
            outcomes: 0,
            matches: expected == actual,
        }
    }

    #[test]
    fn diff_shows_the_changed_line() {
        let rows = vec![row("new 2", "ok", "ok"), row("get 2", "-1", "2")];
        let text = positional(&rows, &Styles::plain());
        assert_eq!(
            text,
            "--- expected\n+++ actual\n@@ operations 1-2 @@\n new 2 => ok\n-get 2 => -1\n+get 2 => 2\n"
        );
    }

    /// The rate-limiter report from the issue: the clock going backwards, the same operation
    /// twice. Each expected line is paired with its own actual line.
    #[test]
    fn repeated_operations_are_paired_by_position() {
        let rows = vec![
            row("allow 9.0", "true", "true"),
            row("allow 9.0", "false", "false"),
            row("allow 10.0", "false", "true"),
        ];
        let text = positional(&rows, &Styles::plain());
        assert!(
            text.ends_with(" allow 9.0 => true\n allow 9.0 => false\n-allow 10.0 => false\n+allow 10.0 => true\n"),
            "{text}"
        );
    }

    #[test]
    fn far_apart_differences_get_their_own_hunks() {
        let mut rows: Vec<Row> = (0..20)
            .map(|i| row(&format!("get {i}"), "1", "1"))
            .collect();
        rows[2] = row("get 2", "1", "2");
        rows[15] = row("get 15", "1", "3");
        let text = positional(&rows, &Styles::plain());
        assert!(text.contains("@@ operations 1-5 @@"), "{text}");
        assert!(text.contains("@@ operations 14-18 @@"), "{text}");
        assert_eq!(text.matches("@@ operations").count(), 2, "{text}");
    }
}
