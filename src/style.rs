//! Semantic text styles. Renderers take `&Styles` and stay testable as plain text; whether a
//! stream gets colour at all is decided once per stream (see `config.rs`).

use anstyle::{AnsiColor, Style};

#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    pub error: Style,
    pub warning: Style,
    pub pass: Style,
    pub fail: Style,
    pub hint: Style,
    pub dim: Style,
    pub bold: Style,
    pub diff_added: Style,
    pub diff_removed: Style,
    pub diff_header: Style,
    pub marker: Style,
    /// Heatmap cells, from the quietest day with any activity to the busiest.
    pub heat: [Style; 4],
}

impl Styles {
    /// No escape codes at all.
    pub fn plain() -> Styles {
        Styles::default()
    }

    pub fn colored() -> Styles {
        let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        Styles {
            error: fg(AnsiColor::Red).bold(),
            warning: fg(AnsiColor::Yellow).bold(),
            pass: fg(AnsiColor::Green).bold(),
            fail: fg(AnsiColor::Red).bold(),
            hint: fg(AnsiColor::Cyan),
            dim: Style::new().dimmed(),
            bold: Style::new().bold(),
            diff_added: fg(AnsiColor::Green),
            diff_removed: fg(AnsiColor::Red),
            diff_header: fg(AnsiColor::Cyan),
            marker: fg(AnsiColor::Yellow).bold(),
            heat: [22, 28, 34, 46]
                .map(|c| Style::new().fg_color(Some(anstyle::Ansi256Color(c).into()))),
        }
    }

    pub fn for_color(color: bool) -> Styles {
        if color {
            Styles::colored()
        } else {
            Styles::plain()
        }
    }
}

/// `text` wrapped in `style` (nothing added for the default style).
pub fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}
