//! Opening the next follow-up stage after a pass: its prompt under the report, and its rules
//! appended to the workspace README (kata's own file; the learner's files are never touched).

use crate::catalog::statement;
use crate::catalog::Exercise;
use crate::lang::Language;
use crate::report::Page;
use crate::style::paint;
use crate::workspace::Workspace;
use anyhow::{Context, Result};
use std::io::Write;

/// The stage a pass just opened.
pub struct Opened {
    pub number: u32,
    pub total: u32,
    pub title: String,
    pub prompt: String,
}

/// After a pass of stage `current`: the next stage, if there is one, with its section
/// appended to the README unless it is there already.
pub fn open_next(
    ws: &Workspace,
    exercise: &Exercise,
    lang: Language,
    current: u32,
) -> Result<Option<Opened>> {
    let stages = exercise.stages()?;
    let Some(stage) = stages.get(current as usize) else {
        return Ok(None);
    };
    let total = stages.len() as u32;
    // Title and prompt may hold language sections, like the addendum.
    let title = statement::for_language(&stage.meta.title, lang)
        .trim()
        .to_string();
    let prompt = statement::for_language(&stage.meta.prompt, lang)
        .trim()
        .to_string();
    let readme = ws.exercise_dir(lang, &exercise.slug).join("README.md");
    let marker = format!("<!-- kata: follow-up {} -->", stage.number);
    let present = std::fs::read_to_string(&readme).is_ok_and(|text| text.contains(&marker));
    if !present {
        let examples: Vec<_> = stage
            .cases
            .cases
            .iter()
            .filter(|c| c.example && c.applies_to(lang))
            .collect();
        let mut section = format!(
            "\n\n{marker}\n## Follow-up {} of {total}: {}\n\n> {}\n\n{}",
            stage.number,
            title,
            prompt,
            statement::for_language(&stage.statement, lang).trim()
        );
        if !examples.is_empty() {
            section.push('\n');
            section.push_str(&statement::examples_section(
                &examples,
                lang,
                "### Examples of the follow-up",
                false,
            ));
        }
        section.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&readme)
            .with_context(|| format!("cannot add the next follow-up to `{}`", readme.display()))?;
        file.write_all(section.as_bytes())
            .with_context(|| format!("cannot add the next follow-up to `{}`", readme.display()))?;
    }
    Ok(Some(Opened {
        number: stage.number,
        total,
        title,
        prompt,
    }))
}

/// The lines under the report that announce the follow-up.
pub fn announce(opened: &Opened, page: &Page) -> String {
    let s = &page.styles;
    let mut out = format!(
        "\n{} {}\n",
        paint(
            s.bold,
            &format!("Follow-up {} of {}:", opened.number, opened.total)
        ),
        opened.title
    );
    out.push_str(&page.indented(2, &format!("\"{}\"", opened.prompt)));
    out.push_str(&page.indented(
        2,
        "The new rules are at the end of README.md; keep working in the same file: `kata check` now grades the follow-up and everything before it.",
    ));
    out
}
