//! The exercise catalog: embedded in the binary at build time, or read from a folder by authors.
//!
//! Layout (documented for authors in `exercises/README.md`):
//! `exercises/<slug>/{exercise.toml,statement.md,cases.txt,notes.md}`, per language
//! `exercises/<slug>/<lang>/{starter,driver,examples}.<ext>`, the shared per-language harness in
//! `exercises/_harness/<lang>/`, and `solutions/<slug>/<lang>/{reference.<ext>,mutants/*.<ext>}`.

pub mod case;
pub mod case_parser;
pub mod meta;
pub mod mutant;
mod op_syntax;
pub mod random_spec;
pub mod stage;
pub mod statement;

use crate::lang::Language;
use anyhow::{anyhow, bail, Context, Result};
use case::{Case, CaseFile, Probe};
use include_dir::{include_dir, Dir};
use meta::Meta;
use mutant::Mutant;
use stage::{Stage, StageMeta};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static EXERCISES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/exercises");
// The reference solutions only, as `(path under solutions/, contents)`: mutants stay out of
// the binary (build.rs writes this list).
include!(concat!(env!("OUT_DIR"), "/references.rs"));

/// Folder (under `exercises/`) holding the per-language harness shared by all drivers.
const HARNESS_DIR: &str = "_harness";

/// Which stages a check grades: the exercise (stage 0) and its follow-ups up to a stage,
/// or one stage alone (`kata check --stage N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageSelection {
    Through(u32),
    Only(u32),
}

impl StageSelection {
    pub fn includes(self, stage: u32) -> bool {
        match self {
            StageSelection::Through(last) => stage <= last,
            StageSelection::Only(one) => stage == one,
        }
    }
}

/// How an exercise draws random cases (written by its author).
pub const RANDOM_SPEC_FILE: &str = "random.toml";
/// The random cases with the reference's results, written by `kata generate`.
pub const RANDOM_CASES_FILE: &str = "random_cases.txt";

/// The reference's probe digests, written by `kata generate`.
pub const DIGESTS_FILE: &str = "digests.toml";

/// What each approach to an exercise costs and what an interviewer asks about it.
const NOTES_FILE: &str = "notes.md";

/// Probe name -> language -> size -> digest.
pub type Digests = BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>;

/// Files of one folder, by path relative to it (always with `/` separators).
type Files = BTreeMap<String, Cow<'static, [u8]>>;

/// Where the catalog was read from; used to name files in error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded,
    Dir(PathBuf),
}

/// All exercises, sorted by their `order`.
pub struct Catalog {
    origin: Origin,
    exercises: Vec<Exercise>,
    broken: Vec<(String, String)>,
    harness: Files,
}

/// One exercise and its solutions.
pub struct Exercise {
    pub slug: String,
    pub meta: Meta,
    origin: Origin,
    files: Files,
    solutions: Files,
    cases: OnceLock<Result<CaseFile, String>>,
    stages: OnceLock<Result<Vec<Stage>, String>>,
}

impl Catalog {
    /// The catalog compiled into this binary.
    pub fn embedded() -> Result<Catalog> {
        let exercises = dir_files(&EXERCISES);
        let solutions = REFERENCES
            .iter()
            .map(|(path, bytes)| (path.to_string(), Cow::Borrowed(*bytes)))
            .collect();
        Catalog::build(Origin::Embedded, exercises, solutions)
    }

    /// A catalog on disk: `root/exercises` and `root/solutions` (for authors). A folder
    /// without its own `exercises/_harness` uses the harness built into kata.
    pub fn from_dir(root: &Path) -> Result<Catalog> {
        let mut exercises = read_tree(&root.join("exercises"))?;
        if !exercises
            .keys()
            .any(|p| p.starts_with(&format!("{HARNESS_DIR}/")))
        {
            exercises.extend(
                dir_files(&EXERCISES)
                    .into_iter()
                    .filter(|(p, _)| p.starts_with(&format!("{HARNESS_DIR}/"))),
            );
        }
        let solutions = read_tree(&root.join("solutions")).unwrap_or_default();
        Catalog::build(Origin::Dir(root.to_path_buf()), exercises, solutions)
    }

