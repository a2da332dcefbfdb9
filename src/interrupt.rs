//! Ctrl-C for commands that run learner code: the handler only sets a flag, which a running
//! check watches so it can kill its process group before kata exits (the group does not get
//! the terminal's SIGINT, so a killed kata would leave it running).

use anyhow::{Context, Result};
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Routes Ctrl-C to [`flag`] for the rest of the process.
pub fn install() -> Result<()> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed))
        .context("cannot install the Ctrl-C handler")
}

/// Set once Ctrl-C was pressed.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}
