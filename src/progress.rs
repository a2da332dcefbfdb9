//! The progress store: `<workspace>/.kata/progress.jsonl`.
//!
//! Format: one JSON object per line, appended and never rewritten. Every line carries `v`
//! (format version, currently 1), `ts` (RFC 3339 UTC), `event` (`start`, `check`, `hint`,
//! `reveal`, `reset`), `slug` and `lang`; `check` adds `passed`, `total`, `duration_ms` and
//! `first_failing`; `hint` adds `hint` (the number revealed); `start` may add `timed_minutes`.
//!
//! Writers take an exclusive lock on the file, write the whole line with one `write` call on a
//! file opened for appending, and sync it before unlocking, so concurrent kata processes never
//! interleave or lose lines and a crash can at worst leave one torn last line. Readers skip a
//! torn, corrupt or newer-version line with a warning and leave it in the file.

use crate::lang::Language;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FORMAT_VERSION: u32 = 1;
const FILE: &str = "progress.jsonl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Start,
    Check,
    Hint,
    Reveal,
    Reset,
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
}

impl Event {
    pub fn new(event: Kind, slug: &str, lang: Language) -> Event {
        Event {
            v: FORMAT_VERSION,
            ts: jiff::Timestamp::now(),
            event,
            slug: slug.to_string(),
            lang,
            passed: None,
            total: None,
            duration_ms: None,
            first_failing: None,
            hint: None,
            timed_minutes: None,
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
    fs::create_dir_all(state_dir)
        .with_context(|| format!("cannot create `{}`", state_dir.display()))?;
    let path = path(state_dir);
    let mut line = serde_json::to_string(event).context("cannot encode a progress event")?;
    line.push('\n');
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .with_context(|| format!("cannot open `{}` for appending", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock `{}`", path.display()))?;
    let written = file
        .write_all(line.as_bytes())
        .and_then(|()| file.sync_data());
    let _ = file.unlock();
    written.with_context(|| format!("cannot write to `{}`", path.display()))
}

/// Reads every event; a missing file is an empty log.
pub fn read(state_dir: &Path) -> Result<Log> {
    let path = path(state_dir);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Log::default()),
        Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    };
    Ok(parse(&bytes))
}

/// Parses the file's bytes (pure).
pub fn parse(bytes: &[u8]) -> Log {
    let mut log = Log::default();
    let complete = bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let torn = !complete && i + 1 == count;
        match serde_json::from_slice::<Event>(line) {
            Ok(event) if event.v > FORMAT_VERSION => log.skipped.push((
                i + 1,
                format!("written by a newer kata (format version {})", event.v),
            )),
            Ok(event) => log.events.push(event),
            Err(_) if torn => log.skipped.push((
                i + 1,
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
                log.skipped.push((i + 1, reason));
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
        let good =
            serde_json::to_string(&Event::new(Kind::Start, "lru-cache", Language::Python)).unwrap();
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
}
