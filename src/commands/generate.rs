//! `kata generate`: records in a catalog folder what its reference solutions produce, for
//! `kata check` to compare against: the digests of each probe's results per language and size
//! (`exercises/<slug>/digests.toml`).

use super::scratch::Scratch;
use super::Outcome;
use crate::catalog::{Catalog, Digests, DIGESTS_FILE};
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
        if exercise.cases()?.probes.is_empty() {
            continue;
        }
        let mut digests: Digests = exercise.digests()?;
        for l in exercise.languages() {
            if lang.is_some_and(|want| want != l) {
                continue;
            }
            let scratch = Scratch::new(cfg, &catalog, exercise, l, "generate")?;
            let verdict = scratch.check(exercise.reference(l)?, false)?;
            if !verdict.passed() {
                bail!(
                    "the {l} reference of {} does not pass its own cases and probes: run `kata verify --catalog {} {}`",
                    exercise.slug,
                    root.display(),
                    exercise.slug
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
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == text {
            output::out(&format!("  unchanged {}\n", path.display()))?;
        } else {
            std::fs::write(&path, &text)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            output::out(&format!("  wrote {}\n", path.display()))?;
        }
    }
    Ok(Outcome::Success)
}
