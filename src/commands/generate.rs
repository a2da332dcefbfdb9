//! `kata generate`: records in a catalog folder what its reference solutions produce, for
//! `kata check` to compare against: the digests of each probe's results per language and size
//! (`exercises/<slug>/digests.toml`), and the random cases `random.toml` describes, drawn
//! and given the reference's results (`exercises/<slug>/random_cases.txt`).

use super::scratch::Scratch;
use super::Outcome;
use crate::catalog::case::Case;
use crate::catalog::random_spec::FINGERPRINT_LINE;
use crate::catalog::{Catalog, Digests, Exercise, StageSelection, DIGESTS_FILE, RANDOM_CASES_FILE};
use crate::config::Config;
use crate::lang::Language;
use crate::output;
use crate::verdict::ProbeOutcome;
use anyhow::{bail, Context, Result};
use std::path::Path;

pub fn run(
    cfg: &Config,
    slug: Option<&str>,
    lang: Option<Language>,
    root: &Path,
) -> Result<Outcome> {
    let catalog = Catalog::from_dir(root)?;
    let exercises: Vec<_> = catalog
        .exercises()
        .iter()
        .filter(|e| slug.is_none_or(|s| s == e.slug))
        .collect();
    if exercises.is_empty() {
        bail!(
            "no exercise {} in `{}`",
            slug.map(|s| format!("`{s}`")).unwrap_or_default(),
            root.display()
        );
    }
    for exercise in exercises {
        random_cases(cfg, &catalog, exercise, root)?;
        let has_probes = !exercise.cases()?.probes.is_empty()
            || exercise
                .stages()?
                .iter()
                .any(|s| !s.cases.probes.is_empty());
        if !has_probes {
            continue;
        }
        let mut digests: Digests = exercise.digests()?;
        for l in exercise.languages() {
            if lang.is_some_and(|want| want != l) {
                continue;
            }
            // The last stage's reference, graded on every stage, measures every probe.
            let last = exercise.stages()?.len() as u32;
            let scratch = Scratch::new(cfg, &catalog, exercise, l, "generate")?;
            let verdict = scratch.check(
                exercise.reference(l, last)?,
                StageSelection::Through(last),
                false,
                None,
            )?;
            if !verdict.passed() {
                bail!(
                    "the {l} reference of {} does not pass its own cases and probes ({}): its digests are not written",
                    exercise.slug,
                    super::verify::explain(&verdict)
                );
            }
            for probe in &verdict.probes {
                if let ProbeOutcome::Judged(v) = probe {
                    let by_size = digests
                        .entry(v.name.clone())
                        .or_default()
                        .entry(l.name().to_string())
                        .or_default();
                    by_size.clear();
                    by_size.extend(v.digests.iter().map(|(s, d)| (s.to_string(), d.clone())));
                }
            }
        }
        let path = root
            .join("exercises")
            .join(&exercise.slug)
            .join(DIGESTS_FILE);
        let text = format!(
            "# Written by `kata generate`: the digests of the reference's probe results, per probe,\n\
             # language and size. Regenerate after changing a probe workload or a reference.\n\n{}",
            toml::to_string(&digests).context("cannot write the digests as TOML")?
        );
        write_if_changed(&path, &text)?;
    }
    Ok(Outcome::Success)
}

/// Draws the random cases of `exercise` (when it has a `random.toml`), records the results of
/// its first language's reference, checks that every other language's reference gives the
/// same ones, and writes them as `random_cases.txt`.
fn random_cases(cfg: &Config, catalog: &Catalog, exercise: &Exercise, root: &Path) -> Result<()> {
    let (Some(spec), Some(fingerprint)) =
        (exercise.random_spec()?, exercise.random_spec_fingerprint())
    else {
        return Ok(());
    };
    let mut cases = spec
        .draw()
        .map_err(|e| anyhow::anyhow!("exercises/{}/random.toml: {e}", exercise.slug))?;
    let languages = exercise.languages();
    let Some((&first, others)) = languages.split_first() else {
        return Ok(());
    };
    let results = Scratch::new(cfg, catalog, exercise, first, "generate")?
        .record(exercise.reference(first, 0)?, &cases)?;
    for (case, results) in cases.iter_mut().zip(&results) {
        if results.len() != case.ops.len() {
            bail!(
                "the {first} reference gave {} results for the {} operations of {}",
                results.len(),
                case.ops.len(),
                case.name
            );
        }
        for (op, result) in case.ops.iter_mut().zip(results) {
            op.expected = neutral(result);
        }
    }
    for &lang in others {
        let theirs = Scratch::new(cfg, catalog, exercise, lang, "generate")?
            .record(exercise.reference(lang, 0)?, &cases)?;
        for (case, results) in cases.iter().zip(&theirs) {
            for (op, result) in case.ops.iter().zip(results) {
                let expected = exercise.meta.expected_in(lang, &op.name, &op.expected);
                if !crate::grade::results_match(&expected, result) {
                    bail!(
                        "the references disagree on `{}` in {} of {}: {first} gives `{}`, {lang} `{result}`; draw operations whose results read the same in every language",
                        op.text,
                        case.name,
                        exercise.slug,
                        op.expected
                    );
                }
            }
        }
    }
    let path = root
        .join("exercises")
        .join(&exercise.slug)
        .join(RANDOM_CASES_FILE);
    write_if_changed(&path, &case_file(&cases, spec.seed, &fingerprint))
}

/// An error's kind without its message (`error ValueError`), a panic as `panic`: what a
/// case expects of every language's reference.
fn neutral(result: &str) -> String {
    if let Some(kind) = result.strip_prefix("error ") {
        return format!("error {}", kind.split(':').next().unwrap_or(kind));
    }
    if result.starts_with("panic:") {
        return "panic".to_string();
    }
    result.to_string()
}

/// The text of `random_cases.txt`: a header naming the seed and the fingerprint of the
/// `random.toml` drawn from (`kata verify` compares it with the current one), then the cases.
fn case_file(cases: &[Case], seed: u64, fingerprint: &str) -> String {
    let mut out = format!(
        "# Written by `kata generate` from random.toml (seed {seed}) and the reference's results:\n\
         # do not edit; change random.toml and run `kata generate --catalog DIR SLUG` again.\n\
         {FINGERPRINT_LINE}{fingerprint}\n"
    );
    for case in cases {
        out.push_str(&format!(
            "\ncase {} random\n  hint: {}\n",
            case.name, case.hint
        ));
        for op in &case.ops {
            out.push_str(&format!("  {} => {}\n", op.text, op.expected));
        }
    }
    out
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        output::out(&format!("  unchanged {}\n", path.display()))?;
    } else {
        std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
        output::out(&format!("  wrote {}\n", path.display()))?;
    }
    Ok(())
}
