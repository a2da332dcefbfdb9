//! Parsing and validating the language-neutral case file (`exercises/<slug>/cases.txt`).
//!
//! The format is line based so that every error can name a line (see `exercises/README.md`):
//!
//! ```text
//! case recency_on_get example
//!   hint: get(1) makes key 1 the most recently used, so put(3) must evict key 2.
//!   new 2      => ok
//!   get 1      => -1
//!
//! probe get_put_scaling
//!   hint: ...
//!   workload: lru_mix
//!   sizes: 1000 100000
//! ```
//!
//! An operation line is `name arg... => expected`. Arguments are JSON-like literals
//! (integers, floats, `"strings"`, `[lists]`, `null`, `true`, `false`) or bare words, which are
//! strings (see `op_syntax`). The expected part is the exact result line the driver must produce.

use super::case::{Case, CaseFile, Op, Probe};
use super::op_syntax::parse_op;
use crate::lang::Language;
use std::collections::HashSet;
use std::fmt;

/// A problem in a case file, with the 1-based line it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

enum Block {
    None,
    Case(Case),
    Probe(ProbeDraft),
}

struct ProbeDraft {
    probe: Probe,
    has_workload: bool,
}

/// Parses and validates a whole case file.
pub fn parse(text: &str) -> Result<CaseFile, ParseError> {
    let mut file = CaseFile {
        cases: Vec::new(),
        probes: Vec::new(),
    };
    let mut names = HashSet::new();
    let mut block = Block::None;
    let mut note: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let err = |message: String| ParseError {
            line: line_no,
            message,
        };
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            // An indented comment inside a case is a note on its next operation.
            if matches!(block, Block::Case(_)) && raw.starts_with(char::is_whitespace) {
                let comment = comment.trim();
                note = Some(match note.take() {
                    Some(before) => format!("{before} {comment}"),
                    None => comment.to_string(),
                });
            }
            continue;
        }
        if let Some(rest) = header(line, "case") {
            note = None;
            finish(&mut file, std::mem::replace(&mut block, Block::None))?;
            let mut words = rest.split_whitespace();
            let name = words.next().unwrap_or_default();
            check_name(name).map_err(err)?;
            let mut example = false;
            let mut random = false;
            let mut only = Vec::new();
            for word in words {
                match (word, Language::from_name(word)) {
                    ("example", _) => example = true,
                    ("random", _) => random = true,
                    (_, Some(lang)) => only.push(lang),
                    _ => {
                        return Err(err(format!(
                            "unexpected `{word}` after the case name (only `example`, `random` and language names may follow)"
                        )))
                    }
                }
            }
            if !names.insert(name.to_string()) {
                return Err(err(format!("duplicate case or probe name `{name}`")));
            }
            block = Block::Case(Case {
                name: name.to_string(),
                line: line_no,
                example,
                random,
                only,
                stage: 0,
                hint: String::new(),
                ops: Vec::new(),
            });
            continue;
        }
        if let Some(rest) = header(line, "probe") {
            finish(&mut file, std::mem::replace(&mut block, Block::None))?;
            let name = rest.trim();
            check_name(name).map_err(err)?;
            if !names.insert(name.to_string()) {
                return Err(err(format!("duplicate case or probe name `{name}`")));
            }
            block = Block::Probe(ProbeDraft {
                probe: Probe {
                    name: name.to_string(),
                    line: line_no,
                    hint: String::new(),
                    workload: String::new(),
                    sizes: Vec::new(),
                    sizes_for: Vec::new(),
                    expect: "O(1)".to_string(),
                    what: "operations".to_string(),
                    subject: "input".to_string(),
                    max_exponent: Probe::DEFAULT_MAX_EXPONENT,
                    budget_ms: Probe::DEFAULT_BUDGET_MS,
                    digests: Vec::new(),
                },
                has_workload: false,
            });
            continue;
        }
        match &mut block {
            Block::None => {
                return Err(err(
                    "expected `case NAME` or `probe NAME` before this line".to_string()
                ))
            }
            Block::Case(case) => {
                if let Some(hint) = line.strip_prefix("hint:") {
                    append_hint(&mut case.hint, hint);
                } else {
                    let op = parse_op(line).map_err(err)?;
                    case.ops.push(Op {
                        line: line_no,
                        note: note.take(),
                        ..op
                    });
                }
            }
            Block::Probe(draft) => {
                let (key, value) = line.split_once(':').ok_or_else(|| {
                    err(format!(
                        "expected `key: value` in probe `{}`",
                        draft.probe.name
                    ))
                })?;
                set_probe_field(draft, key.trim(), value.trim()).map_err(err)?;
            }
        }
    }
    finish(&mut file, block)?;
    Ok(file)
}

fn header<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(keyword)?;
    if rest.contains("=>") {
        return None; // an operation that happens to be named like a keyword
    }
    rest.starts_with(char::is_whitespace).then_some(rest)
}

