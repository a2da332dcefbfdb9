//! Writing to the terminal: results to stdout, notes and warnings to stderr. Both go through
//! anstream, which drops colour codes on a stream that is not a terminal (or with NO_COLOR),
//! each stream decided on its own. A closed pipe (`kata list | head`) is not an error.

use crate::style::{paint, Styles};
use std::io::Write;

/// Writes `text` to stdout.
pub fn out(text: &str) -> std::io::Result<()> {
    let mut stdout = anstream::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Clears the terminal. Written past anstream, which would strip the sequence under NO_COLOR
/// or `--color never`: clearing is not colour. Only called when stdout is a terminal.
pub fn clear_screen() -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(b"\x1b[2J\x1b[H")?;
    stdout.flush()
}

/// Writes a line to stderr (best effort).
pub fn note(text: &str) {
    let mut stderr = anstream::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

/// `error: <text>` on stderr.
pub fn error(text: &str) {
    let styles = Styles::for_color(
        anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never,
    );
    note(&format!("{} {text}", paint(styles.error, "error:")));
}

/// `warning: <text>` on stderr.
pub fn warn(styles: &Styles, text: &str) {
    note(&format!("{} {text}", paint(styles.warning, "warning:")));
}
