//! One module per subcommand; each `run` orchestrates and returns an [`Outcome`].

mod after_pass;
mod case;
mod check;
mod completions;
mod follow_up;
mod generate;
mod hint;
mod list;
mod next;
mod reset;
mod review;
mod scratch;
mod solution;
mod start;
mod stats;
mod verify;
mod watch_next;

use crate::cli::Command;
use crate::config::Config;
use crate::output;
use crate::progress::{self, Event};
use crate::workspace::Workspace;
use anyhow::Result;

/// How a command went, for the exit code (errors are exit code 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1: the learner's code failed.
    Failure,
}

pub fn dispatch(cfg: &Config, command: Command) -> Result<Outcome> {
    if matches!(
        command,
        Command::Check { .. }
            | Command::Watch { .. }
            | Command::Verify { .. }
            | Command::Generate { .. }
    ) {
        crate::interrupt::install()?;
    }
    if matches!(command, Command::Verify { .. }) {
        warn_unconfined(cfg);
    }
    match command {
        Command::List {
            lang,
            topic,
            difficulty,
            status,
        } => list::run(cfg, lang, topic.as_deref(), difficulty, status),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
        Command::Start { slug, lang, timed } => start::run(cfg, &slug, lang, timed),
        Command::Check {
            slug,
            lang,
            json,
            watch,
            case: Some(case),
            seed,
            stage: _,
        } => {
            debug_assert!(!json && !watch);
            check::run_case(cfg, slug.as_deref(), lang, &case, seed)
        }
        Command::Check {
            slug,
            lang,
            json,
            watch,
            case: None,
            seed,
            stage,
        } => check::run(
            cfg,
            &check::Request {
                slug: slug.as_deref(),
                lang,
                json,
                watch,
                seed,
                stage,
            },
        ),
        Command::Watch { slug, lang, seed } => check::run(
            cfg,
            &check::Request {
                slug: slug.as_deref(),
                lang,
                json: false,
                watch: true,
                seed,
                stage: None,
            },
        ),
        Command::Case {
            name,
            slug,
            lang,
            export,
        } => case::run(cfg, &name, slug.as_deref(), lang, export),
        Command::Hint { slug, lang } => hint::run(cfg, slug.as_deref(), lang),
        Command::Stats { json } => stats::run(cfg, json),
        Command::Next => next::run(cfg),
        Command::Solution { slug, lang, reveal } => solution::run(cfg, &slug, lang, reveal),
        Command::Reset { slug, lang } => reset::run(cfg, &slug, lang),
        Command::Review { slug, lang } => review::run(cfg, slug.as_deref(), lang),
        Command::Verify {
            slug,
            lang,
            catalog,
            jobs,
        } => verify::run(cfg, slug.as_deref(), lang, catalog.as_deref(), jobs),
        Command::Generate {
            slug,
            lang,
            catalog,
        } => generate::run(cfg, slug.as_deref(), lang, &catalog),
    }
}

/// Appends a progress event; a failure is a warning, never the end of the command.
fn record(cfg: &Config, ws: &Workspace, event: &Event) {
    if let Err(e) = progress::append(&ws.state_dir(), event) {
        output::warn(&cfg.err, &format!("progress not recorded: {e:#}"));
    }
}

/// One line on stderr when the learner's code is about to run unconfined (or only partly):
/// no Landlock, an older one, or `KATA_SANDBOX=off`.
fn warn_unconfined(cfg: &Config) {
    if let Some(warning) = crate::sandbox::warning(cfg.tools.sandbox) {
        output::warn(&cfg.err, &warning);
    }
}

/// Catalog facts for stats and recommendations.
fn catalog_entries(cfg: &Config) -> Vec<crate::stats::CatalogEntry<'_>> {
    cfg.catalog
        .exercises()
        .iter()
        .map(|e| crate::stats::CatalogEntry {
            slug: &e.slug,
            topics: &e.meta.topics,
            languages: e.languages(),
            order: e.meta.order,
        })
        .collect()
}

/// Reads the progress log, warning once about lines that were skipped.
fn read_log(cfg: &Config, ws: &Workspace) -> progress::Log {
    match progress::read(&ws.state_dir()) {
        Ok(log) => {
            warn_skipped(cfg, ws, &log);
            log
        }
        Err(e) => {
            output::warn(&cfg.err, &format!("progress unavailable: {e:#}"));
            progress::Log::default()
        }
    }
}

/// One warning for the lines of the log that could not be used (the first, and how many more).
fn warn_skipped(cfg: &Config, ws: &Workspace, log: &progress::Log) {
    if let Some((line, reason)) = log.skipped.first() {
        let more = log.skipped.len() - 1;
        let also = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        output::warn(
            &cfg.err,
            &format!(
                "{}:{line}: skipped: {reason}{also}; the file is left as it is",
                progress::path(&ws.state_dir()).display()
            ),
        );
    }
}
