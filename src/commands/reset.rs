//! `kata reset SLUG`: restore the starter after backing up the learner's file.

use super::{record, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::progress::{Event, Kind};
use crate::workspace::scaffold_files;
use anyhow::{bail, Context, Result};

pub fn run(cfg: &Config, slug: &str, lang: Option<Language>) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, Some(slug), lang)?;
    let ws = cfg.workspace()?;
    let file = ws.learner_file(lang, &exercise.slug);
    let dir = ws.exercise_dir(lang, &exercise.slug);
    if !file.exists() && !dir.is_dir() {
        bail!(
            "{slug} ({lang}) is not started in `{}`: nothing to reset (`kata start {slug} --lang {lang}` starts it)",
            ws.root.display()
        );
    }
    // The copy must exist before anything is overwritten (a deleted file has nothing to keep).
    let backup = match file.exists() {
        true => Some(ws.backup(lang, &exercise.slug, &file)?),
        false => None,
    };
    let kept = match &backup {
        Some(backup) => format!("your copy is also in {}", backup.display()),
        None => "there was no file to keep".to_string(),
    };
    // Written next to the file and renamed over it: a failed write (a full disk, a file-size
    // limit) leaves the learner's file whole, never a cut-off starter.
    replace_atomically(&file, exercise.starter(lang)?.as_bytes()).with_context(|| {
        format!(
            "cannot write `{}` (it is unchanged; {kept})",
            file.display()
        )
    })?;
    // Put back any scaffold file the learner deleted, without touching the others.
    for (relative, contents) in scaffold_files(exercise, lang)? {
        let path = dir.join(relative);
        if !path.exists() {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, contents)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
    }
    record(
        cfg,
        ws,
        &Event::new(Kind::Reset, &exercise.slug, lang, cfg.now),
    );
    let saved = match &backup {
        Some(backup) => format!("Your previous file is saved as {}", backup.display()),
        None => format!(
            "There was no file to save; earlier versions kata saved are in {}",
            ws.state_dir().join("backups").display()
        ),
    };
    output::out(&format!(
        "Restored the starter of {} ({lang}) in {}\n{saved}\n",
        exercise.slug,
        file.display()
    ))?;
    Ok(Outcome::Success)
}

/// Replaces `path` with `contents` in one rename, keeping its permissions.
fn replace_atomically(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) => metadata.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    };
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
