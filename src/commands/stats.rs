//! `kata stats`: progress figures from the event log, as tables or JSON.

use super::{catalog_entries, read_log, Outcome};
use crate::config::Config;
use crate::stats::{self, Stats, Tally};
use crate::style::{paint, Styles};
use crate::{output, table};
use anyhow::Result;

pub fn run(cfg: &Config, json: bool) -> Result<Outcome> {
    let ws = cfg.workspace()?;
    let log = if ws.exists() {
        read_log(cfg, ws)
    } else {
        Default::default()
    };
    let stats = stats::compute(&log.events, &catalog_entries(cfg), cfg.now, &cfg.tz);
    if json {
        let mut value = serde_json::to_value(&stats)?;
        value["workspace"] = serde_json::json!(ws.root.display().to_string());
        value["skipped_lines"] = serde_json::json!(log.skipped.len());
        output::out(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
    } else {
        output::out(&render(&stats, &ws.root.display().to_string(), &cfg.out))?;
    }
    Ok(Outcome::Success)
}

fn render(stats: &Stats, workspace: &str, s: &Styles) -> String {
    let mut out = format!(
        "{} in {workspace} ({} events)\n\n",
        paint(s.bold, "Progress"),
        stats.events
    );
    tally_table(&mut out, "language", &stats.languages, s);
    out.push('\n');
    tally_table(&mut out, "topic", &stats.topics, s);
    if !stats.exercises.is_empty() {
        out.push('\n');
        let header = [
            "exercise",
            "lang",
            "checks",
            "first pass",
            "time to pass",
            "hints",
            "peeked",
            "timed",
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for e in &stats.exercises {
            rows.push(vec![
                e.slug.clone(),
                e.lang.name().to_string(),
                e.checks.to_string(),
                e.attempts_to_pass
                    .map(|n| format!("check {n}"))
                    .unwrap_or_else(|| "-".to_string()),
                e.seconds_to_pass
                    .map(duration)
                    .unwrap_or_else(|| "-".to_string()),
                e.hints.to_string(),
                if e.peeked { "yes" } else { "no" }.to_string(),
                match (e.timed_minutes, e.solved_within_budget) {
                    (Some(m), Some(true)) => format!("{m} min: within"),
                    (Some(m), Some(false)) => format!("{m} min: over"),
                    (Some(m), None) => format!("{m} min: running"),
                    (None, _) => "-".to_string(),
                },
            ]);
        }
        out.push_str(&table::render(&table::with_header(&header, s.bold, rows)));
    }
    if stats.stages_solved > 0 {
        out.push_str(&format!(
            "\nfollow-up stages solved: {}\n",
            stats.stages_solved
        ));
    }
    let plural = |n: u32| if n == 1 { "day" } else { "days" };
    out.push_str(&format!(
        "\nstreak: {} {} (longest {} {})\n\nlast 7 days (checks, passing ones in brackets):\n",
        stats.current_streak,
        plural(stats.current_streak),
        stats.longest_streak,
        plural(stats.longest_streak)
    ));
    let max = stats
        .last_7_days
        .iter()
        .map(|d| d.checks)
        .max()
        .unwrap_or(0)
        .max(1);
    for day in &stats.last_7_days {
        let width = (day.checks * 24).div_ceil(max);
        let bar = "█".repeat(width);
        out.push_str(&format!(
            "  {} {:<24} {}{}\n",
            day.date.strftime("%a %d"),
            paint(s.pass, &bar),
            day.checks,
            if day.passes > 0 {
                format!(" ({})", day.passes)
            } else {
                String::new()
            }
        ));
    }
    out
}

fn tally_table(out: &mut String, first: &str, tallies: &[Tally], s: &Styles) {
    let rows = tallies
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                t.solved.to_string(),
                t.started.to_string(),
                t.total.to_string(),
            ]
        })
        .collect();
    out.push_str(&table::render(&table::with_header(
        &[first, "solved", "started", "total"],
        s.bold,
        rows,
    )));
}

/// Seconds as `2d 3h`, `1h 05m`, `12m 30s` or `45s`.
fn duration(seconds: i64) -> String {
    let (d, h, m, s) = (
        seconds / 86400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}
