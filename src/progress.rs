//! The progress store: `<workspace>/.kata/progress.jsonl`.
//!
//! Format: one JSON object per line, appended and never rewritten. Every line carries `v`
//! (format version, currently 1), `ts` (RFC 3339 UTC), `event` (`start`, `check`, `hint`,
//! `reveal`, `reset`, `review`), `slug` and `lang`; `check` adds `passed`, `total`,
//! `duration_ms` and `first_failing`, and may add `watch` (`true`: run by watch mode on a
//! save) and `probe_ratios` (probe name -> measured growth of time per operation); `hint` adds
//! `hint` (the number revealed); `start` may add `timed_minutes`. `review` (a look at the
//! reference after a pass, `kata review`) carries nothing more.
//!
//! New fields are optional and new kinds only ever added, under the same version: a kata that
//! predates a kind (`review` came after the first release) skips those lines with a warning
//! and reads the rest, and every reader here ignores fields it does not know.
//!
//! Writers take an exclusive lock on the file, write the whole line with one `write` call on a
//! file opened for appending, and sync it before unlocking, so concurrent kata processes never
//! interleave or lose lines and a crash can at worst leave one torn last line. A writer whose
//! event depends on the log (the next hint) reads it under the same lock ([`append_after`]).
//! Readers skip a torn, corrupt or newer-version line with a warning and leave it in the file.
//! Only a regular file is read or written, and the workspace refuses a `.kata` folder or log
//! that is a symlink leading out of it ([`check_links`]), so nothing is written through one.

use crate::lang::Language;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub const FORMAT_VERSION: u32 = 1;
pub const FILE: &str = "progress.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Start,
    Check,
    Hint,
    Reveal,
    Reset,
    Review,
}

/// One line of the progress file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub v: u32,
    pub ts: jiff::Timestamp,
    pub event: Kind,
    pub slug: String,
    pub lang: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timed_minutes: Option<u32>,
    /// The follow-up stage a check graded, a hint belonged to or a timed start began (absent:
    /// the exercise itself, stage 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<u32>,
    /// A check of that stage alone (`kata check --stage N`): not a step forward.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stage_only: bool,
    /// A check run by watch mode after a save, not asked for one by one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub watch: bool,
    /// Probe name -> the growth of time per operation it measured (large size over small).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_ratios: Option<BTreeMap<String, f64>>,
}

impl Event {
    pub fn new(event: Kind, slug: &str, lang: Language, ts: jiff::Timestamp) -> Event {
        Event {
            v: FORMAT_VERSION,
            ts,
            event,
            slug: slug.to_string(),
            lang,
            passed: None,
            total: None,
            duration_ms: None,
            first_failing: None,
            hint: None,
            timed_minutes: None,
            stage: None,
            stage_only: false,
            watch: false,
            probe_ratios: None,
        }
    }

    /// A check that passed every case.
    pub fn is_pass(&self) -> bool {
        self.event == Kind::Check && self.passed.is_some() && self.passed == self.total
    }
}

/// The events of a workspace, plus the lines that could not be used.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    /// (1-based line, reason) for each skipped line.
    pub skipped: Vec<(usize, String)>,
}

pub fn path(state_dir: &Path) -> PathBuf {
    state_dir.join(FILE)
}

/// Appends one event (see the module docs for the guarantees).
pub fn append(state_dir: &Path, event: &Event) -> Result<()> {
    let (path, mut file) = open_locked(state_dir)?;
    let written = write_line(&mut file, event);
    let _ = file.unlock();
    written.with_context(|| format!("cannot write to `{}`", path.display()))
}

/// Reads the log and appends the event `decide` picks from it, holding the lock from the read
/// to the write: concurrent kata processes decide one after the other, each seeing the
/// events of those before it. Returns what `decide` returned besides the event.
pub fn append_after<T>(
    state_dir: &Path,
    decide: impl FnOnce(&Log) -> (T, Option<Event>),
) -> Result<T> {
    let (path, mut file) = open_locked(state_dir)?;
    let done = (|| {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let (value, event) = decide(&parse(&bytes));
        if let Some(event) = event {
            write_line(&mut file, &event)
                .with_context(|| format!("cannot write to `{}`", path.display()))?;
        }
        Ok(value)
    })();
    let _ = file.unlock();
    done
}

