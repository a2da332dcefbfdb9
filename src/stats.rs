//! Progress statistics from the event log (pure): totals per language and topic, per-exercise
//! figures, daily streaks and recent activity.

use crate::lang::Language;
use crate::progress::{Event, Kind};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What stats need to know about one catalog exercise.
pub struct CatalogEntry<'a> {
    pub slug: &'a str,
    pub topics: &'a [String],
    pub languages: Vec<Language>,
    pub order: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub name: String,
    pub solved: usize,
    pub started: usize,
    pub total: usize,
}

/// Figures for one exercise in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseStats {
    pub slug: String,
    pub lang: Language,
    pub started: bool,
    pub solved: bool,
    /// Checks run in all.
    pub checks: usize,
    /// Of `checks`, those watch mode ran after a save (the rest were asked for).
    pub watch_checks: usize,
    /// Checks up to and including the first pass.
    pub attempts_to_pass: Option<usize>,
    /// From the first start to the first pass.
    pub seconds_to_pass: Option<i64>,
    pub hints: usize,
    pub peeked: bool,
    /// `kata review` runs (the learner's solution beside the reference, after a pass).
    pub reviews: usize,
    /// The interview clock of the latest timed start, if any.
    pub timed_minutes: Option<u32>,
    /// Solved within the budget of a timed start.
    pub solved_within_budget: Option<bool>,
    pub first_pass: Option<Timestamp>,
    pub last_activity: Timestamp,
    /// The first failing case of the latest check, when it failed.
    pub failing_case: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: Date,
    pub checks: usize,
    pub passes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub languages: Vec<Tally>,
    pub topics: Vec<Tally>,
    pub exercises: Vec<ExerciseStats>,
    /// Consecutive days with activity, ending today (or yesterday when today has none yet).
    pub current_streak: u32,
    pub longest_streak: u32,
    /// The last 7 days, oldest first.
    pub last_7_days: Vec<Day>,
    pub events: usize,
    /// Follow-up stages passed, counted once per exercise, language and stage.
    pub stages_solved: usize,
    /// Checks per local day, every day with any (for the calendar; not in `--json`).
    #[serde(skip)]
    pub daily_checks: BTreeMap<Date, usize>,
}

#[derive(Default)]
struct Acc {
    first_start: Option<Timestamp>,
    /// The latest timed start: (when, minutes, judged by a later pass).
    timed: Option<(Timestamp, u32, bool)>,
    within_budget: Option<bool>,
    checks: usize,
    watch_checks: usize,
    first_pass: Option<(usize, Timestamp)>,
    hints: usize,
    peeked: bool,
    reviews: usize,
    last: Option<Timestamp>,
    failing: Option<String>,
}

