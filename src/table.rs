//! Plain-text tables with a style per cell (pure): columns padded to their widest cell,
//! two spaces apart, trailing spaces trimmed.

use crate::style::paint;
use anstyle::Style;

/// One cell: its text and how to paint it.
pub type Cell = (String, Style);

/// Renders rows of cells, every column left-aligned; every row must have the same number
/// of cells.
pub fn render(rows: &[Vec<Cell>]) -> String {
    render_aligned(rows, &[])
}

/// Like [`render`], with column `i` right-aligned when `right[i]` is true.
pub fn render_aligned(rows: &[Vec<Cell>], right: &[bool]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].0.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, ((text, style), width)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let padding = " ".repeat(width - text.chars().count());
            if right.get(i) == Some(&true) {
                line.push_str(&padding);
                line.push_str(&paint(*style, text));
            } else {
                line.push_str(&paint(*style, text));
                line.push_str(&padding);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A header row in `style` followed by unstyled rows.
pub fn with_header(header: &[&str], style: Style, rows: Vec<Vec<String>>) -> Vec<Vec<Cell>> {
    let mut all = vec![header.iter().map(|h| (h.to_string(), style)).collect()];
    all.extend(
        rows.into_iter()
            .map(|row| row.into_iter().map(|c| (c, Style::new())).collect()),
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns_and_trims_lines() {
        let rows = with_header(
            &["name", "n"],
            Style::new(),
            vec![
                vec!["lru-cache".into(), "3".into()],
                vec!["x".into(), "".into()],
            ],
        );
        assert_eq!(render(&rows), "name       n\nlru-cache  3\nx\n");
    }
}
