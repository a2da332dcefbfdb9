//! Confining the learner's code (Linux): what a run may read, execute and write, no network,
//! and kernel limits on memory, CPU time, file size and processes. `docs/sandbox.md` says what
//! is allowed and why.
//!
//! Confining a child between fork and exec needs `unsafe` (`pre_exec`), which kata forbids, so
//! kata re-executes itself as a trampoline instead: `kata __sandbox-exec [policy] -- PROGRAM
//! ARGS...` (dispatched by `main` before the arguments are parsed, so it is in no help text)
//! sets the limits, asks to die with kata, restricts itself with Landlock and `exec`s the
//! program, which inherits all of it. Where Landlock is missing the limits still apply, and
//! [`warning`] says once per check that the code is not (fully) confined.

mod limits;
#[cfg(target_os = "linux")]
mod rules;
#[cfg(target_os = "linux")]
pub mod trampoline;

pub use limits::Limits;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The hidden first argument that makes kata the trampoline.
pub const ENTRY: &str = "__sandbox-exec";

/// Exit status of a trampoline that could not confine itself (nothing of the learner's ran).
pub const SETUP_FAILED: i32 = 125;
/// Start of the trampoline's one-line explanation on stderr when it could not.
pub const SETUP_PREFIX: &str = "kata sandbox: ";

/// Whether runs are confined: `KATA_SANDBOX=off` turns it off for debugging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    On,
    Off,
}

impl Mode {
    /// Reads a `KATA_SANDBOX` value (unset or empty: on).
    pub fn parse(value: Option<&str>) -> Result<Mode, String> {
        match value.map(str::trim) {
            None | Some("" | "on" | "1" | "true" | "yes") => Ok(Mode::On),
            Some("off" | "0" | "false" | "no") => Ok(Mode::Off),
            Some(other) => Err(format!(
                "KATA_SANDBOX=`{other}` is not understood: use `on` (the default) or `off`"
            )),
        }
    }

    /// Whether runs go through the trampoline (Linux only: elsewhere kata runs code as is).
    pub fn confines(self) -> bool {
        cfg!(target_os = "linux") && self == Mode::On
    }
}

/// What a built program needs beyond the system's shared libraries, decided by the runner
/// that built it.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Read and execute: the interpreter or the built binary, the toolchain's libraries.
    pub exec: Vec<PathBuf>,
    /// Read only: the staged harness and driver.
    pub read: Vec<PathBuf>,
    /// The exercise's memory limit.
    pub memory_mib: u64,
}

/// Everything one confined run may touch, and its limits.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub exec: Vec<PathBuf>,
    pub read: Vec<PathBuf>,
    /// Read and write (no execute): the run's scratch folder (its results go to an already
    /// open descriptor, stdin).
    pub write: Vec<PathBuf>,
    pub limits: Limits,
}

/// A command that runs `program` confined by `policy`: kata itself as the trampoline, with the
/// program last, so the caller adds the program's own arguments, folder and environment.
pub fn command(policy: &Policy, program: &Path) -> Command {
    let mut cmd = Command::new(own_executable());
    {
        use std::os::unix::process::CommandExt;
        cmd.arg0("kata");
    }
    cmd.arg(ENTRY);
    for (flag, paths) in [
        ("--exec", &policy.exec),
        ("--read", &policy.read),
        ("--write", &policy.write),
    ] {
        for path in paths {
            cmd.arg(flag).arg(path);
        }
    }
    cmd.env("MALLOC_ARENA_MAX", limits::ARENAS)
        .args(policy.limits.to_args())
        .arg("--parent")
        .arg(std::process::id().to_string())
        .arg("--")
        .arg(program);
    cmd
}

/// kata's own binary. On Linux `/proc/self/exe`, read by the child while it is still kata:
/// that is the running binary even when a rebuild has replaced the file since (watch mode).
fn own_executable() -> OsString {
    if cfg!(target_os = "linux") {
        OsString::from("/proc/self/exe")
    } else {
        std::env::current_exe()
            .map(OsString::from)
            .unwrap_or_else(|_| OsString::from("kata"))
    }
}

/// The trampoline's explanation when it could not confine the run (and so ran nothing).
pub fn setup_failure(exit_code: Option<i32>, stderr: &[u8]) -> Option<String> {
    if exit_code != Some(SETUP_FAILED) {
        return None;
    }
    let text = String::from_utf8_lossy(stderr);
    let line = text.lines().next()?.strip_prefix(SETUP_PREFIX)?;
    Some(line.to_string())
}

/// One line for the learner when their code will not be (fully) confined here, or `None`.
pub fn warning(mode: Mode) -> Option<String> {
    if mode == Mode::Off {
        return Some(unconfined("KATA_SANDBOX=off"));
    }
    #[cfg(target_os = "linux")]
    {
        rules::shortfall().map(|why| match why {
            rules::Shortfall::Missing(why) => unconfined(&format!("Landlock unavailable: {why}")),
            rules::Shortfall::Partial(what) => {
                format!("your code runs only partly confined here ({what}); see docs/sandbox.md")
            }
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        Some(unconfined("Landlock is Linux only"))
    }
}

fn unconfined(why: &str) -> String {
    format!("your code runs without a sandbox here ({why}): it can read and write what you can")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kata_sandbox_values() {
        assert_eq!(Mode::parse(None), Ok(Mode::On));
        assert_eq!(Mode::parse(Some("")), Ok(Mode::On));
        assert_eq!(Mode::parse(Some("off")), Ok(Mode::Off));
        assert_eq!(Mode::parse(Some("0")), Ok(Mode::Off));
        assert!(Mode::parse(Some("maybe")).unwrap_err().contains("`maybe`"));
    }

    #[test]
    fn only_the_trampolines_own_line_is_a_setup_failure() {
        let line = format!("{SETUP_PREFIX}cannot restrict: oops\nmore");
        assert_eq!(
            setup_failure(Some(SETUP_FAILED), line.as_bytes()).as_deref(),
            Some("cannot restrict: oops")
        );
        assert_eq!(setup_failure(Some(1), line.as_bytes()), None);
        assert_eq!(setup_failure(Some(SETUP_FAILED), b"learner's stderr"), None);
    }
}
