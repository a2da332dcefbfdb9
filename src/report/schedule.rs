//! The failing schedule of concurrent code, as a readable trace: a column per thread, the
//! learner's lines and lock / wait / notify events in the order they ran, the step where the
//! invariant broke marked, and the seed that replays it (pure).

use super::page::Page;
use crate::runner::protocol::{Explored, TraceEvent};
use crate::style::paint;
use crate::text::shorten;
use std::fmt::Write as _;

/// Steps shown before the step that broke the invariant (or the last one), and after it.
const BEFORE: usize = 24;
const AFTER: usize = 6;
/// Width of a thread's column when the output is not laid out for a terminal.
const PIPED_COLUMN: usize = 36;
/// The narrowest a thread's column gets on a small terminal.
const MIN_COLUMN: usize = 14;

/// The learner's file: its name (as trace locations give it) and text.
pub struct Learner<'a> {
    pub file: &'a str,
    pub source: Option<&'a str>,
}

/// Where a failing schedule came from, to say how to replay it.
pub struct Replay<'a> {
    /// The case whose operation it broke.
    pub case: &'a str,
    /// The seed the check explored schedules with.
    pub seed: u64,
    /// How many different outcomes the exploration saw.
    pub outcomes: usize,
    /// Every recorded step (one case run alone, `kata check --case`), not only those around
    /// the step that broke the invariant.
    pub full: bool,
}

/// The trace of `schedule`, which gave the wrong outcome of an operation of `replay.case`.
pub fn render(
    out: &mut String,
    schedule: &Explored,
    replay: &Replay,
    learner: &Learner,
    page: &Page,
) {
    let s = &page.styles;
    let Replay {
        case,
        seed: check_seed,
        outcomes,
        full,
    } = *replay;
    let others = match outcomes {
        0 | 1 => String::new(),
        n => format!(" ({n} different outcomes were seen)"),
    };
    out.push('\n');
    out.push_str(&page.indented(
        2,
        &format!(
            "the schedule that breaks it: schedule {} of those explored with seed {check_seed}{others}; `kata check --case {case} --seed {check_seed}` replays it, step for step:",
            schedule.schedule + 1
        ),
    ));
    out.push('\n');
    let events = &schedule.trace;
    if events.is_empty() {
        let _ = writeln!(out, "    (no steps were recorded)");
        return;
    }
    let threads = threads(events);
    let broke = events
        .iter()
        .position(|e| e.ev == "violation")
        .unwrap_or(events.len() - 1);
    let (start, end) = if full {
        (0, events.len())
    } else {
        (
            broke.saturating_sub(BEFORE),
            (broke + AFTER + 1).min(events.len()),
        )
    };
    let number_width = (schedule.trace_cut as usize + events.len())
        .to_string()
        .len()
        .max(4);
    // Each thread's column as wide as its widest shown step, narrowed (widest first) to fit.
    let shown = &events[start..end];
    let natural: Vec<usize> = threads
        .iter()
        .map(|t| {
            shown
                .iter()
                .filter(|e| &e.th == t)
                .map(|e| describe(e, learner).chars().count())
                .max()
                .unwrap_or(0)
                .max(t.chars().count())
        })
        .collect();
    let columns = fit(
        &natural,
        page.width()
            .map(|w| w.saturating_sub(4 + number_width + 2 * threads.len())),
    );
    let mut header = format!("    {:>number_width$}", "step");
    for (thread, &column) in threads.iter().zip(&columns) {
        header.push_str(&format!("  {}", pad(thread, column)));
    }
    let _ = writeln!(out, "{}", paint(s.bold, header.trim_end()));
    if start > 0 || schedule.trace_cut > 0 {
        let hidden = start as u64 + schedule.trace_cut;
        let _ = writeln!(
            out,
            "    {}",
            paint(s.dim, &format!("... {hidden} earlier steps"))
        );
    }
    // Steps are numbered as they ran; a cut trace keeps its first events, so steps after
    // the cut count the events left out.
    let first_cut = events.len().min(100);
    for (i, event) in events.iter().enumerate().take(end).skip(start) {
        let step = if schedule.trace_cut > 0 && i >= first_cut {
            i as u64 + schedule.trace_cut + 1
        } else {
            i as u64 + 1
        };
        let lane = threads.iter().position(|t| *t == event.th).unwrap_or(0);
        let cell = shorten(&describe(event, learner), columns[lane], 0);
        let mut line = format!("{:>number_width$}", step);
        for &column in &columns[..lane] {
            line.push_str(&format!("  {}", " ".repeat(column)));
        }
        let cell = if i == broke {
            paint(s.error, &cell)
        } else if event.ev == "line" {
            cell
        } else {
            paint(s.hint, &cell)
        };
        line.push_str(&format!("  {cell}"));
        let marker = if i == broke {
            paint(s.marker, ">")
        } else {
            " ".to_string()
        };
        let _ = writeln!(out, "  {marker} {}", line.trim_end());
    }
    if end < events.len() {
        let _ = writeln!(
            out,
            "    {}",
            paint(s.dim, &format!("... {} later steps", events.len() - end))
        );
    }
    sources(out, &events[start..end], learner, page);
}

/// Lines of the learner's file listed under a trace.
const MAX_SOURCES: usize = 12;

