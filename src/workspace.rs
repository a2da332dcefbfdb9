//! The learner's workspace: finding it, reading `kata.toml`, scaffolding exercise folders and
//! backing up the learner's files before anything overwrites them.

use crate::catalog::Exercise;
use crate::lang::Language;
use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SETTINGS_FILE: &str = "kata.toml";
/// kata's own state inside the workspace (progress, backups).
pub const STATE_DIR: &str = ".kata";

/// How the workspace root was found (SPEC 2 resolution order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    Ancestor,
    Default,
}

/// Settings from `kata.toml`; every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Default language for `start` and `check`.
    pub language: Option<Language>,
    /// The Python interpreter to run (default: `python3` on PATH).
    pub python: Option<PathBuf>,
    /// Overrides every exercise's wall-clock limit, in seconds.
    pub timeout_secs: Option<f64>,
    /// Wall-clock limit for compiling the learner's Rust crate, in seconds (default 60).
    pub build_timeout_secs: Option<f64>,
}

/// Largest `timeout_secs`: a check that needs ten minutes is not an interview exercise.
const MAX_TIMEOUT_SECS: f64 = 600.0;
/// Largest `build_timeout_secs`: a cold Rust build takes about a second; an hour is absurd.
const MAX_BUILD_TIMEOUT_SECS: f64 = 3600.0;

impl Settings {
    /// Rejects limits that are not finite, not positive or absurd (they would panic or make
    /// no sense when turned into a duration), naming the key, the value and the range.
    fn validate(&self) -> Result<(), String> {
        seconds_in_range("timeout_secs", self.timeout_secs, MAX_TIMEOUT_SECS)?;
        seconds_in_range(
            "build_timeout_secs",
            self.build_timeout_secs,
            MAX_BUILD_TIMEOUT_SECS,
        )
    }
}

fn seconds_in_range(key: &str, value: Option<f64>, max: f64) -> Result<(), String> {
    match value {
        // Written so that NaN, which compares false with everything, is refused too.
        Some(secs) if !(secs > 0.0 && secs <= max) => Err(format!(
            "`{key}` in kata.toml is {}: use a number of seconds in (0, {max}]",
            toml_number(secs)
        )),
        _ => Ok(()),
    }
}

/// A float as it would be written in TOML (`nan`, `inf`, `-5`, `1e308`).
fn toml_number(value: f64) -> String {
    if value.is_nan() {
        "nan".to_string()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value}")
    } else {
        format!("{value:?}")
    }
}

/// A resolved workspace root and its settings.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub source: Source,
    pub settings: Settings,
}

/// Finds the workspace root: `--workspace` > `KATA_WORKSPACE` > nearest ancestor of `cwd`
/// holding `kata.toml` > `~/kata`.
pub fn locate(
    flag: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
    home: Option<&Path>,
) -> Result<(PathBuf, Source)> {
    if let Some(dir) = flag {
        return Ok((absolute(cwd, dir), Source::Flag));
    }
    if let Some(dir) = env.filter(|d| !d.as_os_str().is_empty()) {
        return Ok((absolute(cwd, dir), Source::Env));
    }
    if let Some(dir) = cwd.ancestors().find(|d| d.join(SETTINGS_FILE).is_file()) {
        return Ok((dir.to_path_buf(), Source::Ancestor));
    }
    let home = home.ok_or_else(|| {
        anyhow!("cannot find a workspace: no `kata.toml` above the current folder and no home folder; pass `--workspace DIR`")
    })?;
    Ok((home.join("kata"), Source::Default))
}

fn absolute(cwd: &Path, dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    }
}

impl Workspace {
    /// Opens a workspace root, reading `kata.toml` when it exists.
    pub fn open(root: PathBuf, source: Source) -> Result<Workspace> {
        let path = root.join(SETTINGS_FILE);
        let settings = match fs::read_to_string(&path) {
            Ok(text) => parse_settings(&text).map_err(|e| anyhow!("{}:{e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", path.display())),
        };
        settings.validate().map_err(|e| anyhow!(e))?;
        crate::progress::check_links(&root, &root.join(STATE_DIR))?;
        Ok(Workspace {
            root,
            source,
            settings,
        })
    }

    pub fn exists(&self) -> bool {
        self.root.is_dir()
    }

