//! Visible examples as a Rust integration test (`cargo test`).

use super::{Expect, FullOp, Idiom};
use serde_json::Value;

pub struct Rust;

/// Added to the file when a test expects a panic.
pub const ASSERT_PANICS: &str = "\
/// Runs `f` and checks that it panics.
fn assert_panics(f: impl FnOnce()) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    assert!(result.is_err(), \"expected a panic\");
}
";

impl Idiom for Rust {
    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Null => "None".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
                Some(f) => format!("{f:?}"),
                None => n.to_string(),
            },
            Value::String(s) => self.string(s),
            Value::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|v| self.literal(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Object(_) => self.string(&value.to_string()),
        }
    }

    /// A raw string (`r#"{"a": 1}"#`) when the text has quotes or backslashes to escape and
    /// nothing a raw string cannot hold; otherwise an escaped one.
    fn string(&self, text: &str) -> String {
        if text.contains(['"', '\\']) && !text.chars().any(char::is_control) {
            let mut hashes = String::new();
            while text.contains(&format!("\"{hashes}")) {
                hashes.push('#');
            }
            return format!("r{hashes}\"{text}\"{hashes}");
        }
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    fn file(&self, slug: &str, header: &str, tests: &[(String, Vec<String>)]) -> String {
        let mut out = format!(
            "//! Visible examples for {slug}. Run with: cargo test\n//!\n\
             //! These are the example cases from README.md; `kata check` runs many more hidden ones.\n"
        );
        if !header.is_empty() {
            out.push('\n');
            out.push_str(header);
            out.push('\n');
        }
        let mut panics = false;
        for (name, body) in tests {
            out.push_str(&format!("\n#[test]\nfn test_{name}() {{\n"));
            for line in body {
                panics |= line.starts_with("assert_panics(");
                out.push_str(&format!("    {line}\n"));
            }
            out.push_str("}\n");
        }
        if panics {
            out.push('\n');
            out.push_str(ASSERT_PANICS);
        }
        out
    }

    fn exported(&self, name: &str, body: &[String]) -> String {
        let mut out = format!(
            "\n/// Hidden case `{name}`, added by `kata case {name} --export`.\n#[test]\nfn test_{name}() {{\n"
        );
        for line in body {
            out.push_str(&format!("    {line}\n"));
        }
        out.push_str("}\n");
        out
    }

    fn op_lines(
        &self,
        code: &str,
        spec: &FullOp,
        expect: &Expect,
        note: Option<&str>,
    ) -> Vec<String> {
        let mut lines: Vec<String> = note.map(|n| format!("// {n}")).into_iter().collect();
        let wrapped = |value: String| match &spec.wrap {
            Some(wrap) => format!("{wrap}({value})"),
            None => value,
        };
        match expect {
            Expect::Nothing => lines.push(match &spec.bind {
                Some(name) => format!("let {name} = {code};"),
                None => format!("{code};"),
            }),
            Expect::Panic => {
                lines.push("assert_panics(|| {".to_string());
                lines.push(format!("    {};", indent_rest(code)));
                lines.push("});".to_string());
            }
            Expect::Error(_) => lines.push(format!("assert!({code}.is_err());")),
            Expect::Absent => lines.push(assert_eq(code, "None")),
            Expect::Value(Value::Bool(b)) if spec.wrap.is_none() => lines.push(if *b {
                format!("assert!({code});")
            } else {
                format!("assert!(!{code});")
            }),
            Expect::Value(value) => lines.push(assert_eq(code, &wrapped(self.literal(value)))),
            Expect::Text(text) => lines.push(assert_eq(code, &wrapped(self.string(text)))),
            Expect::Code(value) => lines.push(assert_eq(code, &wrapped(value.clone()))),
        }
        lines
    }
}

/// The width a test line should keep to (rustfmt's), and the indentation of a test's body.
const WIDTH: usize = 100;
const BODY_INDENT: usize = 4;

/// `assert_eq!(code, expected);`, one argument a line (as rustfmt writes it) when it would not
/// fit on one.
fn assert_eq(code: &str, expected: &str) -> String {
    let line = format!("assert_eq!({code}, {expected});");
    if !line.contains('\n') && BODY_INDENT + line.chars().count() <= WIDTH {
        return line;
    }
    format!(
        "assert_eq!(\n    {},\n    {}\n);",
        indent_rest(code),
        indent_rest(expected)
    )
}

/// `text` with its lines after the first indented one more level (it goes inside a block).
fn indent_rest(text: &str) -> String {
    text.replace('\n', "\n    ")
}
