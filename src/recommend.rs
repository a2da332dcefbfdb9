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
    pub action: Action,
}

/// What the learner should run for a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Not started: `kata start`.
    Start,
    /// In progress, not passing: `kata check`.
    Continue,
    /// Solved long ago: `kata reset` (which backs up the old answer) and solve it again.
    Review,
}

/// Picks, in order: an exercise in progress (most recent first), a solved exercise due for
/// review (the longest untouched first: reviews come before new material, as in spaced
/// repetition), a new exercise from the weakest topic, a new exercise in catalog order, else
/// the first exercise not yet solved in the other language.
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
            action: Action::Continue,
        });
    }
    let mut stale: Vec<_> = stats
        .exercises
        .iter()
        .filter(|e| e.solved && e.lang == lang && ago(e.last_activity) >= REVIEW_AFTER_DAYS)
        .collect();
    stale.sort_by_key(|e| e.last_activity);
    if let Some(e) = stale.first() {
        return Some(Recommendation {
            slug: e.slug.clone(),
            lang: e.lang,
            reason: format!(
                "due for review: solved and untouched for {} days; solve it again from memory",
                ago(e.last_activity)
            ),
            action: Action::Review,
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
                action: Action::Start,
            });
        }
    }
    if let Some(c) = fresh.first() {
        return Some(Recommendation {
            slug: c.slug.to_string(),
            lang,
            reason: "not started yet: next in the catalog".to_string(),
            action: Action::Start,
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
            action: Action::Start,
        })
}

fn days_between(then: Timestamp, now: Timestamp) -> i64 {
    (now.as_second() - then.as_second()).max(0) / 86400
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{Event, Kind};

    fn at(ts: &str, kind: Kind, slug: &str) -> Event {
        Event::new(kind, slug, Language::Python, ts.parse().unwrap())
    }

    fn check(ts: &str, slug: &str, passed: usize) -> Event {
        let mut e = at(ts, Kind::Check, slug);
        e.passed = Some(passed);
        e.total = Some(20);
        if passed < 20 {
            e.first_failing = Some("eviction_order".into());
        }
        e
    }

    fn pick(events: &[Event], now: &str) -> Recommendation {
        let caching = vec!["caching".to_string()];
        let time = vec!["time".to_string()];
        let both = vec![Language::Python, Language::Rust];
        let entry = |slug, topics, order| CatalogEntry {
            slug,
            topics,
            languages: both.clone(),
            order,
        };
        let catalog = [
            entry("lru-cache", &caching, 1),
            entry("retry", &time, 2),
            entry("lfu-cache", &caching, 3),
        ];
        let now: Timestamp = now.parse().unwrap();
        let stats = crate::stats::compute(events, &catalog, now, &jiff::tz::TimeZone::UTC);
        next(&stats, &catalog, Language::Python, now).unwrap()
    }

    #[test]
    fn a_new_learner_starts_at_the_top_of_the_catalog() {
        let r = pick(&[], "2026-11-24T10:00:00Z");
        assert_eq!((r.slug.as_str(), r.action), ("lru-cache", Action::Start));
        assert_eq!(r.reason, "not started yet: next in the catalog");
    }

    #[test]
    fn a_failing_exercise_comes_first_and_names_its_case() {
        let events = [
            at("2026-11-23T09:00:00Z", Kind::Start, "retry"),
            check("2026-11-23T09:05:00Z", "retry", 12),
        ];
        let r = pick(&events, "2026-11-24T10:00:00Z");
        assert_eq!((r.slug.as_str(), r.action), ("retry", Action::Continue));
        assert_eq!(
            r.reason,
            "in progress: your last check (yesterday) failed on case `eviction_order`"
        );
    }

    #[test]
    fn after_a_pass_the_weakest_topic_is_next() {
        let events = [
            at("2026-11-23T10:00:00Z", Kind::Start, "lru-cache"),
            check("2026-11-23T10:20:00Z", "lru-cache", 20),
        ];
        let r = pick(&events, "2026-11-24T10:00:00Z");
        assert_eq!((r.slug.as_str(), r.action), ("retry", Action::Start));
        assert!(
            r.reason
                .contains("time is your weakest topic (0 of 1 solved)"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn a_solution_untouched_for_two_weeks_is_reviewed_before_new_material() {
        let events = [
            at("2026-11-01T10:00:00Z", Kind::Start, "lru-cache"),
            check("2026-11-01T10:20:00Z", "lru-cache", 20),
        ];
        let r = pick(&events, "2026-11-24T10:00:00Z");
        assert_eq!((r.slug.as_str(), r.action), ("lru-cache", Action::Review));
        assert_eq!(
            r.reason,
            "due for review: solved and untouched for 22 days; solve it again from memory"
        );
        // Thirteen days is not yet due.
        let r = pick(&events, "2026-11-14T10:00:00Z");
        assert_eq!(r.action, Action::Start);
    }
}