/// Aggregates `events` (in file order) against the catalog, as of `now` in `tz`.
pub fn compute(events: &[Event], catalog: &[CatalogEntry], now: Timestamp, tz: &TimeZone) -> Stats {
    let mut accs: HashMap<(&str, Language), Acc> = HashMap::new();
    let mut active_days: BTreeSet<Date> = BTreeSet::new();
    let mut per_day: BTreeMap<Date, (usize, usize)> = BTreeMap::new();
    let mut offset_cache: Option<(i64, i64, jiff::tz::Offset)> = None;
    for event in events {
        let date = local_date(event.ts, tz, &mut offset_cache);
        active_days.insert(date);
        let acc = accs.entry((event.slug.as_str(), event.lang)).or_default();
        acc.last = Some(acc.last.map_or(event.ts, |t| t.max(event.ts)));
        match event.event {
            Kind::Start => {
                if acc.first_start.is_none() {
                    acc.first_start = Some(event.ts);
                }
                if let Some(minutes) = event.timed_minutes {
                    acc.timed = Some((event.ts, minutes, false));
                }
            }
            Kind::Check => {
                acc.checks += 1;
                acc.watch_checks += usize::from(event.watch);
                let day = per_day.entry(date).or_default();
                day.0 += 1;
                if event.is_pass() {
                    day.1 += 1;
                    if acc.first_pass.is_none() {
                        acc.first_pass = Some((acc.checks, event.ts));
                    }
                    if let Some((start, minutes, judged @ false)) = &mut acc.timed {
                        let used = event.ts.as_second() - start.as_second();
                        let within = used <= i64::from(*minutes) * 60;
                        acc.within_budget = Some(acc.within_budget.unwrap_or(false) || within);
                        *judged = true;
                    }
                    acc.failing = None;
                } else {
                    acc.failing = event.first_failing.clone();
                }
            }
            Kind::Hint => acc.hints += 1,
            Kind::Reveal => acc.peeked = true,
            Kind::Review => acc.reviews += 1,
            Kind::Reset => {}
        }
    }

    let mut exercises: Vec<ExerciseStats> = accs
        .iter()
        .map(|(&(slug, lang), acc)| ExerciseStats {
            slug: slug.to_string(),
            lang,
            started: acc.first_start.is_some() || acc.checks > 0,
            solved: acc.first_pass.is_some(),
            checks: acc.checks,
            watch_checks: acc.watch_checks,
            attempts_to_pass: acc.first_pass.map(|(n, _)| n),
            seconds_to_pass: match (acc.first_start, acc.first_pass) {
                (Some(start), Some((_, pass))) if pass >= start => {
                    Some(pass.as_second() - start.as_second())
                }
                _ => None,
            },
            hints: acc.hints,
            peeked: acc.peeked,
            reviews: acc.reviews,
            timed_minutes: acc.timed.map(|(_, minutes, _)| minutes),
            solved_within_budget: acc.within_budget,
            first_pass: acc.first_pass.map(|(_, t)| t),
            last_activity: acc.last.unwrap_or(now),
            failing_case: acc.failing.clone(),
        })
        .collect();
    let order: HashMap<&str, u32> = catalog.iter().map(|e| (e.slug, e.order)).collect();
    exercises.sort_by_key(|e| {
        (
            order.get(e.slug.as_str()).copied().unwrap_or(u32::MAX),
            e.slug.clone(),
            e.lang,
        )
    });

    let status = |slug: &str, lang: Option<Language>| {
        let matching = exercises
            .iter()
            .filter(|e| e.slug == slug && lang.is_none_or(|l| l == e.lang));
        let mut started = false;
        let mut solved = false;
        for e in matching {
            started |= e.started || e.solved;
            solved |= e.solved;
        }
        (started, solved)
    };
    let languages = Language::ALL
        .iter()
        .map(|&lang| {
            let mut tally = Tally {
                name: lang.name().to_string(),
                solved: 0,
                started: 0,
                total: 0,
            };
            for entry in catalog.iter().filter(|e| e.languages.contains(&lang)) {
                let (started, solved) = status(entry.slug, Some(lang));
                tally.total += 1;
                tally.started += usize::from(started);
                tally.solved += usize::from(solved);
            }
            tally
        })
        .collect();
    let mut topic_names: Vec<&str> = catalog
        .iter()
        .flat_map(|e| e.topics.iter().map(String::as_str))
        .collect();
    topic_names.sort();
    topic_names.dedup();
    let topics = topic_names
        .into_iter()
        .map(|topic| {
            let mut tally = Tally {
                name: topic.to_string(),
                solved: 0,
                started: 0,
                total: 0,
            };
            for entry in catalog
                .iter()
                .filter(|e| e.topics.iter().any(|t| t == topic))
            {
                let (started, solved) = status(entry.slug, None);
                tally.total += 1;
                tally.started += usize::from(started);
                tally.solved += usize::from(solved);
            }
            tally
        })
        .collect();

    let today = local_date(now, tz, &mut offset_cache);
    let (current_streak, longest_streak) = streaks(&active_days, today);
    let last_7_days = (0..7)
        .rev()
        .map(|back| {
            let date = today
                .checked_sub(jiff::Span::new().days(back))
                .unwrap_or(today);
            let (checks, passes) = per_day.get(&date).copied().unwrap_or_default();
            Day {
                date,
                checks,
                passes,
            }
        })
        .collect();
    let stages_solved = events
        .iter()
        .filter(|e| e.is_pass() && !e.stage_only)
        .filter_map(|e| Some((e.slug.as_str(), e.lang, e.stage.filter(|s| *s > 0)?)))
        .collect::<BTreeSet<_>>()
        .len();
    Stats {
        languages,
        topics,
        exercises,
        current_streak,
        longest_streak,
        last_7_days,
        events: events.len(),
        stages_solved,
        daily_checks: per_day.into_iter().map(|(d, (c, _))| (d, c)).collect(),
    }
}

