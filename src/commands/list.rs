//! `kata list`: the catalog with the learner's status per language.

use super::{read_log, Outcome};
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::style::{paint, Styles};
use anyhow::Result;
use std::collections::HashSet;

pub fn run(cfg: &Config, lang: Option<Language>, topic: Option<&str>) -> Result<Outcome> {
    let ws = cfg.workspace().ok().filter(|w| w.exists());
    let solved: HashSet<(String, Language)> = match ws {
        Some(ws) => read_log(cfg, ws)
            .events
            .iter()
            .filter(|e| e.is_pass())
            .map(|e| (e.slug.clone(), e.lang))
            .collect(),
        None => HashSet::new(),
    };
    for (slug, why) in cfg.catalog.broken() {
        output::warn(&cfg.err, &format!("exercise `{slug}` is not listed: {why}"));
    }
    let s = &cfg.out;
    let mut rows = vec![vec![
        "slug".to_string(),
        "title".to_string(),
        "difficulty".to_string(),
        "topics".to_string(),
        "python".to_string(),
        "rust".to_string(),
    ]];
    let mut styles = vec![vec![s.bold; 6]];
    for exercise in cfg.catalog.exercises() {
        if lang.is_some_and(|l| !exercise.supports(l)) {
            continue;
        }
        if topic.is_some_and(|t| !exercise.meta.topics.iter().any(|x| x == t)) {
            continue;
        }
        let mut row = vec![
            exercise.slug.clone(),
            exercise.meta.title.clone(),
            exercise.meta.difficulty.as_str().to_string(),
            exercise.meta.topics.join(", "),
        ];
        let mut row_styles = vec![Styles::plain().bold; 4];
        for l in Language::ALL {
            let (status, style) = if !exercise.supports(l) {
                ("-", s.dim)
            } else if solved.contains(&(exercise.slug.clone(), l)) {
                ("solved", s.pass)
            } else if ws.is_some_and(|w| w.is_started(l, &exercise.slug)) {
                ("started", s.warning)
            } else {
                ("new", s.dim)
            };
            row.push(status.to_string());
            row_styles.push(style);
        }
        rows.push(row);
        styles.push(row_styles);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for (row, row_styles) in rows.iter().zip(&styles) {
        let cells: Vec<String> = row
            .iter()
            .zip(row_styles)
            .zip(&widths)
            .map(|((cell, style), width)| {
                let padding = " ".repeat(width - cell.chars().count());
                format!("{}{padding}", paint(*style, cell))
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text.push_str(&format!("\n{} exercises\n", rows.len() - 1));
    output::out(&text)?;
    Ok(Outcome::Success)
}
