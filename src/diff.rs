//! Unified diffs of expected vs actual transcripts (pure).

use crate::grade::Row;
use crate::style::{paint, Styles};
use similar::{ChangeTag, TextDiff};

/// A case's transcript, one `operation => result` line per operation.
pub fn transcript(rows: &[Row], actual: bool) -> String {
    let mut out = String::new();
    for row in rows {
        let result = if actual {
            row.actual.as_deref().unwrap_or("(no result)")
        } else {
            &row.expected
        };
        out.push_str(&format!("{} => {}\n", row.op, result));
    }
    out
}

/// A unified diff (`--- expected`, `+++ actual`) with three lines of context.
pub fn unified(rows: &[Row], styles: &Styles) -> String {
    let expected = transcript(rows, false);
    let actual = transcript(rows, true);
    let diff = TextDiff::from_lines(&expected, &actual);
    let mut out = String::new();
    out.push_str(&paint(styles.diff_removed, "--- expected"));
    out.push('\n');
    out.push_str(&paint(styles.diff_added, "+++ actual"));
    out.push('\n');
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&paint(styles.diff_header, &hunk.header().to_string()));
        out.push('\n');
        for change in hunk.iter_changes() {
            let line = change.to_string_lossy();
            let line = line.trim_end_matches('\n');
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', styles.diff_removed),
                ChangeTag::Insert => ('+', styles.diff_added),
                ChangeTag::Equal => (' ', styles.dim),
            };
            out.push_str(&paint(style, &format!("{sign}{line}")));
            out.push('\n');
        }
    }
    out
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
            matches: expected == actual,
        }
    }

    #[test]
    fn diff_shows_the_changed_line() {
        let rows = vec![row("new 2", "ok", "ok"), row("get 2", "-1", "2")];
        let text = unified(&rows, &Styles::plain());
        assert_eq!(
            text,
            "--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n new 2 => ok\n-get 2 => -1\n+get 2 => 2\n"
        );
    }
}