/// The learner's lines where the shown steps' locks, waits, notifies... happened, with their
/// text: a cell shows only the line number there (a line step shows its own text).
fn sources(out: &mut String, shown: &[TraceEvent], learner: &Learner, page: &Page) {
    let Some(source) = learner.source else {
        return;
    };
    let mut numbers: Vec<usize> = shown
        .iter()
        .filter(|e| e.ev != "line")
        .filter_map(|e| line_number(e, learner))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let lines: Vec<(usize, &str)> = numbers
        .iter()
        .filter_map(|&n| Some((n, source.lines().nth(n.checked_sub(1)?)?.trim())))
        .filter(|(_, text)| !text.is_empty())
        .take(MAX_SOURCES)
        .collect();
    if lines.is_empty() {
        return;
    }
    let width = lines.last().map_or(1, |(n, _)| n.to_string().len());
    let text_width = page
        .width()
        .map_or(100, |w| w.saturating_sub(width + 9).max(20));
    let _ = writeln!(
        out,
        "\n  {}",
        paint(page.styles.dim, "where those steps are in your file:")
    );
    for (n, text) in lines {
        let _ = writeln!(
            out,
            "    {n:>width$} {} {}",
            paint(page.styles.dim, "|"),
            shorten(text, text_width, 0)
        );
    }
}

/// The threads in the order they first appear, `main` first.
fn threads(events: &[TraceEvent]) -> Vec<String> {
    let mut threads: Vec<String> = Vec::new();
    if events.iter().any(|e| e.th == "main") {
        threads.push("main".to_string());
    }
    for event in events {
        if !threads.contains(&event.th) {
            threads.push(event.th.clone());
        }
    }
    threads
}

/// One event as a cell: `14: ` (the learner's line, when the event happened in the
/// learner's file) then the source text of a line event, else what happened.
fn describe(event: &TraceEvent, learner: &Learner) -> String {
    let line_no = line_number(event, learner);
    let source = learner.source;
    let what = match (event.ev.as_str(), &event.detail) {
        ("line", _) => line_no
            .and_then(|n| source?.lines().nth(n.checked_sub(1)?))
            .map(str::trim)
            .unwrap_or("")
            .to_string(),
        ("atomic", Some(detail)) => detail.clone(),
        (ev, Some(detail)) => format!("{} {detail}", ev.replace('_', " ")),
        (ev, None) => ev.replace('_', " "),
    };
    match line_no {
        Some(n) => format!("{n}: {what}"),
        None => what,
    }
}

/// The line of the learner's file where `event` happened. Only locations in the learner's
/// file: kata's driver ("driver.py:37") means nothing to the learner.
fn line_number(event: &TraceEvent, learner: &Learner) -> Option<usize> {
    let name = learner.file.rsplit('/').next().unwrap_or(learner.file);
    let (file, line) = event.at.as_deref()?.rsplit_once(':')?;
    (file.rsplit('/').next() == Some(name) && !file.contains("[kata]")).then_some(())?;
    line.parse::<usize>().ok()
}

/// Column widths: the natural ones when they fit in `available` (piped: capped at
/// `PIPED_COLUMN`), else the widest are narrowed first, never below `MIN_COLUMN`.
fn fit(natural: &[usize], available: Option<usize>) -> Vec<usize> {
    let Some(available) = available else {
        return natural.iter().map(|w| (*w).min(PIPED_COLUMN)).collect();
    };
    let mut cap = natural.iter().copied().max().unwrap_or(MIN_COLUMN);
    while cap > MIN_COLUMN && natural.iter().map(|w| (*w).min(cap)).sum::<usize>() > available {
        cap -= 1;
    }
    natural.iter().map(|w| (*w).min(cap)).collect()
}

fn pad(text: &str, width: usize) -> String {
    let shown = shorten(text, width, 0);
    let len = shown.chars().count();
    format!("{shown}{}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Styles;

    fn event(th: &str, ev: &str, at: Option<&str>, detail: Option<&str>) -> TraceEvent {
        TraceEvent {
            th: th.into(),
            ev: ev.into(),
            at: at.map(Into::into),
            detail: detail.map(Into::into),
        }
    }

    #[test]
    fn a_column_per_thread_and_the_breaking_step_marked() {
        let schedule = Explored {
            v: "instances=2 init_calls=2".into(),
            schedule: 36,
            seed: 99,
            steps: 5,
            trace: vec![
                event("T1", "line", Some("singleton.py:2"), None),
                event("T2", "line", Some("singleton.py:2"), None),
                event("T2", "acquire", Some("singleton.py:3"), Some("Lock#1")),
                event("T1", "violation", None, Some("a second instance")),
            ],
            trace_cut: 0,
        };
        let source =
            "class SingletonMeta(type):\n    if cls not in instances:\n        with lock:\n";
        let page = Page {
            styles: Styles::plain(),
            width: Some(80),
        };
        let mut out = String::new();
        let learner = Learner {
            file: "singleton.py",
            source: Some(source),
        };
        let replay = Replay {
            case: "racing_first_calls",
            seed: 1,
            outcomes: 2,
            full: false,
        };
        render(&mut out, &schedule, &replay, &learner, &page);
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                "schedule 37 of those explored with seed 1 (2 different outcomes were seen)"
            ),
            "{out}"
        );
        assert!(
            flat.contains("`kata check --case racing_first_calls --seed 1` replays it"),
            "{out}"
        );
        let lines: Vec<&str> = out.lines().collect();
        let header = lines
            .iter()
            .find(|l| l.trim_start().starts_with("step"))
            .unwrap();
        assert!(
            header.contains("T1") && header.find("T1") < header.find("T2"),
            "{out}"
        );
        assert!(out.contains("   1  2: if cls not in instances:\n"), "{out}");
        assert!(out.contains("3: acquire Lock#1"), "{out}");
        assert!(out.contains("  > "), "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= 80), "{out}");
    }
}
