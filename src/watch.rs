//! Watch mode: re-run a check on every save of the learner's files, debounced (editors write
//! several times per save), surviving the file being deleted and re-created (editors that save
//! by rename) and the whole folder being removed and restored (git), until Ctrl-C.

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use std::path::Path;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;

/// How long events are collected before one check runs.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often the loop asks `stop` while waiting.
const POLL: Duration = Duration::from_millis(100);

/// What the watcher tells its caller between checks.
pub enum Wait {
    /// The learner's file is missing (an editor in the middle of a save, or deleted).
    Missing,
}

/// Runs `check` once, then again after every relevant change under `dir`, until `stop` says so
/// (Ctrl-C, or the learner moving on to another exercise).
pub fn run(
    dir: &Path,
    file: &Path,
    extension: &str,
    stop: impl Fn() -> bool,
    mut check: impl FnMut() -> Result<()>,
    mut waiting: impl FnMut(Wait),
) -> Result<()> {
    let (tx, rx) = channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("cannot start watching files")?;
    debouncer
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch `{}`", dir.display()))?;
    // The parent too, to notice the exercise folder itself coming back after a `git checkout`
    // or `git stash` removed it (a removed folder takes its watch with it).
    if let Some(parent) = dir.parent() {
        let _ = debouncer.watch(parent, RecursiveMode::NonRecursive);
    }
    check()?;
    while !stop() {
        match rx.recv_timeout(POLL) {
            Ok(Ok(events)) => {
                // Created, or renamed into place: either way a fresh watch is needed.
                let folder_back = dir.is_dir()
                    && events.iter().any(|e| {
                        !e.event.kind.is_access() && e.event.paths.iter().any(|p| p == dir)
                    });
                if folder_back {
                    let _ = debouncer.unwatch(dir);
                    // It may be gone again already; the parent's watch brings it back later.
                    let _ = debouncer.watch(dir, RecursiveMode::Recursive);
                }
                let relevant = folder_back
                    || events.iter().any(|e| {
                        matches!(
                            e.event.kind,
                            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                        ) && e
                            .event
                            .paths
                            .iter()
                            .any(|p| p.starts_with(dir) && is_source(p, file, extension))
                    });
                if !relevant {
                    continue;
                }
                if file.exists() {
                    check()?;
                } else {
                    waiting(Wait::Missing);
                }
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

/// The learner's file, or another source file of theirs (not build output or caches).
fn is_source(path: &Path, file: &Path, extension: &str) -> bool {
    if path == file {
        return true;
    }
    let in_build_dir = path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some("target" | "__pycache__" | ".git")
        )
    });
    !in_build_dir && path.extension().is_some_and(|e| e == extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_a_check() {
        let file = Path::new("/w/rust/x/src/lib.rs");
        assert!(is_source(file, file, "rs"));
        assert!(is_source(Path::new("/w/rust/x/src/helper.rs"), file, "rs"));
        assert!(!is_source(
            Path::new("/w/rust/x/target/debug/a.rs"),
            file,
            "rs"
        ));
        assert!(!is_source(
            Path::new("/w/rust/x/src/.lib.rs.swp"),
            file,
            "rs"
        ));
        assert!(!is_source(
            Path::new("/w/python/x/__pycache__/m.py"),
            file,
            "py"
        ));
    }
}
