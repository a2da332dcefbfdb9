//! The table of a failing case: operation / expected / actual per row, the first divergence
//! marked, long cases cut to the rows around it, repeated "not run" rows folded into one line,
//! and the columns sized to the page (pure).

use super::page::Page;
use crate::grade::Row;
use crate::style::paint;
use crate::table;
use crate::text::shorten;
use anstyle::Style;

/// Rows shown around the first divergence in long cases.
const CONTEXT_ROWS: usize = 4;
/// Longest cell in unwrapped (piped) output: a 4 KiB value should not flood a log.
const MAX_CELL: usize = 200;
/// The narrowest a column is squeezed to on a small terminal.
const MIN_COLUMN: usize = 10;

/// The table, indented, one line per row; a long case is cut to the rows around `first`.
pub fn render(rows: &[Row], first: Option<usize>, page: &Page) -> String {
    table(rows, first, page, false)
}

/// The table of every row of the case.
pub fn render_all(rows: &[Row], first: Option<usize>, page: &Page) -> String {
    table(rows, first, page, true)
}

fn table(rows: &[Row], first: Option<usize>, page: &Page, all: bool) -> String {
    let s = &page.styles;
    let shown: Vec<usize> = match first {
        Some(f) if !all && rows.len() > 2 * CONTEXT_ROWS + 6 => {
            let start = f.saturating_sub(CONTEXT_ROWS);
            let end = (f + CONTEXT_ROWS + 1).min(rows.len());
            (start..end).collect()
        }
        _ => (0..rows.len()).collect(),
    };
    let lines = fold_repeats(rows, &shown);
    let number_width = rows.len().to_string().len();
    let natural = [
        "operation"
            .len()
            .max(longest(rows, &shown, |r| r.op.clone())),
        "expected"
            .len()
            .max(longest(rows, &shown, |r| r.expected.clone())),
        "actual".len().max(longest(rows, &shown, actual_of)),
    ];
    // "  > 12  " before the cells, two spaces between them.
    let fixed = 4 + number_width + 2 + 2 * 2;
    let widths = fit(&natural, page.width().map(|w| w.saturating_sub(fixed)));
    let plain = Style::new();
    let mut cells: Vec<Vec<table::Cell>> = vec![["#", "operation", "expected", "actual"]
        .iter()
        .map(|h| (h.to_string(), plain))
        .collect()];
    for line in &lines {
        let Line::Row(i) = *line else { continue };
        let row = &rows[i];
        let focus = focus(row);
        let actual_style = if row.matches { plain } else { s.fail };
        cells.push(vec![
            ((i + 1).to_string(), plain),
            (shorten(&row.op, widths[0], 0), plain),
            (shorten(&row.expected, widths[1], focus), plain),
            (shorten(&actual_of(row), widths[2], focus), actual_style),
        ]);
    }
    let rendered = table::render_aligned(&cells, &[true]);
    let mut rendered = rendered.lines();
    let mut out = String::new();
    if let Some(header) = rendered.next() {
        out.push_str(&format!("    {header}\n"));
    }
    if let Some(&start) = shown.first().filter(|&&i| i > 0) {
        let before = format!("... {start} operations before");
        out.push_str(&format!("    {}\n", paint(s.dim, &before)));
    }
    for line in &lines {
        match *line {
            Line::Row(i) => {
                let marker = if Some(i) == first {
                    paint(s.marker, ">")
                } else {
                    " ".to_string()
                };
                let text = rendered.next().unwrap_or_default();
                out.push_str(&format!("  {marker} {text}\n"));
            }
            Line::Folded(n) => {
                let more = format!(
                    "... {n} more operation{} with the same result",
                    if n == 1 { "" } else { "s" }
                );
                out.push_str(&format!("    {}\n", paint(s.dim, &more)));
            }
        }
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

/// A line of the table: a row, or a count of rows folded into the one above.
enum Line {
    Row(usize),
    Folded(usize),
}

/// The shown rows, with each run of wrong rows that repeat the row above's "not run"
/// result folded into one line: an untouched starter says why once, not six times.
fn fold_repeats(rows: &[Row], shown: &[usize]) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut folded = 0;
    for (n, &i) in shown.iter().enumerate() {
        let repeats = n > 0 && {
            let (row, above) = (&rows[i], &rows[shown[n - 1]]);
            !row.matches
                && row.actual == above.actual
                && row
                    .actual
                    .as_deref()
                    .is_some_and(|a| a.starts_with("not run:"))
        };
        if repeats {
            folded += 1;
            continue;
        }
        if folded > 0 {
            lines.push(Line::Folded(folded));
            folded = 0;
        }
        lines.push(Line::Row(i));
    }
    if folded > 0 {
        lines.push(Line::Folded(folded));
    }
    lines
}

fn longest(rows: &[Row], shown: &[usize], text: impl Fn(&Row) -> String) -> usize {
    shown
        .iter()
        .map(|&i| text(&rows[i]).chars().count())
        .max()
        .unwrap_or(0)
}

/// Column widths: the natural ones when they fit in `available` (or are within the piped
/// cap), else the widest columns are narrowed first, never below `MIN_COLUMN`.
fn fit(natural: &[usize; 3], available: Option<usize>) -> [usize; 3] {
    let Some(available) = available else {
        return natural.map(|w| w.min(MAX_CELL));
    };
    if natural.iter().sum::<usize>() <= available {
        return *natural;
    }
    // The largest cap such that sum(min(width, cap)) fits.
    let mut cap = *natural.iter().max().unwrap_or(&MIN_COLUMN);
    while cap > MIN_COLUMN && natural.iter().map(|w| (*w).min(cap)).sum::<usize>() > available {
        cap -= 1;
    }
    natural.map(|w| w.min(cap).max(MIN_COLUMN.min(w)))
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
    use crate::style::Styles;

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

    fn page(width: Option<usize>) -> Page {
        Page {
            styles: Styles::plain(),
            width,
        }
    }

    #[test]
    fn marks_the_first_divergence() {
        let rows = vec![row("new 2", "ok", "ok"), row("get 2", "-1", "2")];
        assert_eq!(
            render(&rows, Some(1), &page(None)),
            "    #  operation  expected  actual\n    1  new 2      ok        ok\n  > 2  get 2      -1        2\n"
        );
    }

    #[test]
    fn long_cases_show_the_rows_around_it() {
        let rows: Vec<Row> = (0..30)
            .map(|i| row(&format!("get {i}"), "1", if i == 20 { "2" } else { "1" }))
            .collect();
        let text = render(&rows, Some(20), &page(None));
        assert!(text.contains("... 16 operations before"), "{text}");
        assert!(text.contains("  > 21  get 20"), "{text}");
        assert!(text.contains("... 5 operations after"), "{text}");
    }

    #[test]
    fn a_repeated_not_run_reason_is_said_once() {
        let why = "not run: the constructor failed or was not called";
        let mut rows = vec![row(
            "new 2",
            "ok",
            "error NotImplementedError: LRUCache.__init__",
        )];
        rows.extend((0..6).map(|i| row(&format!("get {i}"), "1", why)));
        let text = render(&rows, Some(0), &page(None));
        assert_eq!(text.matches(why).count(), 1, "{text}");
        assert!(
            text.contains("... 5 more operations with the same result"),
            "{text}"
        );
    }

    #[test]
    fn cells_are_sized_to_the_page() {
        let long = "x".repeat(150);
        let rows = vec![row("get 1", &long, &format!("{long}y"))];
        let narrow = render(&rows, Some(0), &page(Some(80)));
        assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
        let wide = render(&rows, Some(0), &page(Some(400)));
        assert!(wide.contains(&format!("{long}y")), "{wide}");
        let piped = render(&rows, Some(0), &page(None));
        assert!(
            piped
                .lines()
                .all(|l| l.chars().count() <= 2 * MAX_CELL + 30),
            "{piped}"
        );
    }
}
