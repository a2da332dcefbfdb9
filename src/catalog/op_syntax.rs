//! The syntax of one operation line, `name arg... => expected`: a small lexer for its
//! JSON-like literals (integers, floats, `"strings"`, `[lists]`, `null`, `true`, `false`) and
//! bare words, which are strings.

use super::case::{Op, MAX_RESULT_BYTES};
use serde_json::Value;

/// Parses `name arg... => expected` (without line information).
pub fn parse_op(line: &str) -> Result<Op, String> {
    let mut lexer = Lexer { src: line, pos: 0 };
    lexer.skip_space();
    let name = match lexer.value()? {
        Some(Value::String(name)) if is_op_name(&name) => name,
        Some(other) => return Err(format!("operation name expected, found `{other}`")),
        None => return Err("an operation needs a name before `=>`".to_string()),
    };
    let mut args = Vec::new();
    loop {
        lexer.skip_space();
        if lexer.at_arrow() {
            break;
        }
        match lexer.value()? {
            Some(value) => args.push(value),
            None => return Err("missing `=> expected` after the operation".to_string()),
        }
    }
    let text = line[..lexer.pos].trim().to_string();
    let expected = line[lexer.pos + 2..].trim();
    if expected.is_empty() {
        return Err(format!("operation `{text}` has nothing after `=>`"));
    }
    let max = MAX_RESULT_BYTES;
    if expected.len() > max {
        // Results are cut at this length, so a longer expected line could never match.
        return Err(format!(
            "the expected result of `{text}` is {} bytes: at most {max}",
            expected.len()
        ));
    }
    Ok(Op {
        line: 0,
        text,
        name,
        args,
        expected: expected.to_string(),
        note: None,
    })
}

fn is_op_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn at_arrow(&self) -> bool {
        let rest = self.rest();
        rest.starts_with("=>") && rest[2..].chars().next().is_none_or(char::is_whitespace)
    }

    /// The next literal, or `None` at the end of the line.
    fn value(&mut self) -> Result<Option<Value>, String> {
        let Some(first) = self.rest().chars().next() else {
            return Ok(None);
        };
        match first {
            '"' => self.string().map(Some),
            '[' => self.list().map(Some),
            ']' | ',' => Err(format!("unexpected `{first}`")),
            _ => Ok(Some(self.word())),
        }
    }

    fn string(&mut self) -> Result<Value, String> {
        let rest = self.rest();
        let mut escaped = false;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    let literal = &rest[..=i];
                    let value: String = serde_json::from_str(literal)
                        .map_err(|e| format!("bad string {literal}: {e}"))?;
                    self.pos += i + 1;
                    return Ok(Value::String(value));
                }
                _ => escaped = false,
            }
        }
        Err("unterminated string".to_string())
    }

    fn list(&mut self) -> Result<Value, String> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.rest().chars().next() {
                None => return Err("unterminated list: missing `]`".to_string()),
                Some(']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(',') if !items.is_empty() => {
                    self.pos += 1;
                    self.skip_space();
                    if self.rest().starts_with([']', ',']) || self.rest().is_empty() {
                        return Err("expected a value after `,`".to_string());
                    }
                }
                Some(_) => {}
            }
            self.skip_space();
            if self.rest().starts_with(']') {
                continue;
            }
            match self.value()? {
                Some(value) => items.push(value),
                None => return Err("unterminated list: missing `]`".to_string()),
            }
        }
    }

    fn word(&mut self) -> Value {
        let rest = self.rest();
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ',' | '"'))
            .unwrap_or(rest.len());
        let value = literal(&rest[..end]);
        self.pos += end;
        value
    }
}

pub(super) fn literal(word: &str) -> Value {
    match word {
        "null" => return Value::Null,
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    let digits = word.strip_prefix('-').unwrap_or(word);
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        // Whole numbers must read back exactly: leading zeros (`007`, a code) and values
        // outside i64 stay strings rather than becoming another number or a rounded float.
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            let leading_zero = digits.len() > 1 && digits.starts_with('0');
            return match word.parse::<i64>() {
                Ok(int) if !leading_zero => Value::from(int),
                _ => Value::String(word.to_string()),
            };
        }
        if let Some(number) = word
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Value::Number(number);
        }
    }
    Value::String(word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bare_words_and_keywords() {
        let op = parse_op("allow alice null true 1e3 x1 -y => false").unwrap();
        assert_eq!(
            op.args,
            vec![
                json!("alice"),
                Value::Null,
                json!(true),
                json!(1000.0),
                json!("x1"),
                json!("-y")
            ]
        );
        assert_eq!(op.expected, "false");
    }

    #[test]
    fn whole_numbers_are_exact_or_strings() {
        let op = parse_op("encode 007 18446744073709551615 -9223372036854775808 0 => x").unwrap();
        assert_eq!(
            op.args,
            vec![
                json!("007"),
                json!("18446744073709551615"),
                json!(i64::MIN),
                json!(0)
            ]
        );
    }

    #[test]
    fn arrow_inside_a_string_is_an_argument() {
        let op = parse_op("shorten \"a => b\" => \"1\"").unwrap();
        assert_eq!(op.args, vec![json!("a => b")]);
        assert_eq!(op.expected, "\"1\"");
    }
}
