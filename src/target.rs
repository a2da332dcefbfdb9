//! Which exercise a command means: the slug and language given, else the exercise folder the
//! current directory is in, else the most recently started exercise (from the progress log).

use crate::catalog::Exercise;
use crate::config::Config;
use crate::lang::Language;
use crate::progress;
use anyhow::{bail, Result};

/// The exercise and language a command means.
pub fn resolve<'a>(
    cfg: &'a Config,
    slug: Option<&str>,
    lang: Option<Language>,
) -> Result<(&'a Exercise, Language)> {
    let ws = cfg.workspace()?;
    let here = ws.exercise_at(&cfg.cwd);
    if let Some(slug) = slug {
        let exercise = cfg.exercise(slug)?;
        let lang = lang
            .or_else(|| here.as_ref().filter(|(_, s)| s == slug).map(|(l, _)| *l))
            .or_else(|| last_started(cfg, Some(slug)).map(|(_, l)| l))
            .unwrap_or_else(|| cfg.default_language());
        return Ok((exercise, lang));
    }
    if let Some((here_lang, here_slug)) = here {
        if cfg.catalog.get(&here_slug).is_some() {
            let exercise = cfg.exercise(&here_slug)?;
            return Ok((exercise, lang.unwrap_or(here_lang)));
        }
    }
    if let Some((slug, last_lang)) = last_started(cfg, None) {
        if let Some(exercise) = cfg.catalog.get(&slug) {
            return Ok((exercise, lang.unwrap_or(last_lang)));
        }
    }
    bail!(
        "no exercise given and none started in `{}`: pass a slug (e.g. `kata check lru-cache`) or run `kata start SLUG` first",
        ws.root.display()
    )
}

/// The most recent `start` in the progress log (optionally of one slug); without a
/// usable log, the started exercise whose file changed last.
fn last_started(cfg: &Config, slug: Option<&str>) -> Option<(String, Language)> {
    let ws = cfg.workspace().ok()?;
    let from_log = progress::latest(&ws.state_dir(), "\"start\"", |e| {
        e.event == progress::Kind::Start
            && slug.is_none_or(|s| s == e.slug)
            && ws.is_started(e.lang, &e.slug)
    });
    if let Some(e) = from_log {
        return Some((e.slug, e.lang));
    }
    cfg.catalog
        .exercises()
        .iter()
        .filter(|e| slug.is_none_or(|s| s == e.slug))
        .flat_map(|e| Language::ALL.map(|l| (e.slug.clone(), l)))
        .filter_map(|(s, l)| {
            let modified = std::fs::metadata(ws.learner_file(l, &s))
                .ok()?
                .modified()
                .ok()?;
            Some((modified, s, l))
        })
        .max()
        .map(|(_, s, l)| (s, l))
}