    /// Creates the root, `kata.toml` and `.kata/` when missing. Returns true if it created the
    /// root folder.
    pub fn create(&self) -> Result<bool> {
        let created = !self.root.exists();
        fs::create_dir_all(self.state_dir())
            .with_context(|| format!("cannot create the workspace at `{}`", self.root.display()))?;
        let settings = self.root.join(SETTINGS_FILE);
        if !settings.exists() {
            fs::write(&settings, DEFAULT_SETTINGS)
                .with_context(|| format!("cannot write `{}`", settings.display()))?;
        }
        Ok(created)
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR)
    }

    pub fn exercise_dir(&self, lang: Language, slug: &str) -> PathBuf {
        self.root.join(lang.name()).join(slug)
    }

    pub fn learner_file(&self, lang: Language, slug: &str) -> PathBuf {
        self.exercise_dir(lang, slug).join(lang.learner_file(slug))
    }

    /// Whether the learner has started this exercise in this language.
    pub fn is_started(&self, lang: Language, slug: &str) -> bool {
        self.learner_file(lang, slug).exists()
    }

    /// The (language, slug) of the exercise folder containing `dir`, if any.
    pub fn exercise_at(&self, dir: &Path) -> Option<(Language, String)> {
        let relative = dir.strip_prefix(&self.root).ok()?;
        let mut parts = relative.components();
        let lang = Language::from_name(parts.next()?.as_os_str().to_str()?)?;
        let slug = parts.next()?.as_os_str().to_str()?.to_string();
        Some((lang, slug))
    }

    /// Writes the starter, the visible examples and the statement of an exercise.
    /// Never overwrites: fails when the exercise folder already holds the learner's file.
    pub fn scaffold(&self, exercise: &Exercise, lang: Language) -> Result<PathBuf> {
        let dir = self.exercise_dir(lang, &exercise.slug);
        if self.is_started(lang, &exercise.slug) {
            bail!(AlreadyStarted {
                slug: exercise.slug.clone(),
                lang,
                dir,
            });
        }
        for (relative, contents) in scaffold_files(exercise, lang)? {
            let path = dir.join(&relative);
            if path.exists() {
                continue; // keep whatever the learner has there
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            fs::write(&path, contents)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
        }
        Ok(dir)
    }

    /// Copies a learner file to `.kata/backups/` under a timestamped name; returns the copy.
    pub fn backup(&self, lang: Language, slug: &str, file: &Path) -> Result<PathBuf> {
        let dir = self.state_dir().join("backups");
        fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        let stamp = jiff::Timestamp::now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_string());
        let contents =
            fs::read(file).with_context(|| format!("cannot read `{}`", file.display()))?;
        for n in 0.. {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            let target = dir.join(format!("{}-{slug}-{stamp}{suffix}-{name}", lang.name()));
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
            {
                Ok(mut out) => {
                    out.write_all(&contents)
                        .and_then(|()| out.sync_all())
                        .with_context(|| format!("cannot write `{}`", target.display()))?;
                    return Ok(target);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot write `{}`", target.display()))
                }
            }
        }
        unreachable!("an unbounded loop returns")
    }
}

/// `start` on an exercise that already has the learner's file.
#[derive(Debug, thiserror::Error)]
#[error("{slug} ({lang}) is already started in `{}`: keep working there, or run `kata reset {slug} --lang {lang}` to restore the starter (your file is backed up first)", dir.display())]
pub struct AlreadyStarted {
    pub slug: String,
    pub lang: Language,
    pub dir: PathBuf,
}

const DEFAULT_SETTINGS: &str = "\
# kata workspace settings (every line is optional).
# Default language for `kata start` and `kata check`: \"python\" or \"rust\".
language = \"python\"
# The Python interpreter to use (default: python3 on PATH).
# python = \"/usr/bin/python3\"
# Wall-clock limit for one check, in seconds, at most 600 (default: the exercise's own, usually 10).
# timeout_secs = 10
# Wall-clock limit for compiling a Rust solution, in seconds, at most 3600 (default: 60).
# build_timeout_secs = 60
";

fn parse_settings(text: &str) -> Result<Settings, String> {
    toml::from_str(text).map_err(|e| crate::catalog::meta::toml_error(text, &e))
}

