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
    if !file.exists() {
        bail!(
            "{slug} ({lang}) is not started in `{}`: nothing to reset (`kata start {slug} --lang {lang}` starts it)",
            ws.root.display()
        );
    }
    // The copy must exist before anything is overwritten.
    let backup = ws.backup(lang, &exercise.slug, &file)?;
    // Written next to the file and renamed over it: a failed write (a full disk, a file-size
    // limit) leaves the learner's file whole, never a cut-off starter.
    replace_atomically(&file, exercise.starter(lang)?.as_bytes()).with_context(|| {
        format!(
            "cannot write `{}` (it is unchanged; your copy is also in {})",
            file.display(),
            backup.display()
        )
    })?;
    // Put back any scaffold file the learner deleted, without touching the others.
    let dir = ws.exercise_dir(lang, &exercise.slug);
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
    output::out(&format!(
        "Restored the starter of {} ({lang}) in {}\nYour previous file is saved as {}\n",
        exercise.slug,
        file.display(),
        backup.display()
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
    let permissions = std::fs::metadata(path)?.permissions();
    tmp.as_file().set_permissions(permissions)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