/// Opens the log for reading and appending (creating it) and takes the exclusive lock.
fn open_locked(state_dir: &Path) -> Result<(PathBuf, File)> {
    fs::create_dir_all(state_dir)
        .with_context(|| format!("cannot create `{}`", state_dir.display()))?;
    let path = path(state_dir);
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open `{}` for appending", path.display()))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        anyhow::bail!("cannot append to `{}`: not a regular file", path.display());
    }
    file.lock()
        .with_context(|| format!("cannot lock `{}`", path.display()))?;
    Ok((path, file))
}

/// Writes one event as one line to the locked log, and syncs it.
fn write_line(file: &mut File, event: &Event) -> Result<()> {
    let mut line = serde_json::to_string(event).context("cannot encode a progress event")?;
    line.push('\n');
    // After a crash mid-write the file may end inside a line: start on a fresh one, so the
    // torn line stays as it was and this event stays readable.
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut last = [b'\n'];
    if len > 0 {
        let _ = file.read_at(&mut last, len - 1);
    }
    if last[0] != b'\n' {
        line.insert(0, '\n');
    }
    file.write_all(line.as_bytes())?;
    file.sync_data()?;
    Ok(())
}

/// Refuses a `.kata` folder or progress log under `root` that is a symlink leading out of the
/// workspace (kata would read and write through it). Links that stay inside are fine.
pub fn check_links(root: &Path, state_dir: &Path) -> Result<()> {
    let Ok(root) = root.canonicalize() else {
        return Ok(()); // no workspace yet: nothing to follow
    };
    for link in [state_dir.to_path_buf(), path(state_dir)] {
        let is_link = fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            continue;
        }
        let target = resolve_link(&link);
        if !target.as_deref().is_some_and(|t| t.starts_with(&root)) {
            let shown = target.unwrap_or_else(|| fs::read_link(&link).unwrap_or_default());
            anyhow::bail!(
                "`{}` is a symlink to `{}`, outside the workspace: kata does not read or write through it; replace it with a regular {}",
                link.display(),
                shown.display(),
                if link == state_dir { "folder" } else { "file" }
            );
        }
    }
    Ok(())
}

/// Where a symlink leads, even when its target does not exist yet (its folder does).
fn resolve_link(link: &Path) -> Option<PathBuf> {
    if let Ok(target) = link.canonicalize() {
        return Some(target);
    }
    let target = link.parent()?.join(fs::read_link(link).ok()?);
    Some(
        target
            .parent()?
            .canonicalize()
            .ok()?
            .join(target.file_name()?),
    )
}

/// Reads every event; a missing file is an empty log.
pub fn read(state_dir: &Path) -> Result<Log> {
    let path = path(state_dir);
    let bytes = match read_bytes(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Log::default()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    Ok(parse(&bytes))
}

/// The file's bytes, refusing anything but a regular file (a device such as /dev/zero would
/// never end).
fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    fs::read(path)
}

/// The latest event matching `wanted`, scanning from the end of the file (a check needs only
/// the latest start of its exercise, not the whole history). Only lines containing `needle`
/// (a quoted word every wanted event holds, like `"start"`) are parsed: scanning 100,000
/// events for a start far back then costs a memchr pass, not 100,000 JSON parses.
pub fn latest(state_dir: &Path, needle: &str, wanted: impl Fn(&Event) -> bool) -> Option<Event> {
    let bytes = read_bytes(&path(state_dir)).ok()?;
    let found = newest_first(&bytes, needle).find(|e| wanted(e));
    found
}

/// Every event whose line contains `needle` and that `wanted` accepts, newest first (the
/// same prefilter as [`latest`]).
pub fn matching(state_dir: &Path, needle: &str, wanted: impl Fn(&Event) -> bool) -> Vec<Event> {
    let Ok(bytes) = read_bytes(&path(state_dir)) else {
        return Vec::new();
    };
    newest_first(&bytes, needle).filter(|e| wanted(e)).collect()
}

fn newest_first<'a>(bytes: &'a [u8], needle: &'a str) -> impl Iterator<Item = Event> + 'a {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    bytes
        .split(|b| *b == b'\n')
        .rev()
        .filter(move |line| finder.find(line).is_some())
        .filter_map(|line| serde_json::from_slice::<Event>(line).ok())
        .filter(|e| e.v <= FORMAT_VERSION)
}