/// The files a fresh exercise folder holds, relative to it.
pub fn scaffold_files(exercise: &Exercise, lang: Language) -> Result<Vec<(String, String)>> {
    // The example cases of this language, their expected results as they read in it (an
    // `error ValueError` that is a panic in Rust).
    let examples: Vec<_> = exercise
        .cases()?
        .cases
        .iter()
        .filter(|c| c.example && c.applies_to(lang))
        .map(|c| {
            let mut case = c.clone();
            for op in &mut case.ops {
                op.expected = exercise.meta.expected_in(lang, &op.name, &op.expected);
            }
            case
        })
        .collect();
    let examples: Vec<&crate::catalog::case::Case> = examples.iter().collect();
    let mut readme = exercise.statement(lang)?;
    readme.push_str(&crate::catalog::statement::examples_section(
        &examples,
        lang,
        "## Examples",
        true,
    ));
    let measures = if exercise.cases()?.probes.is_empty() {
        ""
    } else {
        ", and measures the complexity of your solution"
    };
    readme.push_str(&format!(
        "\n## Checking\n\nRun `kata check` in this folder: it runs the hidden cases, shows the first \
         failing one as a diff with a hint{measures}. `kata hint` reveals the next hint ({} in \
         all).\n",
        exercise.meta.hints.len()
    ));
    let mut files = vec![
        (
            lang.learner_file(&exercise.slug),
            exercise.starter(lang)?.to_string(),
        ),
        (
            lang.examples_file().to_string(),
            crate::examples::render(
                &exercise.slug,
                lang,
                exercise.examples_spec(lang)?,
                &examples,
            )
            .with_context(|| {
                format!(
                    "cannot write the visible examples of {} ({lang})",
                    exercise.slug
                )
            })?,
        ),
        ("README.md".to_string(), readme),
    ];
    if lang == Language::Rust {
        files.push(("Cargo.toml".to_string(), cargo_manifest(&exercise.slug)));
        files.push((".gitignore".to_string(), "/target\n".to_string()));
    }
    Ok(files)
}

/// A std-only manifest, detached from any parent Cargo workspace, so it builds offline.
fn cargo_manifest(slug: &str) -> String {
    format!(
        "[package]\nname = \"{slug}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         # std only: no dependencies, so `cargo test` works offline.\n[dependencies]\n\n\
         # Keeps this crate out of any Cargo workspace above it.\n[workspace]\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_order() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("a/b");
        fs::create_dir_all(&cwd).unwrap();
        fs::write(tmp.path().join("a").join(SETTINGS_FILE), "").unwrap();
        let home = tmp.path().join("home");
        let flag = Path::new("flagged");
        let env = Path::new("/env");
        assert_eq!(
            locate(Some(flag), Some(env), &cwd, Some(&home)).unwrap(),
            (cwd.join("flagged"), Source::Flag)
        );
        assert_eq!(
            locate(None, Some(env), &cwd, Some(&home)).unwrap(),
            (PathBuf::from("/env"), Source::Env)
        );
        assert_eq!(
            locate(None, None, &cwd, Some(&home)).unwrap(),
            (tmp.path().join("a"), Source::Ancestor)
        );
        assert_eq!(
            locate(None, None, &home, Some(&home)).unwrap(),
            (home.join("kata"), Source::Default)
        );
    }

    #[test]
    fn limits_outside_their_range_are_refused() {
        for (text, shown) in [
            (
                "timeout_secs = inf",
                "`timeout_secs` in kata.toml is inf: use a number of seconds in (0, 600]",
            ),
            ("timeout_secs = nan", "`timeout_secs` in kata.toml is nan:"),
            ("timeout_secs = -inf", "is -inf:"),
            ("timeout_secs = 1e308", "is 1e308:"),
            ("timeout_secs = 0", "is 0:"),
            ("timeout_secs = -5", "is -5:"),
            ("timeout_secs = 600.5", "is 600.5:"),
            (
                "build_timeout_secs = 0.0",
                "`build_timeout_secs` in kata.toml is 0: use a number of seconds in (0, 3600]",
            ),
            ("build_timeout_secs = 86400", "is 86400:"),
        ] {
            let error = parse_settings(text).unwrap().validate().unwrap_err();
            assert!(error.contains(shown), "{text}: {error}");
        }
        for text in [
            "timeout_secs = 0.5",
            "timeout_secs = 600",
            "build_timeout_secs = 3600",
            "",
        ] {
            assert_eq!(parse_settings(text).unwrap().validate(), Ok(()), "{text}");
        }
    }

    #[test]
    fn settings_errors_name_the_line() {
        let err = parse_settings("language = \"python\"\ntimeout_secs = [").unwrap_err();
        assert!(err.starts_with("2: "), "{err}");
        let err = parse_settings("language = \"cobol\"").unwrap_err();
        assert!(err.starts_with("1: "), "{err}");
    }
}
