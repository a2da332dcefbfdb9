//! The table of a failing case: operation / expected / actual per row, the first divergence
//! marked, long cases cut to the rows around it (pure).

use crate::grade::Row;
use crate::style::{paint, Styles};
use crate::table;
use crate::text::shorten;
use anstyle::Style;

/// Rows shown around the first divergence in long cases.
const CONTEXT_ROWS: usize = 4;
/// Longest cell shown in the table before it is shortened.
const MAX_CELL: usize = 48;

/// The table, indented, one line per row.
pub fn render(rows: &[Row], first: Option<usize>, s: &Styles) -> String {
    let shown: Vec<usize> = match first {
        Some(f) if rows.len() > 2 * CONTEXT_ROWS + 6 => {
            let start = f.saturating_sub(CONTEXT_ROWS);
            let end = (f + CONTEXT_ROWS + 1).min(rows.len());
            (start..end).collect()
        }
        _ => (0..rows.len()).collect(),
    };
    let plain = Style::new();
    let mut cells: Vec<Vec<table::Cell>> = vec![["#", "operation", "expected", "actual"]
        .iter()
        .map(|h| (h.to_string(), plain))
        .collect()];
    for &i in &shown {
        let row = &rows[i];
        let focus = focus(row);
        let actual_style = if row.matches { plain } else { s.fail };
        cells.push(vec![
            ((i + 1).to_string(), plain),
            (shorten(&row.op, MAX_CELL, 0), plain),
            (shorten(&row.expected, MAX_CELL, focus), plain),
            (shorten(&actual_of(row), MAX_CELL, focus), actual_style),
        ]);
    }
    let lines = table::render_aligned(&cells, &[true]);
    let mut out = String::new();
    let mut lines = lines.lines();
    if let Some(header) = lines.next() {
        out.push_str(&format!("    {header}\n"));
    }
    if let Some(&start) = shown.first().filter(|&&i| i > 0) {
        let before = format!("... {start} operations before");
        out.push_str(&format!("    {}\n", paint(s.dim, &before)));
    }
    for (&i, line) in shown.iter().zip(lines) {
        let marker = if Some(i) == first {
            paint(s.marker, ">")
        } else {
            " ".to_string()
        };
        out.push_str(&format!("  {marker} {line}\n"));
    }
    if let Some(&end) = shown.last() {
        let after = rows.len() - end - 1;
        if after > 0 {
            let after = format!("... {after} operations after");
            out.push_str(&format!("    {}\n", paint(s.dim, &after)));
        }
    }
    out
}

/// Where a long wrong result first differs, so it is shown around there, not its start.
fn focus(row: &Row) -> usize {
    row.actual
        .as_deref()
        .filter(|_| !row.matches)
        .map_or(0, |a| {
            a.chars()
                .zip(row.expected.chars())
                .take_while(|(x, y)| x == y)
                .count()
        })
}

fn actual_of(row: &Row) -> String {
    match (&row.actual, &row.at) {
        (Some(a), Some(at)) => format!("{a} (at {at})"),
        (Some(a), None) => a.clone(),
        (None, _) => "(no result)".to_string(),
    }
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
    fn marks_the_first_divergence() {
        let rows = vec![row("new 2", "ok", "ok"), row("get 2", "-1", "2")];
        assert_eq!(
            render(&rows, Some(1), &Styles::plain()),
            "    #  operation  expected  actual\n    1  new 2      ok        ok\n  > 2  get 2      -1        2\n"
        );
    }

    #[test]
    fn long_cases_show_the_rows_around_it() {
        let rows: Vec<Row> = (0..30)
            .map(|i| row(&format!("get {i}"), "1", if i == 20 { "2" } else { "1" }))
            .collect();
        let text = render(&rows, Some(20), &Styles::plain());
        assert!(text.contains("... 16 operations before"), "{text}");
        assert!(text.contains("  > 21  get 20"), "{text}");
        assert!(text.contains("... 5 operations after"), "{text}");
    }
}