/// Parses the file's bytes (pure). Large logs are split at line boundaries and parsed on
/// every core: 100,000 events are read in well under 100 ms (see `benches/stats_100k.py`).
pub fn parse(bytes: &[u8]) -> Log {
    const CHUNK_MIN: usize = 1 << 20;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(bytes.len() / CHUNK_MIN + 1);
    // Chunk boundaries just after a newline, so no line is split.
    let mut bounds = vec![0];
    for t in 1..threads {
        let guess = bytes.len() * t / threads;
        let at = memchr::memchr(b'\n', &bytes[guess..]).map_or(bytes.len(), |p| guess + p + 1);
        if at > *bounds.last().expect("non-empty") && at < bytes.len() {
            bounds.push(at);
        }
    }
    bounds.push(bytes.len());
    let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &bytes[w[0]..w[1]]).collect();
    let parts: Vec<Log> = if chunks.len() == 1 {
        vec![parse_chunk(chunks[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|chunk| scope.spawn(move || parse_chunk(chunk)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("parser thread panicked"))
                .collect()
        })
    };
    // Line numbers were counted per chunk; make them count from the start of the file.
    let mut offset = 0;
    let parts: Vec<Log> = parts
        .into_iter()
        .zip(&chunks)
        .map(|(mut part, chunk)| {
            for (line, _) in &mut part.skipped {
                *line += offset;
            }
            offset += memchr::memchr_iter(b'\n', chunk).count();
            part
        })
        .collect();
    // Grow the first part rather than copying every part into a new vector.
    let total: usize = parts.iter().map(|p| p.events.len()).sum();
    let mut parts = parts.into_iter();
    let mut log = parts.next().unwrap_or_default();
    log.events.reserve(total - log.events.len());
    for mut part in parts {
        log.events.append(&mut part.events);
        log.skipped.append(&mut part.skipped);
    }
    log
}

