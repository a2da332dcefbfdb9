//! Settings resolved once from arguments, environment and `kata.toml`; commands read only
//! this and never the environment themselves.

use crate::catalog::{Catalog, Exercise};
use crate::cli::ColorWhen;
use crate::lang::Language;
use crate::runner::Toolchains;
use crate::style::Styles;
use crate::workspace::{self, Workspace};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Config {
    pub cwd: PathBuf,
    workspace: Result<Workspace, String>,
    pub catalog: Catalog,
    pub tools: Toolchains,
    /// Styles for stdout and stderr, each decided for its own stream.
    pub out: Styles,
    pub err: Styles,
    /// The width reports are laid out for: `COLUMNS`, else the terminal's when stdout is
    /// one; `None` (piped) writes unwrapped lines.
    pub width: Option<usize>,
    /// The time kata started (`KATA_NOW`, RFC 3339, pins it for reproducible stats).
    pub now: jiff::Timestamp,
    started: std::time::Instant,
    /// The local time zone for days and streaks (`TZ` is honoured).
    pub tz: jiff::tz::TimeZone,
}

impl Config {
    pub fn resolve(workspace_flag: Option<&Path>, color: ColorWhen) -> Result<Config> {
        let choice = match color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
        let stdout_color =
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        let stderr_color =
            anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let home = etcetera::home_dir().ok();
        let env_ws = std::env::var_os("KATA_WORKSPACE").map(PathBuf::from);
        let workspace = workspace::locate(workspace_flag, env_ws.as_deref(), &cwd, home.as_deref())
            .and_then(|(root, source)| Workspace::open(root, source))
            .map_err(|e| format!("{e:#}"));
        let catalog = match std::env::var_os("KATA_CATALOG") {
            Some(dir) => Catalog::from_dir(Path::new(&dir))?,
            None => Catalog::embedded()?,
        };
        let cache_dir = match std::env::var_os("KATA_CACHE_DIR") {
            // Absolute: compilers run with the build folder as their current folder.
            Some(dir) => cwd.join(dir),
            None => etcetera::choose_base_strategy()
                .map(|s| etcetera::BaseStrategy::cache_dir(&s).join("kata"))
                .unwrap_or_else(|_| std::env::temp_dir().join("kata-cache")),
        };
        let python = std::env::var_os("KATA_PYTHON")
            .map(PathBuf::from)
            .or_else(|| {
                workspace
                    .as_ref()
                    .ok()
                    .and_then(|w| w.settings.python.clone())
            });
        let build_timeout = build_timeout(&workspace);
        let sandbox = crate::sandbox::Mode::parse(
            std::env::var_os("KATA_SANDBOX")
                .map(|v| v.to_string_lossy().into_owned())
                .as_deref(),
        )
        .map_err(|e| anyhow!(e))?;
        let now = match std::env::var("KATA_NOW") {
            Ok(text) => text
                .parse()
                .with_context(|| format!("KATA_NOW=`{text}` is not an RFC 3339 timestamp"))?,
            Err(_) => jiff::Timestamp::now(),
        };
        Ok(Config {
            cwd,
            workspace,
            catalog,
            tools: Toolchains {
                cache_dir,
                python,
                build_timeout,
                sandbox,
            },
            out: Styles::for_color(stdout_color),
            err: Styles::for_color(stderr_color),
            width: output_width(),
            now,
            started: std::time::Instant::now(),
            tz: jiff::tz::TimeZone::system(),
        })
    }

    /// The current time: `now` plus the time kata has been running (watch mode runs long).
    pub fn clock(&self) -> jiff::Timestamp {
        let elapsed = jiff::SignedDuration::try_from(self.started.elapsed()).unwrap_or_default();
        self.now.checked_add(elapsed).unwrap_or(self.now)
    }

    pub fn workspace(&self) -> Result<&Workspace> {
        self.workspace.as_ref().map_err(|e| anyhow!("{e}"))
    }

    /// The timeout from kata.toml, if set (validated when the workspace was opened).
    pub fn timeout(&self) -> Option<Duration> {
        self.workspace()
            .ok()
            .and_then(|w| w.settings.timeout_secs)
            .map(Duration::from_secs_f64)
    }

    /// Looks up an exercise, suggesting the closest slug when it is unknown.
    pub fn exercise(&self, slug: &str) -> Result<&Exercise> {
        if let Some(exercise) = self.catalog.get(slug) {
            return Ok(exercise);
        }
        if let Some((_, why)) = self.catalog.broken().iter().find(|(s, _)| s == slug) {
            bail!("exercise `{slug}` is broken in this catalog: {why}");
        }
        let slugs: Vec<&str> = self
            .catalog
            .exercises()
            .iter()
            .map(|e| e.slug.as_str())
            .collect();
        match crate::suggest::closest(slug, &slugs) {
            Some(best) => bail!(
                "unknown exercise `{slug}`: did you mean `{best}`? (`kata list` shows them all)"
            ),
            None => bail!("unknown exercise `{slug}` (`kata list` shows them all)"),
        }
    }

    /// The default language: kata.toml's `language`, else Python.
    pub fn default_language(&self) -> Language {
        self.workspace()
            .ok()
            .and_then(|w| w.settings.language)
            .unwrap_or(Language::Python)
    }

    /// Fails unless the exercise supports the language.
    pub fn require_language(&self, exercise: &Exercise, lang: Language) -> Result<()> {
        if exercise.supports(lang) {
            return Ok(());
        }
        let available: Vec<&str> = exercise.languages().iter().map(|l| l.name()).collect();
        bail!(
            "{} has no {lang} track yet (available: {})",
            exercise.slug,
            available.join(", ")
        )
    }
}

/// `COLUMNS` when it is a number, else the width of the terminal stdout is.
fn output_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(columns).filter(|c| *c > 0);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// `build_timeout_secs` from kata.toml, else 60 s: a cold Rust build takes well under a second,
/// so only a learner's runaway macro or const evaluation comes near it.
fn build_timeout(workspace: &Result<Workspace, String>) -> Duration {
    workspace
        .as_ref()
        .ok()
        .and_then(|w| w.settings.build_timeout_secs)
        .map_or(Duration::from_secs(60), Duration::from_secs_f64)
}
