//! Where a report is written: its styles and the width it may use (pure).
//!
//! On a terminal (or with `COLUMNS` set) text is wrapped to the width, table cells are sized to
//! it and continuation lines keep their indent; piped output is plain and unwrapped.

use crate::style::{paint, Styles};
use anstyle::Style;

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub styles: Styles,
    /// Columns available, or `None` to write unwrapped lines (piped output).
    pub width: Option<usize>,
}

/// The narrowest width kata lays text out for: below it, lines are wrapped as if it were this.
const MIN_WIDTH: usize = 40;

impl Page {
    pub fn width(&self) -> Option<usize> {
        self.width.map(|w| w.max(MIN_WIDTH))
    }

    /// `text` after a label (`  hint: `), wrapped to the width with continuation lines
    /// indented under the text; the label painted in `style`. One line when unwrapped.
    pub fn labelled(&self, indent: usize, label: &str, style: Style, text: &str) -> String {
        let lead = format!("{}{label} ", " ".repeat(indent));
        let hang = " ".repeat(indent + label.chars().count() + 1);
        let body = match self.width() {
            Some(width) => {
                let options = textwrap::Options::new(width)
                    .initial_indent(&lead)
                    .subsequent_indent(&hang);
                textwrap::fill(text, options)
            }
            None => format!("{lead}{text}"),
        };
        // Paint the label in place (the wrapped text starts with the plain lead).
        let painted = format!("{}{} ", " ".repeat(indent), paint(style, label));
        format!("{painted}{}\n", &body[lead.len()..])
    }

    /// `text` wrapped to the width with every line indented by `indent`.
    pub fn indented(&self, indent: usize, text: &str) -> String {
        let pad = " ".repeat(indent);
        match self.width() {
            Some(width) => {
                let options = textwrap::Options::new(width)
                    .initial_indent(&pad)
                    .subsequent_indent(&pad);
                format!("{}\n", textwrap::fill(text, options))
            }
            None => format!("{pad}{text}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_with_a_hanging_indent() {
        let page = Page {
            styles: Styles::plain(),
            width: Some(40),
        };
        let text = page.labelled(
            2,
            "hint:",
            Style::new(),
            "get(1) makes key 1 the most recently used, so put(3) must evict key 2.",
        );
        assert_eq!(
            text,
            "  hint: get(1) makes key 1 the most\n        recently used, so put(3) must\n        evict key 2.\n"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        let piped = Page {
            styles: Styles::plain(),
            width: None,
        };
        let unwrapped = piped.labelled(2, "hint:", Style::new(), "a b c");
        assert_eq!(unwrapped, "  hint: a b c\n");
    }
}
