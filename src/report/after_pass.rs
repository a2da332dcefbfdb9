//! What a passing check says under its report (pure): how long the exercise took (or the
//! interview clock's verdict), and what to run next: `kata review`, then the exercise `kata
//! next` would recommend. Two or three lines.

use crate::lang::Language;
use crate::recommend::{Action, Recommendation};
use crate::report::Page;
use crate::stats::Attempt;
use crate::style::paint;
use crate::text::duration_words;
use textwrap::core::display_width;

/// The facts the lines are made of.
pub struct AfterPass {
    pub slug: String,
    pub lang: Language,
    /// The go that ended with this pass, when the log knows where it began.
    pub attempt: Option<Attempt>,
    /// The interview clock's verdict, when the exercise was started with `--timed`.
    pub clock: Option<String>,
    /// What `kata next` would recommend now (`None`: everything is solved).
    pub next: Option<Recommendation>,
    /// The pass opened a follow-up stage: that is the next step, announced under these lines,
    /// so no other exercise is recommended.
    pub follow_up_opened: bool,
    /// The workspace's language: a command names `--lang` only for another one.
    pub default_lang: Language,
}

pub fn render(after: &AfterPass, page: &Page) -> String {
    let s = &page.styles;
    let mut out = match (&after.clock, after.attempt) {
        (Some(clock), Some(a)) => format!("{clock} ({})\n", checks_words(&a)),
        (Some(clock), None) => format!("{clock}\n"),
        (None, Some(a)) => format!(
            "{}\n",
            paint(
                s.pass,
                &format!(
                    "solved in {} over {}",
                    duration_words(a.seconds),
                    checks_words(&a)
                )
            )
        ),
        (None, None) => String::new(),
    };
    let review = (
        "review",
        command("review", &after.slug, after.lang, after.default_lang),
        "your solution beside the reference, and the trade-offs".to_string(),
    );
    let next = match &after.next {
        Some(next) => (
            "next",
            next_command(next, after.default_lang),
            next.reason.clone(),
        ),
        None => (
            "next",
            "kata start SLUG --timed".to_string(),
            "everything is solved: redo one against the interview clock".to_string(),
        ),
    };
    let rows = if after.follow_up_opened {
        vec![review]
    } else {
        vec![review, next]
    };
    let width = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (label, command, why) in rows {
        let line = format!("  {label:<6}  {command:<width$}");
        // The reason goes only where it fits (always when piped: nothing wraps there).
        let fits = page
            .width
            .is_none_or(|w| display_width(&line) + 2 + display_width(&why) <= w);
        if fits {
            out.push_str(&format!("{line}  {}\n", paint(s.dim, &why)));
        } else {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The command that carries out a recommendation.
pub fn next_command(next: &Recommendation, default_lang: Language) -> String {
    let verb = match next.action {
        Action::Start => "start",
        Action::Continue => "check",
        // `reset` backs the old answer up and writes the starter: solve it again from memory.
        Action::Review => "reset",
    };
    command(verb, &next.slug, next.lang, default_lang)
}

fn command(verb: &str, slug: &str, lang: Language, default_lang: Language) -> String {
    if lang == default_lang {
        format!("kata {verb} {slug}")
    } else {
        format!("kata {verb} {slug} --lang {lang}")
    }
}

/// `6 checks`, `2 checks and 14 watch re-runs`.
fn checks_words(a: &Attempt) -> String {
    let count = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    match (a.checks, a.watch_checks) {
        (n, 0) => count(n, "check"),
        (0, w) => count(w, "watch re-run"),
        (n, w) => format!("{} and {}", count(n, "check"), count(w, "watch re-run")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Styles;

    fn after(next: Option<Recommendation>, clock: Option<&str>) -> AfterPass {
        AfterPass {
            slug: "lru-cache".into(),
            lang: Language::Python,
            attempt: Some(Attempt {
                seconds: 23 * 60 + 40,
                checks: 6,
                watch_checks: 0,
            }),
            clock: clock.map(str::to_string),
            next,
            follow_up_opened: false,
            default_lang: Language::Python,
        }
    }

    fn page(width: Option<usize>) -> Page {
        Page {
            styles: Styles::plain(),
            width,
        }
    }

    #[test]
    fn a_pass_says_how_long_it_took_and_what_to_run_next() {
        let next = Recommendation {
            slug: "retry".into(),
            lang: Language::Rust,
            reason: "not started yet: next in the catalog".into(),
            action: Action::Start,
        };
        assert_eq!(
            render(&after(Some(next.clone()), None), &page(None)),
            "solved in 23 min over 6 checks\n  review  kata review lru-cache         your solution beside the reference, and the trade-offs\n  next    kata start retry --lang rust  not started yet: next in the catalog\n"
        );
        // On a narrow terminal the reasons give way, the commands stay.
        assert_eq!(
            render(&after(Some(next), None), &page(Some(60))),
            "solved in 23 min over 6 checks\n  review  kata review lru-cache\n  next    kata start retry --lang rust\n"
        );
    }

    #[test]
    fn a_timed_pass_keeps_the_clocks_verdict() {
        let text = render(
            &after(None, Some("solved in 12:30 of your 20:00 interview clock")),
            &page(None),
        );
        assert!(
            text.starts_with("solved in 12:30 of your 20:00 interview clock (6 checks)\n"),
            "{text}"
        );
        assert!(
            text.contains("next    kata start SLUG --timed  everything is solved"),
            "{text}"
        );
    }
}
