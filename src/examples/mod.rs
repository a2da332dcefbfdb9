//! The visible example tests of a workspace, generated at scaffold time from the `example`
//! cases of `cases.txt`, so an author writes each case once (pure).
//!
//! Each language's `exercises/<slug>/<lang>/examples.toml` says how an operation reads as code
//! in that language (documented for authors in `exercises/README.md`):
//!
//! ```toml
//! header = "from lru_cache import LRUCache"   # imports and helpers, before the tests
//! [ops]
//! new = { code = "LRUCache({0})", bind = "cache" }
//! get = "cache.get({0})"                        # {0}, {1}...: the arguments as literals
//! ```
//!
//! Every operation becomes one line of a test: a statement when its expected result is `ok`,
//! an assertion on the value otherwise, and an "it raises / panics" check for an error. (A
//! template may span lines; an equality assertion wider than 100 columns is written one
//! argument a line, as black and rustfmt would; Rust writes a string with quotes as a raw one.)
//!
//! Beyond `code` and `bind`, an operation may say:
//!
//! * `code = ["f({0}, {1})", "f({0})"]`: one template per way of writing an operation with
//!   optional trailing arguments; each is used when the operation has exactly the arguments it
//!   names (its highest `{N}` is the last one). A plain list works without a table too.
//! * `setup = "s = TaskScheduler()"`: lines written once in a test, before the first operation
//!   that has them (several operations may share a line), for an object the driver creates on
//!   first use or a fake the operations share.
//! * `none`, `wrap`, `text`: see [`FullOp`]; `results = { closed = "State::Closed" }`: expected
//!   results that read as code rather than as a literal (an enum in Rust).

mod python;
mod rust;

pub use rust::ASSERT_PANICS;

use crate::catalog::case::{Case, Op};
use crate::lang::Language;
use anyhow::{anyhow, bail, Result};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// `examples.toml`: how the operations of an exercise read as code in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Text before the tests: imports and helper functions the operations use.
    #[serde(default)]
    pub header: String,
    /// One entry per operation name used by an example case.
    pub ops: BTreeMap<String, OpSpec>,
}

/// How one operation reads as code.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OpSpec {
    /// Just the code.
    Code(Template),
    Full(FullOp),
}

/// The code of an operation: one template, or one per number of arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Template {
    One(String),
    /// For an operation with optional trailing arguments: each template is used when the
    /// operation has exactly the arguments it names (`["f({0}, {1})", "f({0}, 1)"]`).
    Several(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullOp {
    /// The expression (or statement, for an operation whose result is `ok`), with `{0}`,
    /// `{1}`... standing for the arguments as literals of the language (see [`Template`]).
    pub code: Template,
    /// When the result is `ok`, the code's value is bound to this name (`cache`; in Rust
    /// `mut cache` for a mutable binding).
    #[serde(default)]
    pub bind: Option<String>,
    /// The expected result that means "nothing" in this language's API (Rust: `None`), e.g.
    /// `-1` for a cache miss or `error KeyError` for an unknown code.
    #[serde(default)]
    pub none: Option<String>,
    /// Rust: what a present value is wrapped in (`Some` or `Ok`).
    #[serde(default)]
    pub wrap: Option<String>,
    /// The code returns the result line itself as text: the expected line is compared as a
    /// string, never read as a value.
    #[serde(default)]
    pub text: bool,
    /// Lines written once in a test, before the first operation that has them: what the code
    /// uses that no operation of the case makes (`s = TaskScheduler()` for a scheduler the
    /// driver creates on first use, `clock = FakeClock()` for a fake the operations share).
    #[serde(default)]
    pub setup: Option<String>,
    /// Expected results that read as code in this language rather than as a literal, keyed by
    /// the expected line or the text of a JSON string: `{ closed = "State::Closed" }` (Rust, for
    /// an enum); the code is wrapped like any value.
    #[serde(default)]
    pub results: BTreeMap<String, String>,
}

impl OpSpec {
    fn full(&self) -> FullOp {
        match self {
            OpSpec::Code(code) => FullOp {
                code: code.clone(),
                bind: None,
                none: None,
                wrap: None,
                text: false,
                setup: None,
                results: BTreeMap::new(),
            },
            OpSpec::Full(full) => full.clone(),
        }
    }
}

/// What an operation's expected result asks the test to check.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// `ok`: just run it.
    Nothing,
    /// An exception of this kind (Python) / a panic or an `Err` (Rust).
    Error(String),
    Panic,
    /// The API's "nothing" (`None`).
    Absent,
    /// A value, from the expected line read as JSON.
    Value(Value),
    /// The expected line as text.
    Text(String),
    /// A value written as this code (from `results`).
    Code(String),
}

