//! `kata next`'s choice: what to practise next and why (pure).

use crate::lang::Language;
use crate::stats::{CatalogEntry, Stats};
use jiff::Timestamp;

/// Solved exercises untouched for this long are due for review.
const REVIEW_AFTER_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub slug: String,
    pub lang: Language,
    pub reason: String,
    /// Whether it is already started (so `start` would refuse).
    pub started: bool,
}

/// Picks, in order: an exercise in progress (most recent first), a new exercise from the
/// weakest topic, a new exercise in catalog order, a solved exercise due for review, else the
/// first exercise not yet solved in the other language.
pub fn next(
    stats: &Stats,
    catalog: &[CatalogEntry],
    lang: Language,
    now: Timestamp,
) -> Option<Recommendation> {
    let ago = |t: Timestamp| days_between(t, now);
    let mut in_progress: Vec<_> = stats
        .exercises
        .iter()
        .filter(|e| e.started && !e.solved)
        .collect();
    in_progress.sort_by_key(|e| std::cmp::Reverse(e.last_activity));
    if let Some(e) = in_progress.first() {
        let when = match ago(e.last_activity) {
            0 => "today".to_string(),
            1 => "yesterday".to_string(),
            n => format!("{n} days ago"),
        };
        let reason = match &e.failing_case {
            Some(case) => format!("in progress: your last check ({when}) failed on case `{case}`"),
            None if e.checks == 0 => format!("in progress: started {when}, not checked yet"),
            None => format!("in progress: last worked on {when}, not passing yet"),
        };
        return Some(Recommendation {
            slug: e.slug.clone(),
            lang: e.lang,
            reason,
            started: true,
        });
    }
    let touched = |slug: &str, l: Language| {
        stats
            .exercises
            .iter()
            .any(|e| e.slug == slug && e.lang == l && (e.started || e.solved))
    };
    let fresh: Vec<&CatalogEntry> = catalog
        .iter()
        .filter(|c| c.languages.contains(&lang) && !touched(c.slug, lang))
        .collect();
    let any_solved = stats.exercises.iter().any(|e| e.solved);
    if any_solved {
        // The new exercise touching the least-solved topic; catalog order breaks ties.
        let ratio = |t: &crate::stats::Tally| t.solved as f64 / t.total.max(1) as f64;
        let weakest = fresh
            .iter()
            .filter_map(|c| {
                let topic = stats
                    .topics
                    .iter()
                    .filter(|t| c.topics.contains(&t.name))
                    .min_by(|a, b| ratio(a).total_cmp(&ratio(b)))?;
                Some((c, topic))
            })
            .min_by(|(a, ta), (b, tb)| ratio(ta).total_cmp(&ratio(tb)).then(a.order.cmp(&b.order)));
        if let Some((c, topic)) = weakest {
            return Some(Recommendation {
                slug: c.slug.to_string(),
                lang,
                reason: format!(
                    "not started yet, and {} is your weakest topic ({} of {} solved)",
                    topic.name, topic.solved, topic.total
                ),
                started: false,
            });
        }
    }
    if let Some(c) = fresh.first() {
        return Some(Recommendation {
            slug: c.slug.to_string(),
            lang,
            reason: "not started yet: next in the catalog".to_string(),
            started: false,
        });
    }
    let mut stale: Vec<_> = stats
        .exercises
        .iter()
        .filter(|e| e.solved && ago(e.last_activity) >= REVIEW_AFTER_DAYS)
        .collect();
    stale.sort_by_key(|e| e.last_activity);
    if let Some(e) = stale.first() {
        return Some(Recommendation {
            slug: e.slug.clone(),
            lang: e.lang,
            reason: format!(
                "due for review: solved and untouched for {} days; redo it from memory (`kata reset {}` keeps a backup)",
                ago(e.last_activity),
                e.slug
            ),
            started: true,
        });
    }
    let other = Language::ALL.into_iter().find(|l| *l != lang)?;
    catalog
        .iter()
        .find(|c| c.languages.contains(&other) && !touched(c.slug, other))
        .map(|c| Recommendation {
            slug: c.slug.to_string(),
            lang: other,
            reason: format!("everything is solved in {lang}: try it in {other}"),
            started: false,
        })
}

fn days_between(then: Timestamp, now: Timestamp) -> i64 {
    (now.as_second() - then.as_second()).max(0) / 86400
}
