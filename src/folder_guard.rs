//! The exercise folder as it was before the learner's code ran, to put back what that code
//! deletes or chmods: its own file, the README, a subfolder, the whole folder. A changed
//! content is left alone (that is the editor saving). Build output, caches and virtual
//! environments are not kept, symlinks are never followed, and the learner's own file is
//! always kept first, whatever else the folder holds.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// At most this many bytes and files are kept besides the learner's file.
const MAX_BYTES: u64 = 4 << 20;
const MAX_FILES: usize = 256;
/// Folders never kept: build output, caches, environments.
const SKIPPED: [&str; 5] = ["target", "__pycache__", "node_modules", "venv", "env"];

pub struct FolderGuard {
    root: PathBuf,
    /// Folders, parents first, with their permission bits.
    dirs: Vec<(PathBuf, u32)>,
    /// Regular files with their contents and permission bits.
    files: Vec<(PathBuf, Vec<u8>, u32)>,
}

impl FolderGuard {
    pub fn new(root: &Path, learner_file: &Path) -> FolderGuard {
        let mut guard = FolderGuard {
            root: root.to_path_buf(),
            dirs: Vec::new(),
            files: Vec::new(),
        };
        guard.keep_file(learner_file);
        let mut budget = MAX_BYTES;
        guard.walk(root, learner_file, &mut budget);
        guard
    }

    fn keep_file(&mut self, path: &Path) -> Option<u64> {
        let meta = fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let bytes = fs::read(path).ok()?;
        let size = bytes.len() as u64;
        self.files.push((
            path.to_path_buf(),
            bytes,
            meta.permissions().mode() & 0o7777,
        ));
        Some(size)
    }

    fn walk(&mut self, dir: &Path, learner_file: &Path, budget: &mut u64) {
        let Ok(meta) = fs::symlink_metadata(dir) else {
            return;
        };
        self.dirs
            .push((dir.to_path_buf(), meta.permissions().mode() & 0o7777));
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if self.files.len() >= MAX_FILES || *budget == 0 {
                return;
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let hidden = name.starts_with('.') && name != ".gitignore";
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if hidden || kind.is_symlink() || path == learner_file {
                continue;
            }
            if kind.is_dir() {
                if !SKIPPED.contains(&name.as_ref()) {
                    self.walk(&path, learner_file, budget);
                }
            } else if kind.is_file() && entry.metadata().is_ok_and(|m| m.len() <= *budget) {
                if let Some(size) = self.keep_file(&path) {
                    *budget = budget.saturating_sub(size);
                }
            }
        }
    }

    /// Restores what was deleted or chmod-ed; says what it did.
    pub fn restore(&self) -> Option<String> {
        let mut report = Report::default();
        for (dir, mode) in &self.dirs {
            let shown = match self.shown(dir) {
                rel if rel.is_empty() => "the exercise folder".to_string(),
                rel => format!("{rel}/"),
            };
            match fs::symlink_metadata(dir) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    report.deleted.push(shown.clone());
                    let made = fs::create_dir_all(dir)
                        .and_then(|()| fs::set_permissions(dir, fs::Permissions::from_mode(*mode)));
                    report.failed_if(made, &shown);
                }
                Ok(meta) if meta.is_dir() && meta.permissions().mode() & 0o7777 != *mode => {
                    report.chmodded.push(shown.clone());
                    let set = fs::set_permissions(dir, fs::Permissions::from_mode(*mode));
                    report.failed_if(set, &shown);
                }
                Ok(meta) if !meta.is_dir() => {
                    report.failed.push(format!("{shown} (no longer a folder)"))
                }
                _ => {}
            }
        }
        for (path, bytes, mode) in &self.files {
            let shown = self.shown(path);
            let write = || {
                path.parent()
                    .map_or(Ok(()), fs::create_dir_all)
                    .and_then(|()| fs::write(path, bytes))
                    .and_then(|()| fs::set_permissions(path, fs::Permissions::from_mode(*mode)))
            };
            match fs::symlink_metadata(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    report.deleted.push(shown.clone());
                    report.failed_if(write(), &shown);
                }
                // Replaced by a symlink: writing through it could land anywhere.
                Ok(meta) if meta.file_type().is_symlink() => {
                    report.deleted.push(shown.clone());
                    report.failed_if(fs::remove_file(path).and_then(|()| write()), &shown);
                }
                Ok(meta) if !meta.is_file() => {
                    report.failed.push(format!("{shown} (no longer a file)"));
                }
                Ok(meta) if meta.permissions().mode() & 0o7777 != *mode => {
                    report.chmodded.push(shown.clone());
                    let set = fs::set_permissions(path, fs::Permissions::from_mode(*mode));
                    report.failed_if(set, &shown);
                }
                _ => {}
            }
        }
        report.sentence()
    }

    /// `path` relative to the exercise folder ("" for the folder itself).
    fn shown(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }
}