fn append_hint(hint: &mut String, more: &str) {
    if !hint.is_empty() {
        hint.push(' ');
    }
    hint.push_str(more.trim());
}

fn check_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid name `{name}`: use lowercase letters, digits and `_`"
        ))
    }
}

fn finish(file: &mut CaseFile, block: Block) -> Result<(), ParseError> {
    match block {
        Block::None => Ok(()),
        Block::Case(case) => {
            let at = |message: String| ParseError {
                line: case.line,
                message,
            };
            if case.ops.is_empty() {
                return Err(at(format!("case `{}` has no operations", case.name)));
            }
            if case.hint.is_empty() {
                return Err(at(format!(
                    "case `{}` has no `hint:` line (every case needs one)",
                    case.name
                )));
            }
            file.cases.push(case);
            Ok(())
        }
        Block::Probe(draft) => {
            let probe = draft.probe;
            let at = |message: String| ParseError {
                line: probe.line,
                message,
            };
            if !draft.has_workload {
                return Err(at(format!("probe `{}` has no `workload:`", probe.name)));
            }
            if probe.sizes.len() < 2 {
                return Err(at(format!(
                    "probe `{}` needs `sizes:` with at least two sizes",
                    probe.name
                )));
            }
            if probe.hint.is_empty() {
                return Err(at(format!("probe `{}` has no `hint:`", probe.name)));
            }
            file.probes.push(probe);
            Ok(())
        }
    }
}

fn set_probe_field(draft: &mut ProbeDraft, key: &str, value: &str) -> Result<(), String> {
    let probe = &mut draft.probe;
    match key {
        "hint" => append_hint(&mut probe.hint, value),
        "workload" => {
            check_name(value)?;
            probe.workload = value.to_string();
            draft.has_workload = true;
        }
        "sizes" => probe.sizes = parse_sizes(key, value)?,
        _ if key.starts_with("sizes.") => {
            let name = &key["sizes.".len()..];
            let lang = Language::from_name(name)
                .ok_or_else(|| format!("unknown language `{name}` in `{key}:`"))?;
            let sizes = parse_sizes(key, value)?;
            if sizes.len() < 2 {
                return Err(format!("`{key}:` needs at least two sizes"));
            }
            probe.sizes_for.push((lang, sizes));
        }
        "expect" => probe.expect = non_empty(key, value)?,
        "what" => probe.what = non_empty(key, value)?,
        "subject" => probe.subject = non_empty(key, value)?,
        "max_exponent" => {
            probe.max_exponent = value
                .parse::<f64>()
                .ok()
                .filter(|e| *e > 0.0 && *e < 4.0)
                .ok_or_else(|| {
                    format!("`max_exponent:` must be a number in (0, 4), got `{value}`")
                })?
        }
        "budget_ms" => {
            probe.budget_ms = value
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms > 0)
                .ok_or_else(|| format!("`budget_ms:` must be a positive integer, got `{value}`"))?
        }
        other => return Err(format!("unknown probe field `{other}`")),
    }
    Ok(())
}

fn parse_sizes(key: &str, value: &str) -> Result<Vec<u64>, String> {
    let sizes = value
        .split_whitespace()
        .map(|s| s.replace('_', "").parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| format!("`{key}:` must be whole numbers, got `{value}`"))?;
    if sizes.windows(2).any(|w| w[0] >= w[1]) || sizes.first() == Some(&0) {
        return Err(format!("`{key}:` must be positive and increasing"));
    }
    Ok(sizes)
}

