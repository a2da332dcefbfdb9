//! Watch mode's offer to move on: after a passing check, when stdin is a terminal, one line
//! offers the exercise `kata next` would recommend; pressing `n` starts it (scaffolding it when
//! new) and the watch switches to it. Nothing happens by itself: a save re-checks as before and
//! withdraws the offer until the next pass. Without a terminal there is no offer.

use super::{after_pass, record, Outcome};
use crate::catalog::Exercise;
use crate::config::Config;
use crate::keys::Keys;
use crate::lang::Language;
use crate::progress::{Event, Kind};
use crate::recommend::Action;
use crate::style::paint;
use anyhow::Result;
use std::cell::RefCell;
use std::path::PathBuf;

/// The offer as it stands between checks of one watched exercise.
#[derive(Default)]
pub struct Offer {
    /// The exercise offered and the keys that may take it (the terminal is out of line mode
    /// only while an offer stands).
    standing: RefCell<Option<(String, Language, Keys)>>,
    /// The exercise the learner moved to.
    taken: RefCell<Option<(String, Language)>>,
    /// The learner's file of an exercise just moved to, named once under its first check.
    moved_to: RefCell<Option<PathBuf>>,
}

impl Offer {
    /// Called after every check: withdraws the standing offer, and after a pass makes a new
    /// one. Returns the lines to print under the check's status line.
    pub fn after_check(
        &self,
        cfg: &Config,
        exercise: &Exercise,
        lang: Language,
        passed: bool,
    ) -> String {
        let mut out = String::new();
        if let Some(file) = self.moved_to.take() {
            out.push_str(&format!(
                "started {} ({lang}): edit {} (README.md beside it has the statement)\n",
                exercise.slug,
                file.display()
            ));
        }
        self.standing.replace(None);
        if !passed || follow_up_pending(cfg, exercise, lang) {
            return out;
        }
        let Some(next) = after_pass::gather(cfg, exercise, lang, cfg.clock(), None).next else {
            return out;
        };
        let what = match next.action {
            Action::Start => "start the next exercise",
            Action::Continue => "go back to",
            // A solved exercise due again would be reset first: that is for `kata next`.
            Action::Review => return out,
        };
        let Some(keys) = Keys::open() else {
            return out;
        };
        // Keys typed before the offer was made are not an answer to it.
        keys.pressed();
        let name = if next.lang == lang {
            next.slug.clone()
        } else {
            format!("{} in {}", next.slug, next.lang)
        };
        out.push_str(&format!(
            "{}\n",
            paint(
                cfg.out.hint,
                &format!("press n to {what}, {name}; keep editing to stay")
            )
        ));
        self.standing
            .replace(Some((next.slug.clone(), next.lang, keys)));
        out
    }

    /// Whether the learner has pressed `n` while the offer stood (polled while watching).
    pub fn taken(&self) -> bool {
        if self.taken.borrow().is_some() {
            return true;
        }
        let pressed =
            self.standing.borrow().as_ref().is_some_and(|(_, _, keys)| {
                keys.pressed().iter().any(|k| *k == b'n' || *k == b'N')
            });
        if pressed {
            if let Some((slug, lang, _keys)) = self.standing.replace(None) {
                self.taken.replace(Some((slug, lang)));
            }
        }
        pressed
    }
}

/// Watches `exercise` with `watch`, and each time the learner takes the offer, starts the
/// exercise offered and watches that one. The outcome is the last check's.
pub fn session<'c>(
    cfg: &'c Config,
    exercise: &'c Exercise,
    lang: Language,
    mut watch: impl FnMut(&'c Exercise, Language, &Offer) -> Result<Outcome>,
) -> Result<Outcome> {
    let (mut exercise, mut lang) = (exercise, lang);
    let mut offer = Offer::default();
    loop {
        let outcome = watch(exercise, lang, &offer)?;
        let Some((slug, next_lang)) = offer.taken.take() else {
            return Ok(outcome);
        };
        exercise = cfg.exercise(&slug)?;
        lang = next_lang;
        offer = Offer::default();
        offer.moved_to.replace(Some(start(cfg, exercise, lang)?));
    }
}

/// Scaffolds the exercise when it is new (recording the start, as `kata start` does); returns
/// the learner's file.
fn start(cfg: &Config, exercise: &Exercise, lang: Language) -> Result<PathBuf> {
    let ws = cfg.workspace()?;
    if !ws.is_started(lang, &exercise.slug) {
        ws.scaffold(exercise, lang)?;
        record(
            cfg,
            ws,
            &Event::new(Kind::Start, &exercise.slug, lang, cfg.clock()),
        );
    }
    Ok(ws.learner_file(lang, &exercise.slug))
}

/// Whether the exercise has a follow-up stage the learner has not passed yet: after a pass
/// that opened one, the next step is that stage, not another exercise.
fn follow_up_pending(cfg: &Config, exercise: &Exercise, lang: Language) -> bool {
    let stages = exercise.stages().map_or(0, |s| s.len() as u32);
    let Ok(ws) = cfg.workspace() else {
        return false;
    };
    stages > 0
        && crate::stage_progress::highest_passed(&ws.state_dir(), &exercise.slug, lang)
            .is_some_and(|passed| passed < stages)
}
