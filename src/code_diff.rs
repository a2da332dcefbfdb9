//! Two versions of a source file set against each other for reading (pure): side by side when
//! the page has room for two readable columns, else a unified diff. Used by `kata review` to
//! show the learner's solution beside the reference.

use crate::style::{paint, Styles};
use crate::text::escape_controls;
use anstyle::Style;
use similar::{ChangeTag, DiffTag, TextDiff};
use textwrap::core::display_width;

/// Columns each side needs to stay readable, its line numbers included.
const MIN_COLUMN: usize = 60;
/// Between the columns: ` | ` (changed), ` < ` (left only), ` > ` (right only) or spaces.
const GUTTER: usize = 3;
/// Unchanged lines shown around each change in a unified diff.
const CONTEXT: usize = 3;
/// Tabs are expanded to this many spaces, so columns line up.
const TAB: &str = "    ";

/// The two files and what to call them.
pub struct Sides<'a> {
    pub left: &'a str,
    pub left_label: &'a str,
    pub right: &'a str,
    pub right_label: &'a str,
}

/// The narrowest page that shows two columns side by side.
pub const SIDE_BY_SIDE_WIDTH: usize = 2 * MIN_COLUMN + GUTTER;

/// Side by side when `width` allows it, else a unified diff (also when the width is unknown:
/// piped output). Identical files are one line saying so.
pub fn render(sides: &Sides, width: Option<usize>, styles: &Styles) -> String {
    let (left, right) = (
        with_final_newline(sides.left),
        with_final_newline(sides.right),
    );
    if left == right {
        return format!(
            "{} and {} are the same, line for line\n",
            sides.left_label, sides.right_label
        );
    }
    let diff = TextDiff::from_lines(left.as_str(), right.as_str());
    match width.filter(|w| *w >= SIDE_BY_SIDE_WIDTH) {
        Some(width) => side_by_side(sides, &diff, (width - GUTTER) / 2, styles),
        None => unified(sides, &diff, styles),
    }
}

/// A missing newline at the end of a file is not worth a changed line.
fn with_final_newline(text: &str) -> String {
    let mut text = text.to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A line as it is shown: no line ending, tabs expanded, control characters escaped.
fn shown(line: &str) -> String {
    escape_controls(line.trim_end_matches(['\n', '\r'])).replace('\t', TAB)
}

/// One row of the side-by-side view: a line index on either side (or none) and the gutter mark.
type Row = (Option<usize>, Option<usize>, char);

fn rows(diff: &TextDiff<'_, '_, str>) -> Vec<Row> {
    let mut rows = Vec::new();
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => rows.extend(old.zip(new).map(|(o, n)| (Some(o), Some(n), ' '))),
            DiffTag::Delete => rows.extend(old.map(|o| (Some(o), None, '<'))),
            DiffTag::Insert => rows.extend(new.map(|n| (None, Some(n), '>'))),
            DiffTag::Replace => {
                // Changed lines face each other; the longer side goes on alone.
                let (old, new): (Vec<usize>, Vec<usize>) = (old.collect(), new.collect());
                for i in 0..old.len().max(new.len()) {
                    let (o, n) = (old.get(i).copied(), new.get(i).copied());
                    let mark = match (o, n) {
                        (Some(_), Some(_)) => '|',
                        (Some(_), None) => '<',
                        _ => '>',
                    };
                    rows.push((o, n, mark));
                }
            }
        }
    }
    rows
}

fn side_by_side(sides: &Sides, diff: &TextDiff<'_, '_, str>, column: usize, s: &Styles) -> String {
    let left: Vec<String> = diff.iter_old_slices().map(shown).collect();
    let right: Vec<String> = diff.iter_new_slices().map(shown).collect();
    let digits = left.len().max(right.len()).max(1).to_string().len();
    let text_width = column - digits - 1;
    let label = fit(sides.left_label, column);
    let mut out = format!(
        "{}{}   {}\n",
        paint(s.bold, &label),
        " ".repeat(column - display_width(&label)),
        paint(s.bold, &fit(sides.right_label, column))
    );
    // A line as numbered pieces: its number on the first piece only.
    let cell = |index: Option<usize>, lines: &[String]| -> Vec<(String, String)> {
        let Some(i) = index else {
            return Vec::new();
        };
        pieces(&lines[i], text_width)
            .into_iter()
            .enumerate()
            .map(|(k, piece)| {
                let number = if k == 0 {
                    (i + 1).to_string()
                } else {
                    String::new()
                };
                (format!("{number:>digits$}"), piece)
            })
            .collect()
    };
    for (o, n, mark) in rows(diff) {
        let (left_style, right_style) = match mark {
            ' ' => (Style::new(), Style::new()),
            '<' => (s.diff_removed, Style::new()),
            '>' => (Style::new(), s.diff_added),
            _ => (s.diff_removed, s.diff_added),
        };
        let (l, r) = (cell(o, &left), cell(n, &right));
        for k in 0..l.len().max(r.len()) {
            let left_cell = match l.get(k) {
                Some((number, text)) => format!(
                    "{} {}{}",
                    paint(s.dim, number),
                    paint(left_style, text),
                    " ".repeat(text_width - display_width(text))
                ),
                None => " ".repeat(column),
            };
            let gutter = if k == 0 && mark != ' ' {
                format!(" {} ", paint(s.diff_header, &mark.to_string()))
            } else {
                " ".repeat(GUTTER)
            };
            let right_cell = match r.get(k) {
                Some((number, text)) => {
                    format!("{} {}", paint(s.dim, number), paint(right_style, text))
                }
                None => String::new(),
            };
            out.push_str(format!("{left_cell}{gutter}{right_cell}").trim_end());
            out.push('\n');
        }
    }
    out
}

