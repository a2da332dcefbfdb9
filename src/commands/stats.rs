//! `kata stats`: progress from the event log as pictures fitted to the page (a calendar of
//! checks, mastery per topic, time to pass) and tables, or as JSON.

use super::{catalog_entries, read_log, Outcome};
use crate::config::Config;
use crate::report::Page;
use crate::stats::{self, Stats, Tally};
use crate::style::{paint, Styles};
use crate::{charts, output, table};
use jiff::civil::Date;

/// The width pictures are laid out for when the output is piped.
const PIPED_WIDTH: usize = 80;
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
        let page = Page {
            styles: cfg.out,
            width: cfg.width,
        };
        let today = cfg.tz.to_datetime(cfg.now).date();
        output::out(&render(
            &stats,
            &ws.root.display().to_string(),
            &page,
            today,
        ))?;
    }
    Ok(Outcome::Success)
}

fn render(stats: &Stats, workspace: &str, page: &Page, today: Date) -> String {
    let s = &page.styles;
    let width = page.width().unwrap_or(PIPED_WIDTH);
    let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    let checks: usize = stats.exercises.iter().map(|e| e.checks).sum();
    let watched: usize = stats.exercises.iter().map(|e| e.watch_checks).sum();
    let reviews: usize = stats.exercises.iter().map(|e| e.reviews).sum();
    let mut out = format!(
        "{} in {workspace} ({}): {}, {}, {}\n\n",
        paint(s.bold, "Progress"),
        plural(stats.events, "event"),
        plural(checks - watched, "check"),
        plural(watched, "watch re-run"),
        plural(reviews, "review"),
    );
    tally_table(&mut out, "language", &stats.languages, s);
    out.push('\n');
    out.push_str(&charts::calendar::render(
        &stats.daily_checks,
        today,
        width,
        s,
    ));
    let days = |n: u32| if n == 1 { "day" } else { "days" };
    out.push_str(&format!(
        "streak: {} {} (longest {} {})\n\n",
        stats.current_streak,
        days(stats.current_streak),
        stats.longest_streak,
        days(stats.longest_streak)
    ));
    out.push_str(&charts::bars::topics(&stats.topics, width, s));
    out.push('\n');
    out.push_str(&charts::bars::time_to_pass(&stats.exercises, width, s));
    if !stats.exercises.is_empty() {
        out.push('\n');
        let header = [
            "exercise",
            "lang",
            "checks",
            "watch",
            "first pass",
            "hints",
            "peeked",
            "reviews",
            "timed",
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for e in &stats.exercises {
            rows.push(vec![
                e.slug.clone(),
                e.lang.name().to_string(),
                (e.checks - e.watch_checks).to_string(),
                e.watch_checks.to_string(),
                e.attempts_to_pass
                    .map(|n| format!("run {n}"))
                    .unwrap_or_else(|| "-".to_string()),
                e.hints.to_string(),
                if e.peeked { "yes" } else { "no" }.to_string(),
                e.reviews.to_string(),
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