    fn build(origin: Origin, exercises: Files, solutions: Files) -> Result<Catalog> {
        let mut by_slug: BTreeMap<String, (Files, Files)> = BTreeMap::new();
        let mut harness = Files::new();
        for (path, bytes) in exercises {
            let Some((top, rest)) = path.split_once('/') else {
                continue; // README.md and other loose files
            };
            if top == HARNESS_DIR {
                harness.insert(rest.to_string(), bytes);
            } else {
                by_slug
                    .entry(top.to_string())
                    .or_default()
                    .0
                    .insert(rest.to_string(), bytes);
            }
        }
        for (path, bytes) in solutions {
            if let Some((top, rest)) = path.split_once('/') {
                if let Some(entry) = by_slug.get_mut(top) {
                    entry.1.insert(rest.to_string(), bytes);
                }
            }
        }
        let mut list = Vec::new();
        let mut broken = Vec::new();
        for (slug, (files, solutions)) in by_slug {
            match load_meta(&origin, &slug, &files) {
                Ok(meta) => list.push(Exercise {
                    slug,
                    meta,
                    origin: origin.clone(),
                    files,
                    solutions,
                    cases: OnceLock::new(),
                    stages: OnceLock::new(),
                }),
                Err(e) => broken.push((slug, e)),
            }
        }
        list.sort_by(|a, b| (a.meta.order, &a.slug).cmp(&(b.meta.order, &b.slug)));
        Ok(Catalog {
            origin,
            exercises: list,
            broken,
            harness,
        })
    }

    /// Whether this catalog carries mutants: a folder does, the embedded catalog does not.
    pub fn has_mutants(&self) -> bool {
        matches!(self.origin, Origin::Dir(_))
    }

    /// Exercises whose folder exists but whose metadata could not be loaded: (slug, why).
    pub fn broken(&self) -> &[(String, String)] {
        &self.broken
    }

    pub fn exercises(&self) -> &[Exercise] {
        &self.exercises
    }

    pub fn get(&self, slug: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.slug == slug)
    }

    /// The shared harness file of a language (e.g. `kata_harness.py`).
    pub fn harness(&self, lang: Language) -> Result<&str> {
        let path = format!("{}/{}", lang.name(), lang.harness_file());
        let bytes = self
            .harness
            .get(&path)
            .ok_or_else(|| anyhow!("the catalog has no {} harness", lang.name()))?;
        std::str::from_utf8(bytes).context("harness is not UTF-8")
    }

    /// Every file of a language's harness folder (`_harness/<lang>/`), by path relative to
    /// it: the harness and its modules (Python `kata_conc.py`; Rust `kst.rs`, `kst/*.rs`).
    pub fn harness_files(&self, lang: Language) -> Vec<(&str, &[u8])> {
        let prefix = format!("{}/", lang.name());
        self.harness
            .iter()
            .filter_map(|(path, bytes)| Some((path.strip_prefix(&prefix)?, bytes.as_ref())))
            .collect()
    }
}

impl Origin {
    /// How to name a catalog file in messages: repository-relative when embedded.
    pub fn display(&self, relative: &str) -> String {
        match self {
            Origin::Embedded => relative.to_string(),
            Origin::Dir(root) => root.join(relative).display().to_string(),
        }
    }
}

impl Exercise {
    /// Languages this exercise has a starter for.
    pub fn languages(&self) -> Vec<Language> {
        Language::ALL
            .into_iter()
            .filter(|lang| self.files.contains_key(&lang_path(*lang, "starter")))
            .collect()
    }

    pub fn supports(&self, lang: Language) -> bool {
        self.languages().contains(&lang)
    }

    fn text(&self, path: &str) -> Result<&str> {
        let shown = self
            .origin
            .display(&format!("exercises/{}/{path}", self.slug));
        let bytes = self
            .files
            .get(path)
            .ok_or_else(|| anyhow!("{shown} is missing"))?;
        std::str::from_utf8(bytes).with_context(|| format!("{shown} is not UTF-8"))
    }

