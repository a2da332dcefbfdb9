//! Visible examples as a `unittest` file (`python3 -m unittest`).

use super::{Expect, FullOp, Idiom};
use serde_json::Value;

pub struct Python;

impl Idiom for Python {
    fn literal(&self, value: &Value) -> String {
        match value {
            Value::Null => "None".to_string(),
            Value::Bool(true) => "True".to_string(),
            Value::Bool(false) => "False".to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => self.string(s),
            Value::Array(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|v| self.literal(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Object(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{}: {}", self.string(k), self.literal(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// JSON's string syntax is a valid Python string literal.
    fn string(&self, text: &str) -> String {
        serde_json::to_string(text).expect("a string serialises")
    }

    fn file(&self, slug: &str, header: &str, tests: &[(String, Vec<String>)]) -> String {
        let mut out = format!(
            "\"\"\"Visible examples for {slug}. Run with: python3 -m unittest\n\n\
             These are the example cases from README.md; `kata check` runs many more hidden ones.\n\
             \"\"\"\n\nimport unittest\n"
        );
        if !header.is_empty() {
            out.push('\n');
            out.push_str(header);
            out.push('\n');
        }
        out.push_str("\n\nclass Examples(unittest.TestCase):\n");
        for (i, (name, body)) in tests.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("    def test_{name}(self):\n"));
            for line in body {
                out.push_str(&format!("        {line}\n"));
            }
        }
        out.push_str("\n\nif __name__ == \"__main__\":\n    unittest.main()\n");
        out
    }

    fn exported(&self, name: &str, body: &[String]) -> String {
        let mut out = format!(
            "\n\nclass TestCase_{name}(unittest.TestCase):\n    \"\"\"Hidden case `{name}`, added by `kata case {name} --export`.\"\"\"\n\n    def test_{name}(self):\n"
        );
        for line in body {
            out.push_str(&format!("        {line}\n"));
        }
        out
    }

    fn op_lines(
        &self,
        code: &str,
        spec: &FullOp,
        expect: &Expect,
        note: Option<&str>,
    ) -> Vec<String> {
        let mut lines: Vec<String> = note.map(|n| format!("# {n}")).into_iter().collect();
        match expect {
            Expect::Nothing => lines.push(match &spec.bind {
                Some(name) => format!("{name} = {code}"),
                None => code.to_string(),
            }),
            Expect::Error(kind) => {
                lines.push(format!("with self.assertRaises({kind}):"));
                lines.push(format!("    {}", indent_rest(code)));
            }
            Expect::Panic => {
                lines.push("with self.assertRaises(Exception):".to_string());
                lines.push(format!("    {}", indent_rest(code)));
            }
            Expect::Absent => lines.push(format!("self.assertIsNone({code})")),
            Expect::Value(Value::Bool(true)) => lines.push(format!("self.assertTrue({code})")),
            Expect::Value(Value::Bool(false)) => lines.push(format!("self.assertFalse({code})")),
            Expect::Value(value) => lines.push(assert_equal(code, &self.literal(value))),
            Expect::Text(text) => lines.push(assert_equal(code, &self.string(text))),
            Expect::Code(value) => lines.push(assert_equal(code, value)),
        }
        lines
    }
}

/// The width a test line should keep to, and the indentation of a test's body.
const WIDTH: usize = 100;
const BODY_INDENT: usize = 8;

/// `self.assertEqual(code, expected)`, one argument a line when it would not fit on one.
fn assert_equal(code: &str, expected: &str) -> String {
    let line = format!("self.assertEqual({code}, {expected})");
    if !line.contains('\n') && BODY_INDENT + line.chars().count() <= WIDTH {
        return line;
    }
    format!(
        "self.assertEqual(\n    {},\n    {},\n)",
        indent_rest(code),
        indent_rest(expected)
    )
}

/// `text` with its lines after the first indented one more level (it goes inside a block).
fn indent_rest(text: &str) -> String {
    text.replace('\n', "\n    ")
}
