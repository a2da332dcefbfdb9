//! The staging folder of one run: `<tmp>/kata-run-<pid>-<random>/`, holding the driver's input
//! (read only for the learner's code), its results file (written by the driver) and `tmp/`, the
//! only folder the learner's code may write (its `TMPDIR`).
//!
//! kata removes the folder when the run ends, including after Ctrl-C, SIGTERM or SIGHUP (see
//! `interrupt`). A SIGKILL leaves it behind, so kata holds an exclusive lock on `.owner` inside
//! it while the run lasts, and the first run of the next kata sweeps the folders whose kata is
//! gone: the pid in the name no longer runs, or (the pid reused) the lock is free on a folder
//! too old to be one being created. Folders of other users are left alone.

use anyhow::{Context, Result};
use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Once;

const PREFIX: &str = "kata-run-";
const OWNER: &str = ".owner";

/// One run's staging folder, removed on drop.
pub struct Scratch {
    dir: tempfile::TempDir,
    /// Locked for as long as the run lasts (released when the file closes).
    _owner: File,
}

impl Scratch {
    /// Creates a staging folder (after sweeping stale ones, once per kata process).
    pub fn create() -> Result<Scratch> {
        static SWEEP: Once = Once::new();
        SWEEP.call_once(|| sweep(&std::env::temp_dir()));
        create_in(&std::env::temp_dir())
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The driver's input (the operations of every case, never the expected results).
    pub fn input(&self) -> PathBuf {
        self.path().join("input.jsonl")
    }

    /// The results channel's name, for the instant between its creation and its unlinking
    /// (the driver writes to the open descriptor, its stdin).
    pub fn results(&self) -> PathBuf {
        self.path().join("results.jsonl")
    }

    /// The learner's writable folder, given as `TMPDIR`.
    pub fn tmp(&self) -> PathBuf {
        self.path().join("tmp")
    }
}

fn create_in(parent: &Path) -> Result<Scratch> {
    let dir = tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .context("cannot create a temporary folder for the run")?;
    let owner_path = dir.path().join(OWNER);
    let owner = File::create(&owner_path)
        .with_context(|| format!("cannot create `{}`", owner_path.display()))?;
    owner
        .try_lock()
        .with_context(|| format!("cannot lock `{}`", owner_path.display()))?;
    let scratch = Scratch { dir, _owner: owner };
    fs::create_dir(scratch.tmp())
        .with_context(|| format!("cannot create `{}`", scratch.tmp().display()))?;
    Ok(scratch)
}

/// Removes the staging folders in `parent` left by kata processes that are gone. Best effort:
/// a folder that cannot be removed stays for the next sweep.
fn sweep(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let uid = nix::unistd::getuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = owner_pid(&name.to_string_lossy()) else {
            continue;
        };
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == uid);
        if ours && pid != std::process::id() && is_stale(&path, pid) {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The pid in a staging folder's name (`kata-run-<pid>-<random>`).
fn owner_pid(name: &str) -> Option<u32> {
    let (pid, _) = name.strip_prefix(PREFIX)?.split_once('-')?;
    pid.parse().ok()
}

/// Whether the kata that made the folder is gone: its process no longer exists, or (the pid
/// taken by another process since) nobody holds the folder's lock and the folder is older than
/// a run could be while being created. A lock alone is not enough: between creating `.owner`
/// and locking it, a young folder's lock is free.
fn is_stale(dir: &Path, pid: u32) -> bool {
    if !process_exists(pid) {
        return true;
    }
    let old = fs::metadata(dir)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > MIN_STALE_AGE));
    old && File::open(dir.join(OWNER)).is_ok_and(|owner| owner.try_lock().is_ok())
}

/// How old a folder with a live pid and a free lock must be before it is swept.
const MIN_STALE_AGE: std::time::Duration = std::time::Duration::from_secs(600);

fn process_exists(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return true;
    };
    !matches!(
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
        Err(nix::errno::Errno::ESRCH)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_owner_pid() {
        assert_eq!(owner_pid("kata-run-4242-a1B2c3"), Some(4242));
        assert_eq!(
            owner_pid("kata-run-a1B2c3"),
            None,
            "older folders are left alone"
        );
        assert_eq!(owner_pid("kata-test-1-x"), None);
    }

    #[test]
    fn the_sweep_removes_only_folders_whose_owner_is_gone() {
        let parent = tempfile::tempdir().unwrap();
        let live = create_in(parent.path()).unwrap();
        // A folder whose kata was killed: the lock file is there, nobody holds it, the pid is
        // gone (pids stop below 2^22).
        let stale = parent.path().join(format!("{PREFIX}2000000001-dead"));
        fs::create_dir_all(stale.join("tmp/deep")).unwrap();
        File::create(stale.join(OWNER)).unwrap();
        // Without a lock file: stale when no such process exists...
        let orphan = parent.path().join(format!("{PREFIX}2000000000-gone"));
        fs::create_dir(&orphan).unwrap();
        // ...kept while it does (pid 1 always runs): a folder still being created, before or
        // just after its lock file appears.
        let young = parent.path().join(format!("{PREFIX}1-young"));
        fs::create_dir(&young).unwrap();
        let locking = parent.path().join(format!("{PREFIX}1-locking"));
        fs::create_dir(&locking).unwrap();
        File::create(locking.join(OWNER)).unwrap();
        // A live pid (taken over by another process) with a free lock on an old folder.
        let reused = parent.path().join(format!("{PREFIX}1-reused"));
        fs::create_dir(&reused).unwrap();
        File::create(reused.join(OWNER)).unwrap();
        let long_ago = std::time::SystemTime::now() - 2 * MIN_STALE_AGE;
        File::open(&reused).unwrap().set_modified(long_ago).unwrap();
        let unrelated = parent.path().join("kata-run-notes");
        fs::create_dir(&unrelated).unwrap();

        sweep(parent.path());
        assert!(!stale.exists() && !orphan.exists() && !reused.exists());
        assert!(live.path().is_dir() && young.is_dir() && locking.is_dir());
        assert!(unrelated.is_dir());

        let path = live.path().to_path_buf();
        drop(live);
        assert!(!path.exists(), "a finished run removes its folder");
    }
}