    /// The parsed hidden cases (parsed once).
    pub fn cases(&self) -> Result<&CaseFile> {
        let parsed = self.cases.get_or_init(|| {
            let mut file = self.case_file("cases.txt")?;
            // The random cases `kata generate` drew and recorded, after the written ones.
            if self.files.contains_key(RANDOM_CASES_FILE) {
                let random = self.case_file(RANDOM_CASES_FILE)?;
                for case in &random.cases {
                    if file.cases.iter().any(|c| c.name == case.name) {
                        return Err(format!(
                            "{}: case `{}` is also in cases.txt",
                            self.origin
                                .display(&format!("exercises/{}/{RANDOM_CASES_FILE}", self.slug)),
                            case.name
                        ));
                    }
                }
                file.cases.extend(random.cases);
            }
            Ok(file)
        });
        parsed.as_ref().map_err(|e| anyhow!("{e}"))
    }

    fn case_file(&self, name: &str) -> Result<CaseFile, String> {
        let shown = self
            .origin
            .display(&format!("exercises/{}/{name}", self.slug));
        let text = self.text(name).map_err(|e| e.to_string())?;
        case_parser::parse(text).map_err(|e| format!("{shown}:{}: {}", e.line, e.message))
    }

    /// `random.toml`, when the exercise draws random cases.
    pub fn random_spec(&self) -> Result<Option<random_spec::RandomSpec>> {
        if !self.files.contains_key(RANDOM_SPEC_FILE) {
            return Ok(None);
        }
        let shown = self
            .origin
            .display(&format!("exercises/{}/{RANDOM_SPEC_FILE}", self.slug));
        random_spec::RandomSpec::parse(self.text(RANDOM_SPEC_FILE)?)
            .map(Some)
            .map_err(|e| anyhow!("{shown}: {e}"))
    }

    /// The fingerprint of `random.toml`, when the exercise draws random cases: what
    /// `kata generate` writes in the header of `random_cases.txt`.
    pub fn random_spec_fingerprint(&self) -> Option<String> {
        self.files
            .get(RANDOM_SPEC_FILE)
            .map(|bytes| random_spec::fingerprint(bytes))
    }

    /// For `kata verify`: why `random_cases.txt` is not what `kata generate` draws from
    /// `random.toml` (missing, or drawn from another one); `None` when it is, or when the
    /// exercise draws no random cases.
    pub fn stale_random_cases(&self) -> Option<String> {
        let fingerprint = self.random_spec_fingerprint()?;
        let cases = self
            .files
            .get(RANDOM_CASES_FILE)
            .map(|bytes| String::from_utf8_lossy(bytes));
        let why = random_spec::stale(&fingerprint, cases.as_deref())?;
        Some(format!(
            "{RANDOM_CASES_FILE} {why}: run `kata generate --catalog DIR {}`",
            self.slug
        ))
    }

    /// The cases of the exercise and of its stages up to `through` (each case knows its
    /// stage), or of stage `only` alone.
    pub fn staged_cases(&self, selection: StageSelection) -> Result<Vec<Case>> {
        let mut cases: Vec<Case> = Vec::new();
        if selection.includes(0) {
            cases.extend(self.cases()?.cases.iter().cloned());
        }
        for stage in self.stages()? {
            if selection.includes(stage.number) {
                cases.extend(stage.cases.cases.iter().cloned());
            }
        }
        Ok(cases)
    }

    /// The probes as measured in `lang` for the stages selected: its sizes, and the
    /// reference's digests from `digests.toml` (written by `kata generate`; none when the
    /// file is missing).
    pub fn probes(&self, lang: Language, selection: StageSelection) -> Result<Vec<Probe>> {
        let digests = self.digests()?;
        let mut probes: Vec<&Probe> = Vec::new();
        if selection.includes(0) {
            probes.extend(&self.cases()?.probes);
        }
        for stage in self.stages()? {
            if selection.includes(stage.number) {
                probes.extend(&stage.cases.probes);
            }
        }
        Ok(probes
            .into_iter()
            .map(|p| {
                let mut probe = p.for_language(lang);
                probe.digests = digests
                    .get(&p.name)
                    .and_then(|by_lang| by_lang.get(lang.name()))
                    .map(|by_size| {
                        by_size
                            .iter()
                            .filter_map(|(size, d)| Some((size.parse().ok()?, d.clone())))
                            .collect()
                    })
                    .unwrap_or_default();
                probe
            })
            .collect())
    }