/// `text` cut into pieces at most `width` columns wide (a long line continues on the next row).
fn pieces(text: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        pieces.last_mut().expect("never empty").push(c);
        used += w;
    }
    pieces
}

/// `text` cut to `width` columns, with `…` when cut.
fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut cut: String = pieces(text, width.saturating_sub(1)).remove(0);
    cut.push('…');
    cut
}

fn unified(sides: &Sides, diff: &TextDiff<'_, '_, str>, s: &Styles) -> String {
    let mut out = format!(
        "{}\n{}\n",
        paint(s.diff_removed, &format!("--- {}", sides.left_label)),
        paint(s.diff_added, &format!("+++ {}", sides.right_label))
    );
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        out.push_str(&paint(s.diff_header, &hunk.header().to_string()));
        out.push('\n');
        for change in hunk.iter_changes() {
            let line = shown(change.value());
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', s.diff_removed),
                ChangeTag::Insert => ('+', s.diff_added),
                ChangeTag::Equal => (' ', Style::new()),
            };
            let line = format!("{sign}{line}");
            out.push_str(&paint(style, line.trim_end()));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINE: &str =
        "def f(x):\n    total = 0\n    for i in range(x):\n        total += i\n    return total\n";
    const REFERENCE: &str = "def f(x):\n    return x * (x - 1) // 2\n";

    fn sides<'a>(left: &'a str, right: &'a str) -> Sides<'a> {
        Sides {
            left,
            left_label: "yours",
            right,
            right_label: "reference",
        }
    }

    #[test]
    fn narrow_pages_get_a_unified_diff() {
        let text = render(&sides(MINE, REFERENCE), Some(80), &Styles::plain());
        assert_eq!(
            text,
            "--- yours\n+++ reference\n@@ -1,5 +1,2 @@\n def f(x):\n-    total = 0\n-    for i in range(x):\n-        total += i\n-    return total\n+    return x * (x - 1) // 2\n"
        );
        assert_eq!(
            render(&sides(MINE, REFERENCE), None, &Styles::plain()),
            text
        );
    }

    #[test]
    fn wide_pages_get_two_columns_with_changed_lines_facing_each_other() {
        let text = render(
            &sides(MINE, REFERENCE),
            Some(SIDE_BY_SIDE_WIDTH),
            &Styles::plain(),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0].trim_end(),
            format!("yours{}reference", " ".repeat(58))
        );
        assert_eq!(
            lines[1],
            format!("1 def f(x):{}1 def f(x):", " ".repeat(60 - 11 + GUTTER))
        );
        assert!(
            lines[2].starts_with("2     total = 0 ")
                && lines[2].ends_with(" | 2     return x * (x - 1) // 2"),
            "{text}"
        );
        assert!(lines[3].ends_with(" <"), "{text}");
        assert_eq!(lines.len(), 6, "{text}");
        assert!(
            lines.iter().all(|l| display_width(l) <= SIDE_BY_SIDE_WIDTH),
            "{text}"
        );
    }

    #[test]
    fn long_lines_continue_on_the_next_row_and_control_characters_are_escaped() {
        let long = format!("x = '{}'\n", "a".repeat(100));
        let text = render(
            &sides(&long, "x = '\x1b[2J'\n"),
            Some(130),
            &Styles::plain(),
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].contains("\\x1b[2J"), "{text}");
        assert!(lines[2].starts_with("  aaaa"), "{text}");
        assert!(lines.iter().all(|l| display_width(l) <= 130), "{text}");
    }

    #[test]
    fn identical_files_and_a_missing_final_newline_are_one_line() {
        let text = render(&sides("a\nb", "a\nb\n"), Some(200), &Styles::plain());
        assert_eq!(text, "yours and reference are the same, line for line\n");
    }
}
