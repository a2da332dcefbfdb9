//! Ctrl-C, SIGTERM and SIGHUP (a closed terminal) for commands that run learner code: the
//! handler only sets a flag, which a running check watches so it can kill its process group
//! and remove its staging folder before kata exits (the group does not get the terminal's
//! signals, so a killed kata would leave it running; SIGKILL cannot be caught, so there the
//! sandbox's parent-death signal and the next run's sweep of staging folders take over).

use anyhow::{Context, Result};
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Routes Ctrl-C, SIGTERM and SIGHUP to [`flag`] for the rest of the process.
pub fn install() -> Result<()> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed))
        .context("cannot install the handler for Ctrl-C, SIGTERM and SIGHUP")
}

/// Set once Ctrl-C was pressed (or SIGTERM or SIGHUP received).
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}