    /// Whether the selected stages run under kata's controlled schedulers.
    pub fn concurrent(&self, selection: StageSelection) -> Result<bool> {
        Ok(self.meta.concurrency
            || self
                .stages()?
                .iter()
                .any(|s| s.meta.concurrency && selection.includes(s.number)))
    }

    /// `digests.toml`: probe -> language -> size -> digest.
    pub fn digests(&self) -> Result<Digests> {
        if !self.files.contains_key(DIGESTS_FILE) {
            return Ok(Digests::new());
        }
        let shown = self
            .origin
            .display(&format!("exercises/{}/{DIGESTS_FILE}", self.slug));
        toml::from_str(self.text(DIGESTS_FILE)?).map_err(|e| anyhow!("{shown}: {}", e.message()))
    }

    /// The statement with only the sections for `lang` (see `exercises/README.md`).
    pub fn statement(&self, lang: Language) -> Result<String> {
        Ok(statement::for_language(self.text("statement.md")?, lang))
    }

    /// The trade-off notes (`notes.md`) with only the sections for `lang`, shown by
    /// `kata review` after a pass; `None` when the exercise has none.
    pub fn notes(&self, lang: Language) -> Result<Option<String>> {
        if !self.files.contains_key(NOTES_FILE) {
            return Ok(None);
        }
        Ok(Some(statement::for_language(self.text(NOTES_FILE)?, lang)))
    }

    pub fn starter(&self, lang: Language) -> Result<&str> {
        self.text(&lang_path(lang, "starter"))
    }

    pub fn driver(&self, lang: Language) -> Result<&str> {
        self.text(&lang_path(lang, "driver"))
    }

    /// How the example cases read as code in `lang` (`<lang>/examples.toml`).
    pub fn examples_spec(&self, lang: Language) -> Result<&str> {
        self.text(&format!("{}/examples.toml", lang.name()))
    }

    fn solution_text(&self, path: &str) -> Result<&str> {
        let shown = self
            .origin
            .display(&format!("solutions/{}/{path}", self.slug));
        let bytes = self
            .solutions
            .get(path)
            .ok_or_else(|| anyhow!("{shown} is missing"))?;
        std::str::from_utf8(bytes).with_context(|| format!("{shown} is not UTF-8"))
    }

    /// The follow-up stages, numbered from 1 (see [`stage`]); none for most exercises.
    pub fn stages(&self) -> Result<&[Stage]> {
        let stages = self.stages.get_or_init(|| self.load_stages());
        stages.as_deref().map_err(|e| anyhow!("{e}"))
    }

    /// Minutes an interviewer gives for `stage` (0: the exercise itself): the stage's own
    /// budget, else the exercise's; `None` for a stage the exercise does not have.
    pub fn time_budget(&self, stage: u32) -> Result<Option<u32>> {
        let own = self.meta.time_budget_minutes;
        Ok(match stage {
            0 => Some(own),
            n => self
                .stages()?
                .get(n as usize - 1)
                .map(|s| s.meta.time_budget_minutes.unwrap_or(own)),
        })
    }

    fn load_stages(&self) -> Result<Vec<Stage>, String> {
        let mut stages = Vec::new();
        for path in self.files.keys() {
            let Some(dir) = path
                .strip_prefix("stages/")
                .and_then(|rest| rest.strip_suffix("/stage.toml"))
            else {
                continue;
            };
            let shown = |file: &str| {
                self.origin
                    .display(&format!("exercises/{}/stages/{dir}/{file}", self.slug))
            };
            let number = stage::number(dir).ok_or_else(|| {
                format!("{}: a stage folder is named `<N>-<name>` (N from 1, name in lowercase letters, digits and `-`)", shown(""))
            })?;
            let text = |file: &str| {
                self.text(&format!("stages/{dir}/{file}"))
                    .map_err(|e| e.to_string())
            };
            let meta = StageMeta::parse(text("stage.toml")?)
                .map_err(|e| format!("{}:{e}", shown("stage.toml")))?;
            let mut cases = case_parser::parse(text("cases.txt")?)
                .map_err(|e| format!("{}:{}: {}", shown("cases.txt"), e.line, e.message))?;
            for case in &mut cases.cases {
                case.stage = number;
            }
            stages.push(Stage {
                number,
                dir: dir.to_string(),
                meta,
                cases,
                statement: text("statement.md")?.to_string(),
            });
        }
        stages.sort_by_key(|s| s.number);
        for (i, stage) in stages.iter().enumerate() {
            if stage.number != i as u32 + 1 {
                return Err(format!(
                    "{}: stages are numbered 1, 2, 3... without gaps or repeats",
                    self.origin
                        .display(&format!("exercises/{}/stages/{}", self.slug, stage.dir))
                ));
            }
        }
        Ok(stages)
    }

