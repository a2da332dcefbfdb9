//! `kata case NAME [--export]`: one case as a test in the learner's language, printed, or
//! appended to their visible tests so it can run under their own debugger (the test file is
//! backed up first).

use super::Outcome;
use crate::catalog::StageSelection;
use crate::config::Config;
use crate::lang::Language;
use crate::{examples, output, stage_progress};
use anyhow::{bail, Context, Result};

pub fn run(
    cfg: &Config,
    name: &str,
    slug: Option<&str>,
    lang: Option<Language>,
    export: bool,
) -> Result<Outcome> {
    let (exercise, lang) = crate::target::resolve(cfg, slug, lang)?;
    cfg.require_language(exercise, lang)?;
    let ws = cfg.workspace()?;
    let slug = exercise.slug.as_str();
    // Cases of the stages reached so far: a later follow-up's cases are not shown early.
    let stage = stage_progress::current(&ws.state_dir(), exercise, lang)?;
    let cases = crate::pipeline::cases_for(exercise, lang, StageSelection::Through(stage))?;
    let Some(case) = cases.iter().find(|c| c.name == name) else {
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        match crate::suggest::closest(name, &names) {
            Some(best) => bail!("{slug} has no case `{name}` in {lang}: did you mean `{best}`?"),
            None => {
                bail!("{slug} has no case `{name}` in {lang} (a failing check names its cases)")
            }
        }
    };
    let export_code = examples::render_export(lang, exercise.examples_spec(lang)?, case)?;
    if !export {
        output::out(&export_code.test)?;
        return Ok(Outcome::Success);
    }
    let file = ws.exercise_dir(lang, slug).join(lang.examples_file());
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "cannot read `{}`: `kata case {name}` (without --export) prints the test instead",
            file.display()
        )
    })?;
    if text.contains(&format!("test_{name}(")) {
        bail!("`{}` already has `test_{name}`", file.display());
    }
    let mut addition = export_code.test;
    if export_code.needs_assert_panics && !text.contains("fn assert_panics") {
        addition.push('\n');
        addition.push_str(examples::ASSERT_PANICS);
    }
    // Python: before the `if __name__ == "__main__":` block, so running the file as a
    // script still finds the test; anything else goes at the end.
    let updated = match text.find("\nif __name__ == \"__main__\":") {
        Some(at) if lang == Language::Python => {
            format!("{}{addition}\n{}", text[..at].trim_end(), &text[at..])
        }
        _ => format!("{}\n{addition}", text.trim_end()),
    };
    let backup = ws.backup(lang, slug, &file)?;
    std::fs::write(&file, updated).with_context(|| {
        format!(
            "cannot write `{}` (it is unchanged; a copy is in {})",
            file.display(),
            backup.display()
        )
    })?;
    output::out(&format!(
        "added test_{name} to {} (your previous file is saved as {})\nrun it with: {}\n",
        file.display(),
        backup.display(),
        lang.examples_command()
    ))?;
    Ok(Outcome::Success)
}
