//! A scratch copy of an exercise folder in kata's cache, for the authoring commands
//! (`verify`, `generate`): scaffolded fresh, then checked with whatever source they try.

use crate::catalog::{Catalog, Exercise, StageSelection};
use crate::config::Config;
use crate::lang::Language;
use crate::pipeline::{self, Settings};
use crate::verdict::Verdict;
use crate::{interrupt, workspace};
use anyhow::{Context, Result};
use std::path::PathBuf;

pub struct Scratch<'a> {
    cfg: &'a Config,
    catalog: &'a Catalog,
    exercise: &'a Exercise,
    lang: Language,
    pub dir: PathBuf,
}

impl<'a> Scratch<'a> {
    /// A freshly scaffolded folder for `exercise` in `lang`, at a fixed place in the cache
    /// (`<cache>/<purpose>/<lang>/<slug>`), so repeated runs reuse incremental Rust builds.
    pub fn new(
        cfg: &'a Config,
        catalog: &'a Catalog,
        exercise: &'a Exercise,
        lang: Language,
        purpose: &str,
    ) -> Result<Scratch<'a>> {
        let dir = cfg
            .tools
            .cache_dir
            .join(purpose)
            .join(lang.name())
            .join(&exercise.slug);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear `{}`", dir.display()))?;
        }
        for (relative, contents) in workspace::scaffold_files(exercise, lang)? {
            let path = dir.join(relative);
            std::fs::create_dir_all(path.parent().expect("has a parent"))
                .with_context(|| format!("cannot create `{}`", dir.display()))?;
            std::fs::write(&path, contents)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
        Ok(Scratch {
            cfg,
            catalog,
            exercise,
            lang,
            dir,
        })
    }

    /// Runs `cases` on `source` as the learner's file and returns the results it gives.
    pub fn record(
        &self,
        source: &str,
        cases: &[crate::catalog::case::Case],
    ) -> Result<Vec<Vec<String>>> {
        let learner = self.dir.join(self.lang.learner_file(&self.exercise.slug));
        std::fs::write(&learner, source)
            .with_context(|| format!("cannot write `{}`", learner.display()))?;
        let settings = Settings {
            tools: &self.cfg.tools,
            timeout: None,
            cancel: interrupt::flag(),
            on_step: &|_| {},
            verify_digests: false,
            only_case: None,
            stages: StageSelection::Through(0),
            seed: pipeline::DEFAULT_SEED,
        };
        pipeline::record(
            &settings,
            self.catalog,
            self.exercise,
            self.lang,
            &self.dir,
            cases,
        )
    }

    /// Checks `source` as the learner's file on the `stages` selected (only the case or probe
    /// `only`, if given); `digests` says whether probe results are compared with the recorded
    /// digests.
    pub fn check(
        &self,
        source: &str,
        stages: StageSelection,
        digests: bool,
        only: Option<&str>,
    ) -> Result<Verdict> {
        let learner = self.dir.join(self.lang.learner_file(&self.exercise.slug));
        std::fs::write(&learner, source)
            .with_context(|| format!("cannot write `{}`", learner.display()))?;
        let settings = Settings {
            tools: &self.cfg.tools,
            timeout: None,
            cancel: interrupt::flag(),
            on_step: &|_| {},
            verify_digests: digests,
            only_case: only,
            stages,
            seed: pipeline::DEFAULT_SEED,
        };
        pipeline::check(&settings, self.catalog, self.exercise, self.lang, &self.dir)
    }
}