/// Parses whole lines; line numbers in `skipped` count from the chunk's start.
fn parse_chunk(bytes: &[u8]) -> Log {
    let mut log = Log {
        // Events are ~150 bytes a line; a close estimate saves regrowing a big vector.
        events: Vec::with_capacity(bytes.len() / 128 + 1),
        skipped: Vec::new(),
    };
    let mut rest = bytes;
    let mut number = 0;
    while !rest.is_empty() {
        let (line, torn) = match memchr::memchr(b'\n', rest) {
            Some(end) => {
                let line = &rest[..end];
                rest = &rest[end + 1..];
                (line, false)
            }
            None => {
                let line = rest;
                rest = &[];
                (line, true)
            }
        };
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Event>(line) {
            Ok(event) if event.v > FORMAT_VERSION => log.skipped.push((
                number,
                format!("written by a newer kata (format version {})", event.v),
            )),
            Ok(event) => log.events.push(event),
            Err(_) if torn => log.skipped.push((
                number,
                "incomplete last line (interrupted write)".to_string(),
            )),
            Err(e) => {
                // A newer version may add fields or event kinds this kata cannot read.
                let version = serde_json::from_slice::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v.get("v").and_then(|v| v.as_u64()));
                let reason = match version {
                    Some(v) if v > u64::from(FORMAT_VERSION) => {
                        format!("written by a newer kata (format version {v})")
                    }
                    _ => format!("not a progress event ({e})"),
                };
                log.skipped.push((number, reason));
            }
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_bad_lines_and_keeps_the_rest() {
        let good = serde_json::to_string(&Event::new(
            Kind::Start,
            "lru-cache",
            Language::Python,
            jiff::Timestamp::UNIX_EPOCH,
        ))
        .unwrap();
        let text = format!(
            "{good}\ngarbage\n{{\"v\":9,\"event\":\"teleport\"}}\n{good}\n{}",
            &good[..20]
        );
        let log = parse(text.as_bytes());
        assert_eq!(log.events.len(), 2);
        let lines: Vec<usize> = log.skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 3, 5]);
        assert!(log.skipped[1].1.contains("newer kata"));
        assert!(log.skipped[2].1.contains("incomplete"));
    }

    /// Run by `concurrent_appends_never_interleave` in a child process.
    #[test]
    fn append_worker() {
        let Some(dir) = std::env::var_os("KATA_TEST_APPEND_DIR") else {
            return;
        };
        let tag = std::env::var("KATA_TEST_APPEND_TAG").unwrap();
        for i in 0..1000 {
            let mut event = Event::new(
                Kind::Hint,
                &tag,
                Language::Python,
                jiff::Timestamp::UNIX_EPOCH,
            );
            event.hint = Some(i);
            append(Path::new(&dir), &event).unwrap();
        }
    }

    #[test]
    fn concurrent_appends_never_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let spawn = |tag: &str| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "progress::tests::append_worker",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("KATA_TEST_APPEND_DIR", dir.path())
                .env("KATA_TEST_APPEND_TAG", tag)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn("a"), spawn("b"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let text = fs::read_to_string(path(dir.path())).unwrap();
        assert_eq!(text.lines().count(), 2000);
        let log = parse(text.as_bytes());
        assert!(log.skipped.is_empty(), "{:?}", log.skipped);
        for tag in ["a", "b"] {
            let hints: Vec<usize> = log
                .events
                .iter()
                .filter(|e| e.slug == tag)
                .map(|e| e.hint.unwrap())
                .collect();
            assert_eq!(
                hints,
                (0..1000).collect::<Vec<_>>(),
                "{tag} in order, none lost"
            );
        }
    }

    #[test]
    fn a_full_disk_or_a_device_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let event = Event::new(
            Kind::Start,
            "retry",
            Language::Rust,
            jiff::Timestamp::UNIX_EPOCH,
        );
        std::os::unix::fs::symlink("/dev/full", path(dir.path())).unwrap();
        let error = format!("{:#}", append(dir.path(), &event).unwrap_err());
        assert!(error.contains("not a regular file"), "{error}");
        fs::remove_file(path(dir.path())).unwrap();
        // ENOSPC, as a full disk gives it: a regular file under a 1-byte file-size limit is
        // not possible here (SIGXFSZ), so /dev/full is written to directly.
        let mut full = OpenOptions::new().append(true).open("/dev/full").unwrap();
        let error = write_line(&mut full, &event).unwrap_err();
        assert!(format!("{error:#}").contains("No space left"), "{error:#}");
    }

    #[test]
    fn symlinks_out_of_the_workspace_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join(".kata");
        std::os::unix::fs::symlink(outside.path(), &state).unwrap();
        let error = check_links(root.path(), &state).unwrap_err().to_string();
        assert!(
            error.contains("outside the workspace") && error.ends_with("regular folder"),
            "{error}"
        );
        fs::remove_file(&state).unwrap();

        fs::create_dir(&state).unwrap();
        std::os::unix::fs::symlink(outside.path().join("log"), path(&state)).unwrap();
        let error = check_links(root.path(), &state).unwrap_err().to_string();
        assert!(error.contains("log`, outside"), "a dangling link: {error}");
        fs::remove_file(path(&state)).unwrap();

        // Links that stay inside the workspace are fine.
        fs::write(root.path().join("elsewhere.jsonl"), "").unwrap();
        std::os::unix::fs::symlink("../elsewhere.jsonl", path(&state)).unwrap();
        check_links(root.path(), &state).unwrap();
    }

    #[test]
    fn append_after_decides_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let hint = |n| {
            let mut event = Event::new(
                Kind::Hint,
                "retry",
                Language::Python,
                jiff::Timestamp::UNIX_EPOCH,
            );
            event.hint = Some(n);
            event
        };
        for expected in 0..3 {
            let seen = append_after(dir.path(), |log| {
                (log.events.len(), Some(hint(log.events.len() + 1)))
            })
            .unwrap();
            assert_eq!(seen, expected);
        }
        let seen = append_after(dir.path(), |log| (log.events.len(), None)).unwrap();
        assert_eq!(seen, 3, "nothing appended when nothing is decided");
        let hints: Vec<_> = read(dir.path())
            .unwrap()
            .events
            .iter()
            .map(|e| e.hint)
            .collect();
        assert_eq!(hints, vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn an_append_after_a_torn_line_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(path(dir.path()), "{\"v\":1,\"ts").unwrap();
        let event = Event::new(
            Kind::Start,
            "retry",
            Language::Rust,
            jiff::Timestamp::UNIX_EPOCH,
        );
        append(dir.path(), &event).unwrap();
        let log = read(dir.path()).unwrap();
        assert_eq!(log.events, vec![event]);
        assert_eq!(log.skipped.len(), 1);
        assert!(fs::read_to_string(path(dir.path()))
            .unwrap()
            .starts_with("{\"v\":1,\"ts\n"));
    }

    #[test]
    fn chunked_parsing_keeps_order_and_line_numbers() {
        let good = serde_json::to_string(&Event::new(
            Kind::Check,
            "lru-cache",
            Language::Rust,
            jiff::Timestamp::UNIX_EPOCH,
        ))
        .unwrap();
        let mut text = String::new();
        for i in 0..30_000 {
            if i == 20_000 {
                text.push_str("garbage\n");
            } else {
                text.push_str(&good);
                text.push('\n');
            }
        }
        assert!(text.len() > 2 << 20, "large enough to be split");
        let log = parse(text.as_bytes());
        assert_eq!(log.events.len(), 29_999);
        assert_eq!(log.skipped.len(), 1);
        assert_eq!(log.skipped[0].0, 20_001);
    }
}
