//! `kata list`: the catalog with the learner's status per language, filters and totals.

use super::{read_log, Outcome};
use crate::catalog::meta::Difficulty;
use crate::cli::Status;
use crate::config::Config;
use crate::lang::Language;
use crate::style::Styles;
use crate::{output, table};
use anyhow::Result;
use std::collections::{HashMap, HashSet};

pub fn run(
    cfg: &Config,
    lang: Option<Language>,
    topic: Option<&str>,
    difficulty: Option<Difficulty>,
    status: Option<Status>,
) -> Result<Outcome> {
    for (slug, why) in cfg.catalog.broken() {
        output::warn(&cfg.err, &format!("exercise `{slug}` is not listed: {why}"));
    }
    if let Some(topic) = topic {
        check_topic(cfg, topic)?;
    }
    let ws = match cfg.workspace() {
        Ok(ws) => Some(ws).filter(|w| w.exists()),
        Err(e) => {
            // The catalog is still worth showing; the learner's status is not known.
            output::warn(&cfg.err, &format!("every status shows as new: {e:#}"));
            None
        }
    };
    // The highest stage passed per exercise and language (0: the exercise itself).
    let passed: HashMap<(String, Language), u32> = match ws {
        Some(ws) => crate::stage_progress::highest_passed_by_track(&read_log(cfg, ws).events),
        None => HashMap::new(),
    };
    let solved: HashSet<(String, Language)> = passed.keys().cloned().collect();
    let status_of = |slug: &str, l: Language| {
        if solved.contains(&(slug.to_string(), l)) {
            Status::Solved
        } else if ws.is_some_and(|w| w.is_started(l, slug)) {
            Status::Started
        } else {
            Status::New
        }
    };
    let current = ws.and_then(|_| crate::target::resolve(cfg, None, None).ok());
    let languages: Vec<Language> = match lang {
        Some(l) => vec![l],
        None => Language::ALL.to_vec(),
    };
    let s = &cfg.out;
    let mut header = vec!["", "slug", "title", "difficulty", "topics"];
    header.extend(languages.iter().map(|l| l.name()));
    let mut rows: Vec<Vec<table::Cell>> =
        vec![header.iter().map(|h| (h.to_string(), s.bold)).collect()];
    let mut totals = vec![[0usize; 3]; languages.len()];
    for exercise in cfg.catalog.exercises() {
        let slug = exercise.slug.as_str();
        if lang.is_some_and(|l| !exercise.supports(l))
            || topic.is_some_and(|t| !exercise.meta.topics.iter().any(|x| x == t))
            || difficulty.is_some_and(|d| d != exercise.meta.difficulty)
        {
            continue;
        }
        let statuses: Vec<Option<Status>> = languages
            .iter()
            .map(|l| exercise.supports(*l).then(|| status_of(slug, *l)))
            .collect();
        if status.is_some_and(|want| !statuses.contains(&Some(want))) {
            continue;
        }
        let is_current = current.is_some_and(|(e, _)| e.slug == slug);
        let mut row = vec![
            (if is_current { "*" } else { "" }.to_string(), s.marker),
            (slug.to_string(), Styles::plain().bold),
            (exercise.meta.title.clone(), Styles::plain().bold),
            (
                exercise.meta.difficulty.as_str().to_string(),
                Styles::plain().bold,
            ),
            (exercise.meta.topics.join(", "), s.dim),
        ];
        // With follow-ups, a started or solved exercise shows its stages passed: `2/3`.
        let stages = exercise.stages().map_or(0, |s| s.len() as u32);
        for (i, (st, l)) in statuses.iter().zip(&languages).enumerate() {
            let (text, style) = match st {
                None => ("-", s.dim),
                Some(Status::Solved) => ("solved", s.pass),
                Some(Status::Started) => ("started", s.warning),
                Some(Status::New) => ("new", s.dim),
            };
            let text = match (st, passed.get(&(slug.to_string(), *l))) {
                (Some(Status::Solved), Some(done)) if stages > 0 => {
                    format!("{text} {}/{}", done + 1, stages + 1)
                }
                (Some(Status::Started), None) if stages > 0 => format!("{text} 0/{}", stages + 1),
                _ => text.to_string(),
            };
            if let Some(st) = st {
                totals[i][*st as usize] += 1;
            }
            row.push((text, style));
        }
        rows.push(row);
    }
    let mut text = table::render(&rows);
    let shown = rows.len() - 1;
    let per_language: Vec<String> = languages
        .iter()
        .zip(&totals)
        .map(|(l, [new, started, solved])| {
            format!("{l}: {solved} solved, {started} started, {new} new")
        })
        .collect();
    text.push_str(&format!(
        "\n{shown} exercise{} ({})\n",
        if shown == 1 { "" } else { "s" },
        per_language.join("; ")
    ));
    if let Some((exercise, l)) = current {
        text.push_str(&format!("* current: {} ({l})\n", exercise.slug));
    }
    output::out(&text)?;
    Ok(Outcome::Success)
}

/// An unknown topic is a usage error with a suggestion, not an empty table.
fn check_topic(cfg: &Config, topic: &str) -> Result<()> {
    let mut topics: Vec<&str> = cfg
        .catalog
        .exercises()
        .iter()
        .flat_map(|e| e.meta.topics.iter().map(String::as_str))
        .collect();
    topics.sort_unstable();
    topics.dedup();
    if topics.contains(&topic) {
        return Ok(());
    }
    let suggestion = match crate::suggest::closest(topic, &topics) {
        Some(close) => format!(": did you mean `{close}`?"),
        None => String::new(),
    };
    anyhow::bail!(
        "unknown topic `{topic}`{suggestion} (topics: {})",
        topics.join(", ")
    )
}
