//! Refuses the Rust that reads files while it compiles (pure). `rustc` builds the learner's
//! file outside the sandbox (it needs the toolchain and the linker), so `include_bytes!`,
//! `include_str!`, `include!`, `asm!`'s `.incbin` and an out-of-line `mod x;` (which a
//! `#[path]` can point anywhere) could embed any readable file, kata's binary and the hidden
//! cases in it included. A solution is one self-contained file and needs none of them.
//!
//! The check works on words, not on macro calls: a macro can only rearrange the tokens
//! written in the file, so refusing the words themselves (`include_bytes`, also as
//! `r#include_bytes` or a `use ... as` alias's source) closes every indirection. `mod` must
//! be followed by a name and `{`: any other use could become `#[path = ...] mod x;` through a
//! macro.

use super::rust_lexer::{is_ident, next_token, skip_non_code};

/// Words that read a file at compile time (or assemble one in, `.incbin`).
const FILE_READERS: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "asm",
    "global_asm",
    "naked_asm",
];

/// A refused construct: where it is (1-based line and column, in bytes) and what it is.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub what: String,
}

impl Refusal {
    /// As rustc would print it, pointing at `file` (the path the learner sees).
    pub fn render(&self, file: &str) -> String {
        format!(
            "error: {} reads a file while your solution compiles, outside kata's sandbox: a solution is one self-contained file, so kata refuses it\n --> {file}:{}:{}\n",
            self.what, self.line, self.column
        )
    }
}

/// The first construct of `source` that could read a file at compile time, if any.
pub fn refused(source: &str) -> Option<Refusal> {
    let words = code_words(source.as_bytes());
    for (n, &(at, word)) in words.iter().enumerate() {
        let word = std::str::from_utf8(word).unwrap_or("");
        let what = if FILE_READERS.contains(&word) {
            Some(format!("`{word}!`"))
        } else if word == "mod" && !raw(source.as_bytes(), at) && !inline_module(&words, n) {
            Some("a `mod` declared without its body (`mod name;`)".to_string())
        } else {
            None
        };
        if let Some(what) = what {
            let before = &source[..at];
            let line = before.matches('\n').count() + 1;
            let column = at - before.rfind('\n').map_or(0, |p| p + 1) + 1;
            return Some(Refusal { line, column, what });
        }
    }
    None
}

/// `r#mod`: a raw identifier, not the keyword.
fn raw(bytes: &[u8], at: usize) -> bool {
    at >= 2 && &bytes[at - 2..at] == b"r#"
}

/// `mod name {`: the words after `mod` at `n` are a name and an opening brace.
fn inline_module(words: &[(usize, &[u8])], n: usize) -> bool {
    let name = words.get(n + 1).is_some_and(|(_, w)| is_ident(w[0]));
    let brace = words.get(n + 2).is_some_and(|(_, w)| *w == b"{");
    name && brace
}

/// The code of `bytes` as words and single punctuation characters with their offsets;
/// comments, strings and character literals left out.
fn code_words(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = match skip_non_code(bytes, i) {
            Some(end) => end,
            None if is_ident(b) => {
                let end = next_token(bytes, i);
                words.push((i, &bytes[i..end]));
                end
            }
            None if b.is_ascii_whitespace() => i + 1,
            None => {
                words.push((i, &bytes[i..i + 1]));
                i + 1
            }
        };
        i = next.max(i + 1);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(source: &str) -> Option<String> {
        refused(source).map(|r| format!("{}:{} {}", r.line, r.column, r.what))
    }

    #[test]
    fn file_reading_macros_are_refused_however_they_are_reached() {
        let direct = "fn f() -> usize {\n    include_bytes!(\"/usr/bin/kata\").len()\n}\n";
        assert_eq!(what(direct).unwrap(), "2:5 `include_bytes!`");
        assert!(what("const S: &str = std::include_str!(\"x\");").is_some());
        assert!(what("const S: &str = r#include_str!(\"x\");").is_some());
        assert!(what("use core::include_bytes as ib;").is_some());
        // through a macro of the learner's: the word is still in the file
        let indirect = "macro_rules! m { ($i:ident) => { $i!(\"/x\") } }\nconst B: &[u8] = m!(include_bytes);\n";
        assert_eq!(what(indirect).unwrap(), "2:21 `include_bytes!`");
        assert!(what("core::arch::global_asm!(\".incbin \\\"/x\\\"\");").is_some());
        assert!(what("include!(\"/etc/passwd\");").is_some());
    }

    #[test]
    fn out_of_line_modules_are_refused_inline_ones_kept() {
        assert_eq!(
            what("#[path = \"/x\"] mod x;").unwrap(),
            "1:16 a `mod` declared without its body (`mod name;`)"
        );
        assert!(what("macro_rules! m { ($($t:tt)*) => { $($t)*; } }\nm!(mod x);").is_some());
        assert_eq!(what("mod tests {\n    use super::*;\n}\n"), None);
        assert_eq!(what("pub(crate) mod inner { pub fn f() {} }"), None);
        assert_eq!(what("let r#mod = 1;"), None);
    }

    #[test]
    fn words_in_strings_comments_and_longer_names_are_fine() {
        let source = r##"// include_bytes!("x") in a comment
/* mod x; /* include!() */ */
let s = "include_str!(\"x\") mod y;"; let r = r#"asm!()"#; let b = b"include";
let c = '"'; let included = 1; let my_include_bytes = 2; let modulus = 3;
fn model(x: &'static str) {}
"##;
        assert_eq!(what(source), None);
    }

    #[test]
    fn the_report_reads_like_a_compiler_error() {
        let refusal = refused("\n  include_str!(\"x\")").unwrap();
        assert_eq!(
            refusal.render("src/lib.rs"),
            "error: `include_str!` reads a file while your solution compiles, outside kata's sandbox: a solution is one self-contained file, so kata refuses it\n --> src/lib.rs:2:3\n"
        );
    }
}