fn non_empty(key: &str, value: &str) -> Result<String, String> {
    if value.is_empty() {
        Err(format!("`{key}:` needs a value"))
    } else {
        Ok(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn parses_cases_and_probes() {
        let text = "\
# comment
case basic example
  hint: first line
  hint: second line
  # a note on
  # the constructor
  new 2 => ok
  put 1 \"a b\" => ok
  get [1, 2 3] 1.5 -2 => [1, 2]

probe scaling
  hint: use a map
  workload: lru_mix
  sizes: 1_000 100000
  sizes.rust: 500 20000
  expect: O(1)
  max_exponent: 0.5
";
        let file = parse(text).unwrap();
        assert_eq!(file.cases.len(), 1);
        let case = &file.cases[0];
        assert!(case.example);
        assert!(case.applies_to(Language::Rust));
        assert_eq!(case.hint, "first line second line");
        assert_eq!(
            case.ops[0].note.as_deref(),
            Some("a note on the constructor")
        );
        assert_eq!(case.ops[1].note, None);
        assert_eq!(case.ops[1].args, vec![json!(1), json!("a b")]);
        assert_eq!(
            case.ops[2].args,
            vec![json!([1, 2, 3]), json!(1.5), json!(-2)]
        );
        assert_eq!(case.ops[2].expected, "[1, 2]");
        assert_eq!(case.ops[2].text, "get [1, 2 3] 1.5 -2");
        assert_eq!(case.ops[2].line, 9);
        let probe = &file.probes[0];
        assert_eq!(probe.sizes, vec![1000, 100000]);
        assert_eq!(probe.for_language(Language::Rust).sizes, vec![500, 20000]);
        assert_eq!(
            probe.for_language(Language::Python).sizes,
            vec![1000, 100000]
        );
        assert_eq!(probe.max_exponent, 0.5);
        assert_eq!(probe.budget_ms, Probe::DEFAULT_BUDGET_MS);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("new 2 => ok", 1, "expected `case NAME`"),
            ("case a\n hint: h\n new 2", 3, "missing `=> expected`"),
            ("case a\n hint: h\n new 2 =>", 3, "nothing after"),
            ("case a\n new 2 => ok", 1, "no `hint:`"),
            ("case a\n hint: h", 1, "no operations"),
            ("case a\n hint: h\n x => 1\ncase a", 4, "duplicate"),
            ("case Bad", 1, "invalid name"),
            ("case a nope", 1, "only `example`, `random`"),
            ("case a example rust cobol", 1, "language names"),
            ("case a\n hint: h\n put \"x => 1", 3, "unterminated string"),
            ("case a\n hint: h\n put [1,] => 1", 3, "expected a value"),
            ("case a\n hint: h\n put [1, => 1", 3, "unterminated list"),
            ("probe p\n workload: w\n hint: h", 1, "at least two sizes"),
            ("probe p\n sizes: 10 5", 2, "increasing"),
            ("probe p\n colour: red", 2, "unknown probe field"),
            ("probe p\n sizes.cobol: 1 2", 2, "unknown language"),
            ("case a\n hint: h\n 1 => 1", 3, "operation name expected"),
        ];
        let long = format!("case a\n hint: h\n get => {}", "x".repeat(5000));
        let err = parse(&long).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("is 5000 bytes: at most 4096"), "{err}");
        for (text, line, needle) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, line, "{text:?}: {err}");
            assert!(err.message.contains(needle), "{text:?}: {err}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn scalar() -> impl Strategy<Value = Value> {
            prop_oneof![
                any::<i64>().prop_map(Value::from),
                (-1e9f64..1e9).prop_map(
                    |f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                ),
                "[a-zA-Z_][a-zA-Z0-9_.:/-]{0,8}"
                    .prop_filter("keywords", |w| !matches!(
                        w.as_str(),
                        "null" | "true" | "false"
                    ))
                    .prop_map(Value::String),
                any::<String>().prop_map(Value::String),
                any::<bool>().prop_map(Value::Bool),
                Just(Value::Null),
            ]
        }

        fn arg() -> impl Strategy<Value = Value> {
            prop_oneof![
                3 => scalar(),
                1 => prop::collection::vec(scalar(), 0..4).prop_map(Value::Array),
            ]
        }

        /// Renders an argument in the case-file syntax.
        fn write(value: &Value) -> String {
            match value {
                Value::Array(items) => format!(
                    "[{}]",
                    items.iter().map(write).collect::<Vec<_>>().join(", ")
                ),
                // Strings that would read back as another literal are quoted.
                Value::String(s)
                    if !s.is_empty()
                        && crate::catalog::op_syntax::literal(s) == *value
                        && !s.contains(|c: char| c.is_whitespace() || "[],\"".contains(c))
                        && s != "=>" =>
                {
                    s.clone()
                }
                other => other.to_string(),
            }
        }

        proptest! {
            #[test]
            fn parsing_never_panics(text in "(case|probe|hint:|  |=>|\\[|\\]|\"|,|[a-z0-9 _:.-]|\n){0,200}") {
                let _ = parse(&text);
            }

            #[test]
            fn arbitrary_text_never_panics(text in any::<String>()) {
                let _ = parse(&text);
                let _ = parse_op(&text);
            }

            #[test]
            fn operations_round_trip(
                name in "[a-z_][a-z0-9_]{0,8}",
                args in prop::collection::vec(arg(), 0..5),
                expected in "[^\\s][^\\n\\r]{0,20}",
            ) {
                let expected = expected.trim().to_string();
                prop_assume!(!expected.is_empty());
                let line = format!("{name} {} => {expected}", args.iter().map(write).collect::<Vec<_>>().join(" "));
                let text = format!("case c\n  hint: h\n  {line}\n");
                let file = parse(&text).map_err(|e| TestCaseError::fail(format!("{line}: {e}")))?;
                let op = &file.cases[0].ops[0];
                prop_assert_eq!(&op.name, &name);
                prop_assert_eq!(&op.args, &args);
                prop_assert_eq!(&op.expected, &expected);
            }
        }
    }
}
