//! The spinner shown on stderr while a check runs: only on a terminal, never in `--json`.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub struct Spinner {
    bar: Option<ProgressBar>,
}

impl Spinner {
    /// A spinner titled `title`, or a silent one when `enabled` is false or stderr is not a
    /// terminal.
    pub fn start(enabled: bool, title: &str) -> Spinner {
        if !enabled || !std::io::stderr().is_terminal() {
            return Spinner { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix}: {msg}")
                .expect("valid template")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        bar.set_prefix(title.to_string());
        bar.enable_steady_tick(Duration::from_millis(80));
        Spinner { bar: Some(bar) }
    }

    pub fn step(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