fn expectation(op: &Op, spec: &FullOp) -> Expect {
    let expected = op.expected.trim();
    if expected == "ok" {
        return Expect::Nothing;
    }
    if spec.none.as_deref() == Some(expected) {
        return Expect::Absent;
    }
    let text_of_string = match serde_json::from_str::<Value>(expected) {
        Ok(Value::String(text)) => Some(text),
        _ => None,
    };
    let code = spec.results.get(expected).or_else(|| {
        text_of_string
            .as_ref()
            .and_then(|text| spec.results.get(text))
    });
    if let Some(code) = code {
        return Expect::Code(code.clone());
    }
    if expected == "panic" {
        return Expect::Panic;
    }
    if let Some(kind) = expected.strip_prefix("error ") {
        let kind = kind.split(':').next().unwrap_or(kind).trim();
        return Expect::Error(kind.to_string());
    }
    if spec.text {
        return Expect::Text(expected.to_string());
    }
    match serde_json::from_str::<Value>(expected) {
        Ok(Value::Null) => Expect::Absent,
        Ok(value) => Expect::Value(value),
        Err(_) => Expect::Text(expected.to_string()),
    }
}

/// A language's way of writing literals and test lines.
trait Idiom {
    fn literal(&self, value: &Value) -> String;
    fn string(&self, text: &str) -> String;
    /// The test file: `tests` holds (name, body lines).
    fn file(&self, slug: &str, header: &str, tests: &[(String, Vec<String>)]) -> String;
    /// One test on its own, to append to a learner's test file.
    fn exported(&self, name: &str, body: &[String]) -> String;
    /// The lines of one operation.
    fn op_lines(
        &self,
        code: &str,
        spec: &FullOp,
        expect: &Expect,
        note: Option<&str>,
    ) -> Vec<String>;
}

/// The visible examples file of `cases` (only their `example` ones) in `lang`.
pub fn render(slug: &str, lang: Language, spec_text: &str, cases: &[&Case]) -> Result<String> {
    let spec: Spec =
        toml::from_str(spec_text).map_err(|e| anyhow!("examples.toml: {}", e.message()))?;
    let idiom: &dyn Idiom = match lang {
        Language::Python => &python::Python,
        Language::Rust => &rust::Rust,
    };
    let mut tests = Vec::new();
    for case in cases.iter().filter(|c| c.example) {
        tests.push((case.name.clone(), test_body(&spec, idiom, case)?));
    }
    if tests.is_empty() {
        bail!("no case is marked `example`");
    }
    Ok(idiom.file(slug, spec.header.trim_end(), &tests))
}

/// One case as a test to add to the learner's visible tests (`kata case NAME --export`).
pub fn render_export(lang: Language, spec_text: &str, case: &Case) -> Result<Export> {
    let spec: Spec =
        toml::from_str(spec_text).map_err(|e| anyhow!("examples.toml: {}", e.message()))?;
    let idiom: &dyn Idiom = match lang {
        Language::Python => &python::Python,
        Language::Rust => &rust::Rust,
    };
    // Scenario operations (threads explored under kata's scheduler, say) exist only in the
    // hidden driver: a plain test could not reproduce what they check.
    if let Some(op) = case.ops.iter().find(|op| !spec.ops.contains_key(&op.name)) {
        bail!(
            "case `{}` uses `{}`, which only kata's driver runs (a scenario explored under kata's scheduler): a plain test cannot reproduce it; `kata check --case {}` runs it alone, in full, with the schedule that fails",
            case.name,
            op.name,
            case.name
        );
    }
    let body = test_body(&spec, idiom, case)?;
    Ok(Export {
        needs_assert_panics: body.iter().any(|l| l.starts_with("assert_panics(")),
        test: idiom.exported(&case.name, &body),
    })
}

/// A test exported into the learner's file.
pub struct Export {
    pub test: String,
    /// Rust: the test calls the `assert_panics` helper of the generated file.
    pub needs_assert_panics: bool,
}

/// The lines of one test: each operation of `case` as code.
fn test_body(spec: &Spec, idiom: &dyn Idiom, case: &Case) -> Result<Vec<String>> {
    let mut body = Vec::new();
    let mut set_up = HashSet::new();
    for op in &case.ops {
        let op_spec = spec
            .ops
            .get(&op.name)
            .ok_or_else(|| {
                anyhow!(
                    "examples.toml has no entry for operation `{}` (used by case `{}`)",
                    op.name,
                    case.name
                )
            })?
            .full();
        let code = code_for(&op_spec.code, &op.args, idiom)
            .map_err(|e| anyhow!("operation `{}` of case `{}`: {e}", op.text, case.name))?;
        for line in op_spec.setup.iter().flat_map(|s| s.lines()) {
            let line = line.trim_end();
            if !line.trim().is_empty() && set_up.insert(line.to_string()) {
                body.push(line.to_string());
            }
        }
        let expect = expectation(op, &op_spec);
        // A line may hold several (a template written over several lines, a wrapped
        // assertion): the file indents each.
        let lines = idiom.op_lines(&code, &op_spec, &expect, op.note.as_deref());
        body.extend(lines.iter().flat_map(|l| l.split('\n')).map(str::to_string));
    }
    Ok(body)
}