/// One go at an exercise, up to a pass: from the first start or check (since the last reset,
/// which begins a new go) to the pass. A follow-up's go begins when the pass of the stage
/// before it opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub seconds: i64,
    /// Checks asked for, the pass included.
    pub checks: usize,
    /// Checks watch mode ran after a save.
    pub watch_checks: usize,
}

/// The attempt that ended with a pass at `pass`, from `events` (in file order, the pass among
/// them); `None` when none of them is that exercise's.
pub fn attempt(events: &[Event], slug: &str, lang: Language, pass: Timestamp) -> Option<Attempt> {
    let ours = |e: &&Event| e.slug == slug && e.lang == lang && e.ts <= pass;
    let stage = events
        .iter()
        .filter(ours)
        .rfind(|e| e.ts == pass && e.is_pass())
        .map_or(0, |e| e.stage.unwrap_or(0));
    let mut began: Option<Timestamp> = None;
    let (mut checks, mut watch_checks) = (0, 0);
    for event in events.iter().filter(ours) {
        let opened_this_stage = event.is_pass()
            && !event.stage_only
            && event.ts < pass
            && event.stage.unwrap_or(0) + 1 == stage;
        match event.event {
            Kind::Reset => {
                began = None;
                (checks, watch_checks) = (0, 0);
            }
            Kind::Check if opened_this_stage => {
                began = Some(event.ts);
                (checks, watch_checks) = (0, 0);
            }
            Kind::Start | Kind::Check => {
                began.get_or_insert(event.ts);
                if event.event == Kind::Check {
                    if event.watch {
                        watch_checks += 1;
                    } else {
                        checks += 1;
                    }
                }
            }
            Kind::Hint | Kind::Reveal | Kind::Review => {}
        }
    }
    Some(Attempt {
        seconds: (pass.as_second() - began?.as_second()).max(0),
        checks,
        watch_checks,
    })
}

/// The local calendar date of a timestamp. The UTC offset is looked up once per stretch of
/// time it is valid for (events come in time order), which keeps 100,000 events fast.
fn local_date(
    ts: Timestamp,
    tz: &TimeZone,
    cache: &mut Option<(i64, i64, jiff::tz::Offset)>,
) -> Date {
    let second = ts.as_second();
    let offset = match cache {
        Some((from, to, offset)) if (*from..*to).contains(&second) => *offset,
        _ => {
            let offset = tz.to_offset(ts);
            // Offsets change at most at transitions; a day either side is safe to reuse for
            // fixed-offset zones and re-checked for others.
            let window = if tz.to_fixed_offset().is_ok() {
                i64::MAX / 4
            } else {
                3600
            };
            *cache = Some((
                second.saturating_sub(window),
                second.saturating_add(window),
                offset,
            ));
            offset
        }
    };
    offset.to_datetime(ts).date()
}