    /// Where the solutions of `stage` live under `solutions/<slug>/<lang>/` (`""` for 0).
    fn stage_prefix(&self, stage: u32) -> Result<String> {
        if stage == 0 {
            return Ok(String::new());
        }
        let dir = &self
            .stages()?
            .get(stage as usize - 1)
            .ok_or_else(|| anyhow!("{} has no follow-up stage {stage}", self.slug))?
            .dir;
        Ok(format!("stages/{dir}/"))
    }

    /// The reference solution of a language at a stage (0: the exercise itself): it passes
    /// that stage and every earlier one.
    pub fn reference(&self, lang: Language, stage: u32) -> Result<&str> {
        let prefix = self.stage_prefix(stage)?;
        self.solution_text(&format!(
            "{}/{prefix}reference.{}",
            lang.name(),
            lang.extension()
        ))
    }

    /// Names of the known-wrong solutions of `lang` at a stage, sorted. Empty for the
    /// embedded catalog, which carries no mutants.
    pub fn mutant_names(&self, lang: Language, stage: u32) -> Result<Vec<String>> {
        let prefix = format!("{}/{}mutants/", lang.name(), self.stage_prefix(stage)?);
        let suffix = format!(".{}", mutant::EXTENSION);
        Ok(self
            .solutions
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix)?.strip_suffix(&suffix))
            .map(str::to_string)
            .collect())
    }

    /// One known-wrong solution, applied to the reference of its stage (see [`mutant`]);
    /// errors name the patch file.
    pub fn mutant(&self, lang: Language, stage: u32, name: &str) -> Result<Mutant> {
        let path = format!(
            "{}/{}mutants/{name}.{}",
            lang.name(),
            self.stage_prefix(stage)?,
            mutant::EXTENSION
        );
        let text = self.solution_text(&path)?;
        let shown = self
            .origin
            .display(&format!("solutions/{}/{path}", self.slug));
        mutant::apply(name, text, self.reference(lang, stage)?)
            .with_context(|| format!("mutant {shown}"))
    }
}

/// Reads and checks `exercise.toml`; errors name the file and line.
fn load_meta(origin: &Origin, slug: &str, files: &Files) -> Result<Meta, String> {
    check_slug(slug)
        .map_err(|e| format!("{}: {e}", origin.display(&format!("exercises/{slug}"))))?;
    let shown = origin.display(&format!("exercises/{slug}/exercise.toml"));
    let bytes = files
        .get("exercise.toml")
        .ok_or_else(|| format!("{shown} is missing"))?;
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8"))?;
    Meta::parse(text).map_err(|e| format!("{shown}:{e}"))
}

fn lang_path(lang: Language, stem: &str) -> String {
    format!("{}/{stem}.{}", lang.name(), lang.extension())
}

/// Slugs name folders in the learner's workspace, so they are restricted to a safe alphabet.
pub fn check_slug(slug: &str) -> Result<()> {
    let ok = !slug.is_empty()
        && !slug.starts_with('-')
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        bail!("invalid exercise slug `{slug}`: use lowercase letters, digits and `-`");
    }
    Ok(())
}

fn dir_files(dir: &'static Dir<'static>) -> Files {
    let mut files = Files::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            files.insert(path, Cow::Borrowed(file.contents()));
        }
        stack.extend(dir.dirs());
    }
    files
}

fn read_tree(root: &Path) -> Result<Files> {
    let mut files = Files::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .expect("walked below root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path)
                    .with_context(|| format!("cannot read `{}`", path.display()))?;
                files.insert(relative, Cow::Owned(bytes));
            }
        }
    }
    Ok(files)
}