/// The code of an operation with `args`: its template (from a list, the one that names
/// exactly those arguments) with the arguments filled in.
fn code_for(template: &Template, args: &[Value], idiom: &dyn Idiom) -> Result<String> {
    let templates = match template {
        Template::One(one) => return fill(one, args, idiom),
        Template::Several(several) => several,
    };
    for template in templates {
        if arity(template)? == args.len() {
            return fill(template, args, idiom);
        }
    }
    bail!(
        "none of the templates {templates:?} names exactly {} argument{} (its highest {{N}} \
         must be the last argument)",
        args.len(),
        if args.len() == 1 { "" } else { "s" }
    )
}

/// A piece of a code template.
enum Piece<'a> {
    Text(&'a str),
    Arg(usize),
}

/// `template` split at its `{N}` placeholders (`{{` and `}}` are braces).
fn pieces(template: &str) -> Result<Vec<Piece<'_>>> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        pieces.push(Piece::Text(&rest[..at]));
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            pieces.push(Piece::Text(&tail[..1]));
            rest = &tail[2..];
            continue;
        }
        let end = tail
            .find('}')
            .filter(|_| tail.starts_with('{'))
            .ok_or_else(|| {
                anyhow!("unbalanced brace in `{template}` (write `{{{{` for a brace)")
            })?;
        let index: usize = tail[1..end].parse().map_err(|_| {
            anyhow!(
                "`{}` in `{template}` is not an argument number",
                &tail[..=end]
            )
        })?;
        pieces.push(Piece::Arg(index));
        rest = &tail[end + 1..];
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

/// How many arguments `template` names: its highest `{N}` plus one.
fn arity(template: &str) -> Result<usize> {
    Ok(pieces(template)?
        .iter()
        .filter_map(|piece| match piece {
            Piece::Arg(index) => Some(index + 1),
            Piece::Text(_) => None,
        })
        .max()
        .unwrap_or(0))
}