/// (current, longest) runs of consecutive active days.
fn streaks(days: &BTreeSet<Date>, today: Date) -> (u32, u32) {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<Date> = None;
    for &day in days {
        run = match previous {
            Some(p) if p.tomorrow().ok() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let yesterday = today.yesterday().unwrap_or(today);
    let current = match previous {
        Some(last) if last == today || last == yesterday => run,
        _ => 0,
    };
    (current, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ts: &str, kind: Kind, slug: &str) -> Event {
        let mut e = Event::new(kind, slug, Language::Python, Timestamp::UNIX_EPOCH);
        e.ts = ts.parse().unwrap();
        e
    }

    fn check(ts: &str, slug: &str, passed: usize, total: usize) -> Event {
        let mut e = event(ts, Kind::Check, slug);
        e.passed = Some(passed);
        e.total = Some(total);
        if passed < total {
            e.first_failing = Some("recency_on_get".into());
        }
        e
    }

    #[test]
    fn a_scripted_session() {
        let topics = vec!["caching".to_string()];
        let catalog = [
            CatalogEntry {
                slug: "lru-cache",
                topics: &topics,
                languages: vec![Language::Python, Language::Rust],
                order: 1,
            },
            CatalogEntry {
                slug: "lfu-cache",
                topics: &topics,
                languages: vec![Language::Python],
                order: 2,
            },
        ];
        let mut timed = event("2026-11-20T10:00:00Z", Kind::Start, "lru-cache");
        timed.timed_minutes = Some(30);
        let events = vec![
            timed,
            check("2026-11-20T10:05:00Z", "lru-cache", 3, 21),
            event("2026-11-20T10:06:00Z", Kind::Hint, "lru-cache"),
            check("2026-11-21T10:10:00Z", "lru-cache", 20, 21),
            check("2026-11-22T10:12:30Z", "lru-cache", 21, 21),
            check("2026-11-24T09:00:00Z", "lru-cache", 21, 21),
            event("2026-11-24T09:30:00Z", Kind::Start, "lfu-cache"),
            event("2026-11-24T09:31:00Z", Kind::Reveal, "lfu-cache"),
        ];
        let now: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let stats = compute(&events, &catalog, now, &TimeZone::UTC);
        let lru = &stats.exercises[0];
        assert_eq!(lru.slug, "lru-cache");
        assert_eq!(lru.attempts_to_pass, Some(3));
        assert_eq!(lru.seconds_to_pass, Some(2 * 86400 + 750));
        assert_eq!(lru.hints, 1);
        assert_eq!(lru.solved_within_budget, Some(false));
        assert_eq!(lru.checks, 4);
        let lfu = &stats.exercises[1];
        assert!(lfu.peeked && lfu.started && !lfu.solved);
        assert_eq!(
            stats.languages[0],
            Tally {
                name: "python".into(),
                solved: 1,
                started: 2,
                total: 2
            }
        );
        assert_eq!(stats.languages[1].total, 1);
        assert_eq!(stats.topics[0].solved, 1);
        assert_eq!((stats.current_streak, stats.longest_streak), (1, 3));
        let checks: Vec<usize> = stats.last_7_days.iter().map(|d| d.checks).collect();
        assert_eq!(checks, vec![0, 0, 1, 1, 1, 0, 1]);
    }

    /// Lines written before `watch`, `probe_ratios` and `review` existed read as before; the
    /// new ones are counted apart.
    #[test]
    fn watch_runs_and_reviews_are_counted_apart() {
        let log = crate::progress::parse(
            br#"{"v":1,"ts":"2026-11-20T10:00:00Z","event":"start","slug":"lru-cache","lang":"python"}
{"v":1,"ts":"2026-11-20T10:05:00Z","event":"check","slug":"lru-cache","lang":"python","passed":3,"total":21,"duration_ms":90}
{"v":1,"ts":"2026-11-20T10:06:00Z","event":"check","slug":"lru-cache","lang":"python","passed":20,"total":21,"watch":true}
{"v":1,"ts":"2026-11-20T10:07:00Z","event":"check","slug":"lru-cache","lang":"python","passed":21,"total":21,"watch":true,"probe_ratios":{"get_put_scaling":1.21}}
{"v":1,"ts":"2026-11-20T10:09:00Z","event":"review","slug":"lru-cache","lang":"python"}
"#,
        );
        assert!(log.skipped.is_empty(), "{:?}", log.skipped);
        assert!(!log.events[1].watch && log.events[2].watch);
        assert_eq!(
            log.events[3].probe_ratios,
            Some([("get_put_scaling".to_string(), 1.21)].into())
        );
        let now: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
        let stats = compute(&log.events, &[], now, &TimeZone::UTC);
        let lru = &stats.exercises[0];
        assert_eq!((lru.checks, lru.watch_checks, lru.reviews), (3, 2, 1));
        assert_eq!(lru.attempts_to_pass, Some(3));
        // Written back, an ordinary check has neither new field.
        let line = serde_json::to_string(&log.events[1]).unwrap();
        assert!(!line.contains("watch") && !line.contains("probe"), "{line}");
    }

    #[test]
    fn an_attempt_runs_from_the_first_start_since_the_last_reset_to_the_pass() {
        let mut watched = check("2026-11-21T10:20:00Z", "lru-cache", 20, 21);
        watched.watch = true;
        let events = vec![
            event("2026-11-20T10:00:00Z", Kind::Start, "lru-cache"),
            check("2026-11-20T10:05:00Z", "lru-cache", 21, 21),
            event("2026-11-21T10:00:00Z", Kind::Reset, "lru-cache"),
            check("2026-11-21T10:02:00Z", "lru-cache", 3, 21),
            event("2026-11-21T10:03:00Z", Kind::Start, "lru-cache"),
            watched,
            event("2026-11-21T10:21:00Z", Kind::Hint, "lru-cache"),
            check("2026-11-21T10:25:00Z", "lru-cache", 21, 21),
            check("2026-11-21T10:30:00Z", "lru-cache", 2, 21),
        ];
        let pass: Timestamp = "2026-11-21T10:25:00Z".parse().unwrap();
        let go = attempt(&events, "lru-cache", Language::Python, pass).unwrap();
        assert_eq!(
            go,
            Attempt {
                seconds: 23 * 60,
                checks: 2,
                watch_checks: 1
            }
        );
        assert_eq!(attempt(&events, "retry", Language::Python, pass), None);
    }

    #[test]
    fn a_follow_ups_attempt_begins_when_the_stage_before_it_passed() {
        let at_stage = |mut e: Event, stage: u32| {
            e.stage = (stage > 0).then_some(stage);
            e
        };
        let events = vec![
            event("2026-11-20T10:00:00Z", Kind::Start, "lru-cache"),
            check("2026-11-20T10:05:00Z", "lru-cache", 3, 21),
            check("2026-11-20T10:20:00Z", "lru-cache", 21, 21),
            at_stage(check("2026-11-20T10:30:00Z", "lru-cache", 30, 33), 1),
            at_stage(check("2026-11-20T10:45:00Z", "lru-cache", 33, 33), 1),
        ];
        let base: Timestamp = "2026-11-20T10:20:00Z".parse().unwrap();
        let first = attempt(&events, "lru-cache", Language::Python, base).unwrap();
        assert_eq!((first.seconds, first.checks), (20 * 60, 2));
        let follow_up: Timestamp = "2026-11-20T10:45:00Z".parse().unwrap();
        let second = attempt(&events, "lru-cache", Language::Python, follow_up).unwrap();
        assert_eq!((second.seconds, second.checks), (25 * 60, 2));
    }

    #[test]
    fn streak_survives_until_the_end_of_the_next_day() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let days: BTreeSet<Date> = [d("2026-11-22"), d("2026-11-23")].into();
        assert_eq!(streaks(&days, d("2026-11-24")), (2, 2));
        assert_eq!(streaks(&days, d("2026-11-25")), (0, 2));
        assert_eq!(streaks(&BTreeSet::new(), d("2026-11-25")), (0, 0));
    }
}