#[derive(Default)]
struct Report {
    deleted: Vec<String>,
    chmodded: Vec<String>,
    failed: Vec<String>,
}

impl Report {
    fn failed_if(&mut self, result: std::io::Result<()>, shown: &str) {
        if let Err(e) = result {
            self.failed.push(format!("{shown} ({e})"));
        }
    }

    fn sentence(&self) -> Option<String> {
        let mut what = Vec::new();
        if !self.deleted.is_empty() {
            what.push(format!("deleted {}", listing(&self.deleted)));
        }
        if !self.chmodded.is_empty() {
            what.push(format!(
                "changed the permissions of {}",
                listing(&self.chmodded)
            ));
        }
        if what.is_empty() && self.failed.is_empty() {
            return None;
        }
        if what.is_empty() {
            what.push("changed files".to_string());
        }
        let outcome = if self.failed.is_empty() {
            "kata put back what was there before (a check that does this never counts as a pass)"
                .to_string()
        } else {
            format!("kata could not put back {}", listing(&self.failed))
        };
        Some(format!(
            "your code {} during the check: {outcome}",
            what.join(" and ")
        ))
    }
}

/// Names, the first few of them: deleting a whole folder would otherwise list every file.
fn listing(names: &[String]) -> String {
    const SHOWN: usize = 4;
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", names[..SHOWN].join(", ")),
        _ => names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_folders_and_files_come_back_with_their_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("lru-cache");
        fs::create_dir_all(root.join("src")).unwrap();
        let file = root.join("src/lib.rs");
        fs::write(&file, "mine").unwrap();
        fs::write(root.join("README.md"), "statement").unwrap();
        fs::set_permissions(root.join("README.md"), fs::Permissions::from_mode(0o640)).unwrap();
        fs::create_dir_all(root.join("target/debug")).unwrap();
        fs::write(root.join("target/debug/big"), "build output").unwrap();
        let guard = FolderGuard::new(&root, &file);
        assert!(guard.restore().is_none(), "nothing changed");

        fs::remove_dir_all(&root).unwrap();
        let said = guard.restore().unwrap();
        assert!(
            said.starts_with("your code deleted the exercise folder, ")
                && said.contains("src/lib.rs"),
            "{said}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
        let mode = fs::metadata(root.join("README.md"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o640);
        assert!(!root.join("target").exists(), "build output is not kept");
    }

    #[test]
    fn a_file_swapped_for_a_symlink_is_replaced_not_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ex");
        fs::create_dir_all(&root).unwrap();
        let file = root.join("m.py");
        fs::write(&file, "mine").unwrap();
        let outside = tmp.path().join("secret");
        fs::write(&outside, "secret").unwrap();
        let guard = FolderGuard::new(&root, &file);
        fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&outside, &file).unwrap();
        assert!(guard.restore().is_some());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "secret");
        assert!(!fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    }

    #[test]
    fn the_learners_file_is_kept_even_when_the_folder_is_full() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("ex");
        fs::create_dir_all(root.join("data")).unwrap();
        for i in 0..(MAX_FILES + 10) {
            fs::write(root.join(format!("data/{i}.txt")), "x").unwrap();
        }
        let file = root.join("zz_last.py");
        fs::write(&file, "mine").unwrap();
        let guard = FolderGuard::new(&root, &file);
        fs::remove_file(&file).unwrap();
        guard.restore();
        assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    }
}