/// `template` with `{N}` replaced by argument N as a literal (`{{` and `}}` are braces).
fn fill(template: &str, args: &[Value], idiom: &dyn Idiom) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    for piece in pieces(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Arg(index) => {
                let arg = args.get(index).ok_or_else(|| {
                    anyhow!(
                        "`{template}` uses argument {index}, but it has {}",
                        args.len()
                    )
                })?;
                out.push_str(&idiom.literal(arg));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::case_parser::parse;

    const CASES: &str = "\
case basics example
  hint: h
  new 2 => ok
  # key 1 is now the most recently used
  get 1 => -1
  put 1 \"a\" => ok
  len => 1
  new 0 => error ValueError
case hidden
  hint: h
  get 9 => 9
";

    #[test]
    fn python_examples_read_like_unittest() {
        let file = parse(CASES).unwrap();
        let cases: Vec<&Case> = file.cases.iter().collect();
        let spec = "header = \"from box import Box\"\n[ops]\nnew = { code = \"Box({0})\", bind = \"b\" }\nget = \"b.get({0})\"\nput = \"b.put({0}, {1})\"\nlen = \"len(b)\"\n";
        let text = render("box", Language::Python, spec, &cases).unwrap();
        assert!(text.contains("from box import Box\n"), "{text}");
        assert!(text.contains("    def test_basics(self):\n        b = Box(2)\n        # key 1 is now the most recently used\n        self.assertEqual(b.get(1), -1)\n        b.put(1, \"a\")\n        self.assertEqual(len(b), 1)\n        with self.assertRaises(ValueError):\n            Box(0)\n"), "{text}");
        assert!(!text.contains("b.get(9)"), "{text}");
    }

    #[test]
    fn rust_examples_read_like_integration_tests() {
        let file = parse(CASES.replace("error ValueError", "panic").as_str()).unwrap();
        let cases: Vec<&Case> = file.cases.iter().collect();
        let spec = "header = \"use boxes::Box;\"\n[ops]\nnew = { code = \"Box::new({0})\", bind = \"mut b\" }\nget = { code = \"b.get({0})\", none = \"-1\", wrap = \"Some\" }\nput = \"b.put({0}, {1})\"\nlen = \"b.len()\"\n";
        let text = render("box", Language::Rust, spec, &cases).unwrap();
        assert!(text.contains("#[test]\nfn test_basics() {\n    let mut b = Box::new(2);\n    // key 1 is now the most recently used\n    assert_eq!(b.get(1), None);\n    b.put(1, \"a\");\n    assert_eq!(b.len(), 1);\n    assert_panics(|| {\n        Box::new(0);\n    });\n}\n"), "{text}");
        assert!(text.contains("fn assert_panics"), "{text}");
    }

    #[test]
    fn optional_arguments_setup_and_results() {
        let cases = "\
case shared example
  hint: h
  add a => ok
  add b 2 => ok
  # c runs first
  run => [\"c\", \"b\"]
  state => \"half-open\"
  report => {\"a\": 1}
";
        let file = parse(cases).unwrap();
        let cases: Vec<&Case> = file.cases.iter().collect();
        let spec = r#"
[ops]
add = { code = ["s.add({0}, {1}).unwrap()", "s.add({0}, 0).unwrap()"], setup = "let mut s = S::new();" }
run = { code = "s.run(&mut script.execute())", setup = "let mut s = S::new();\nlet mut script = Script::default();" }
state = { code = "s.state()", results = { half-open = "State::HalfOpen" } }
report = { code = "report(&s)", text = true }
"#;
        let text = render("box", Language::Rust, spec, &cases).unwrap();
        assert!(text.contains("fn test_shared() {\n    let mut s = S::new();\n    s.add(\"a\", 0).unwrap();\n    s.add(\"b\", 2).unwrap();\n    let mut script = Script::default();\n    // c runs first\n    assert_eq!(s.run(&mut script.execute()), [\"c\", \"b\"]);\n    assert_eq!(s.state(), State::HalfOpen);\n    assert_eq!(report(&s), r#\"{\"a\": 1}\"#);\n}\n"), "{text}");

        let python = "[ops]\nadd = [\"s.add({0}, {1})\", \"s.add({0})\"]\nrun = \"s.run()\"\nstate = \"s.state\"\nreport = \"report(s)\"\n";
        let text = render("box", Language::Python, python, &cases).unwrap();
        assert!(
            text.contains("        s.add(\"a\")\n        s.add(\"b\", 2)\n"),
            "{text}"
        );
        assert!(
            text.contains("self.assertEqual(s.state, \"half-open\")"),
            "{text}"
        );
        assert!(
            text.contains("self.assertEqual(report(s), {\"a\": 1})"),
            "{text}"
        );

        let err = render(
            "box",
            Language::Python,
            &python.replace("\"s.add({0})\"", "\"s.add()\""),
            &cases,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("names exactly 1 argument "),
            "{err}"
        );
    }

    #[test]
    fn long_assertions_wrap_and_templates_may_span_lines() {
        let cases = "\
case long example
  hint: h
  new 3 true => ok
  call [\"ConnectionError\", \"ConnectionError\", \"ok:42\"] => returned 42 after 3 calls; sleeps [1.0, 2.0]
";
        let file = parse(cases).unwrap();
        let cases: Vec<&Case> = file.cases.iter().collect();
        let spec = "[ops]\nnew = { code = \"\"\"\nPolicy {{\n    max: {0},\n    jitter: {1},\n}}\"\"\", bind = \"policy\" }\ncall = { code = \"call_with_retry(&policy, &{0})\", text = true }\n";
        let text = render("box", Language::Rust, spec, &cases).unwrap();
        assert!(text.contains("    let policy = Policy {\n        max: 3,\n        jitter: true,\n    };\n    assert_eq!(\n        call_with_retry(&policy, &[\"ConnectionError\", \"ConnectionError\", \"ok:42\"]),\n        \"returned 42 after 3 calls; sleeps [1.0, 2.0]\"\n    );\n"), "{text}");

        let spec = "[ops]\nnew = { code = \"dict(\\n    max={0}, jitter={1}\\n)\", bind = \"settings\" }\ncall = { code = \"call_with_retry(settings, {0})\", text = true }\n";
        let text = render("box", Language::Python, spec, &cases).unwrap();
        assert!(text.contains("        settings = dict(\n            max=3, jitter=True\n        )\n        self.assertEqual(\n            call_with_retry(settings, [\"ConnectionError\", \"ConnectionError\", \"ok:42\"]),\n            \"returned 42 after 3 calls; sleeps [1.0, 2.0]\",\n        )\n"), "{text}");
    }

    #[test]
    fn a_missing_operation_or_argument_is_named() {
        let file = parse(CASES).unwrap();
        let cases: Vec<&Case> = file.cases.iter().collect();
        let err = render(
            "box",
            Language::Python,
            "[ops]\nnew = \"Box({0})\"\n",
            &cases,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("no entry for operation `get`"),
            "{err}"
        );
        let err = render(
            "box",
            Language::Python,
            "[ops]\nnew = \"Box({1})\"\n",
            &cases,
        )
        .unwrap_err();
        assert!(err.to_string().contains("uses argument 1"), "{err}");
    }
}
