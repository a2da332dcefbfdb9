//! Statements: picking the learner's language out of `statement.md` and appending the
//! visible examples.
//!
//! A statement may hold language sections between `<!-- python -->` and `<!-- /python -->`
//! marker lines (likewise for `rust`); sections of other languages are dropped.

use crate::catalog::case::Case;
use crate::lang::Language;

/// The statement text for one language. Markers may stand on their own lines (the whole
/// line goes) or inline, as in `returns <!-- python -->-1<!-- /python --><!-- rust -->None<!-- /rust -->`.
pub fn for_language(text: &str, lang: Language) -> String {
    let mut out = String::new();
    let mut section: Option<Language> = None;
    for line in text.lines() {
        if let Some((open, other)) = marker(line.trim()) {
            section = if open { Some(other) } else { None };
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("<!-- ") {
            let keep = section.is_none_or(|s| s == lang);
            if keep {
                out.push_str(&rest[..start]);
            }
            let Some(len) = rest[start..].find(" -->").map(|end| end + 4) else {
                break;
            };
            match marker(&rest[start..start + len]) {
                Some((true, other)) => section = Some(other),
                Some((false, _)) => section = None,
                None if keep => out.push_str(&rest[start..start + len]),
                None => {}
            }
            rest = &rest[start + len..];
        }
        if section.is_none_or(|s| s == lang) {
            out.push_str(rest);
            out.push('\n');
        }
    }
    out
}

/// `<!-- python -->` is `(true, Python)`, `<!-- /python -->` is `(false, Python)`.
fn marker(token: &str) -> Option<(bool, Language)> {
    let name = token.strip_prefix("<!-- ")?.strip_suffix(" -->")?;
    match name.strip_prefix('/') {
        Some(name) => Language::from_name(name).map(|l| (false, l)),
        None => Language::from_name(name).map(|l| (true, l)),
    }
}

/// A Markdown section listing the example cases as operation / expected tables, under a
/// `heading` (`## Examples`); `in_tests` says whether they are also in the visible tests.
pub fn examples_section(
    examples: &[&Case],
    lang: Language,
    heading: &str,
    in_tests: bool,
) -> String {
    let mut out = format!("\n{heading}\n\n");
    let also = if in_tests {
        format!(
            " They are also in `{}` (run them with `{}`).",
            lang.examples_file(),
            lang.examples_command()
        )
    } else {
        " `kata check` runs them with the hidden cases.".to_string()
    };
    out.push_str(&format!(
        "Each example is a sequence of operations and the result kata expects from each.{also} \
         `ok` means the call returns nothing; `error X` means it raises or panics as the API says.\n"
    ));
    for case in examples {
        out.push_str(&format!("\n### {}\n\n", case.name));
        out.push_str("| operation | expected |\n| --- | --- |\n");
        for op in &case.ops {
            out.push_str(&format!(
                "| `{}` | `{}` |\n",
                op.text.replace('|', "\\|"),
                op.expected.replace('|', "\\|")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_chosen_language() {
        let text = "intro\n<!-- python -->\npy\n<!-- /python -->\n<!-- rust -->\nrs\n<!-- /rust -->\nend\n";
        assert_eq!(for_language(text, Language::Python), "intro\npy\nend\n");
        assert_eq!(for_language(text, Language::Rust), "intro\nrs\nend\n");
    }

    #[test]
    fn inline_markers() {
        let text = "returns <!-- python -->-1<!-- /python --><!-- rust -->None<!-- /rust --> <!-- note -->\n";
        assert_eq!(
            for_language(text, Language::Python),
            "returns -1 <!-- note -->\n"
        );
        assert_eq!(
            for_language(text, Language::Rust),
            "returns None <!-- note -->\n"
        );
    }
}
