//! The source rewrite that puts a learner's concurrent Rust under kata's scheduler (pure).
//!
//! The learner writes ordinary `std::sync` / `std::thread` code. For a concurrency exercise
//! kata compiles a copy of the file in which every path root `std::` becomes `kst::` (and
//! `core::` becomes `kst ::`): the same length, so every diagnostic's line and column still
//! point at the learner's own text. The crate `kst` (exercises/_harness/rust/kst.rs) re-exports
//! std and shadows `sync`, `thread`, `time` and `hint` with controlled models. Strings,
//! character literals and comments are left alone, and so are paths where `std` is not the
//! root (`my::std::x`) or is part of a longer name (`mystd::`, `std_x::`).

/// The learner's source with `std::`/`core::` path roots pointing at `kst`.
pub fn rewrite(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
            }
            b'"' => i = string_end(bytes, i + 1),
            b'r' if is_raw_string_start(bytes, i) => i = raw_string_end(bytes, i),
            b'b' if bytes.get(i + 1) == Some(&b'"') && !ident_before(bytes, i) => {
                i = string_end(bytes, i + 2)
            }
            b'\'' => i = char_or_lifetime_end(bytes, i),
            _ if !ident_before(bytes, i) && !path_before(bytes, i) => {
                let replacement = if bytes[i..].starts_with(b"std::") {
                    Some(("std::", "kst::"))
                } else if bytes[i..].starts_with(b"core::") {
                    Some(("core::", "kst ::"))
                } else {
                    None
                };
                match replacement {
                    Some((from, to)) => {
                        out.push_str(&source[copied..i]);
                        out.push_str(to);
                        i += from.len();
                        copied = i;
                    }
                    None => i = next_token(bytes, i),
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&source[copied..]);
    out
}

/// Where the word at `i` ends, or `i + 1` for anything else (so a word is never entered in
/// the middle, where `std` could look like a root).
fn next_token(bytes: &[u8], i: usize) -> usize {
    if is_ident(bytes[i]) {
        let mut j = i;
        while j < bytes.len() && is_ident(bytes[j]) {
            j += 1;
        }
        j
    } else {
        i + 1
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn ident_before(bytes: &[u8], i: usize) -> bool {
    i > 0 && is_ident(bytes[i - 1])
}

/// `a::std::` (std not the root): `::` right before, itself after a name or `>`.
fn path_before(bytes: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && bytes[j - 1] == b' ' {
        j -= 1;
    }
    if j < 2 || &bytes[j - 2..j] != b"::" {
        return false;
    }
    let k = j - 2;
    k > 0 && (is_ident(bytes[k - 1]) || bytes[k - 1] == b'>')
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p + 1)
}

/// Block comments nest in Rust.
fn block_comment_end(bytes: &[u8], i: usize) -> usize {
    let mut depth = 0;
    let mut j = i;
    while j < bytes.len() {
        if bytes[j..].starts_with(b"/*") {
            depth += 1;
            j += 2;
        } else if bytes[j..].starts_with(b"*/") {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    bytes.len()
}

/// The end of a `"..."` string whose body starts at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    if ident_before(bytes, i) {
        return false;
    }
    let mut j = i + 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

/// `r"..."`, `r#"..."#` and so on (also after a `b`, which the byte-string arm skips).
fn raw_string_end(bytes: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut hashes = 0;
    while bytes.get(j) == Some(&b'#') {
        hashes += 1;
        j += 1;
    }
    j += 1; // the opening quote
    while j < bytes.len() {
        if bytes[j] == b'"'
            && bytes[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&b| b == b'#')
                .count()
                == hashes
        {
            return j + 1 + hashes;
        }
        j += 1;
    }
    bytes.len()
}

/// A character literal (`'a'`, `'\''`, `'\u{1F600}'`) or a lifetime (`'a`).
fn char_or_lifetime_end(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => bytes[i + 2..]
            .iter()
            .position(|&b| b == b'\'')
            .map_or(bytes.len(), |p| i + 2 + p + 1),
        Some(_) => {
            // 'x' is a char when a quote follows the one character; else a lifetime.
            let width = std::str::from_utf8(&bytes[i + 1..])
                .ok()
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            if bytes.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

/// `kst::` back to `std::` in what rustc says about the rewritten file (same length: the
/// carets stay under the right columns).
pub fn restore_in_diagnostics(text: &str) -> String {
    text.replace("kst::", "std::").replace("kst ::", "core::")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_roots_become_kst_at_the_same_length() {
        let source = "use std::{sync::{Arc, Mutex}, thread};\nuse ::std::time::Instant;\nfn f() { std::thread::sleep(d); let x: core::sync::atomic::AtomicBool; }\n";
        let rewritten = rewrite(source);
        assert_eq!(
            rewritten,
            "use kst::{sync::{Arc, Mutex}, thread};\nuse ::kst::time::Instant;\nfn f() { kst::thread::sleep(d); let x: kst ::sync::atomic::AtomicBool; }\n"
        );
        assert_eq!(rewritten.len(), source.len());
        assert_eq!(restore_in_diagnostics(&rewritten), source);
    }

    #[test]
    fn strings_comments_and_other_names_are_left_alone() {
        let source = r##"// std::sync in a comment
/* nested /* std::x */ std::y */
let s = "std::sync"; let r = r#"std::"#; let b = b"std::"; let c = '"';
let l: &'static str = mystd::x; let m = my::std::x; let n = std_x::y; let t = <T>::std::x;
"##;
        assert_eq!(rewrite(source), source);
    }

    #[test]
    fn code_after_a_char_or_lifetime_is_still_rewritten() {
        let source = "fn f<'a>(x: &'a str) -> char { let q = '\\''; std::mem::drop(x); 'x' }";
        assert_eq!(
            rewrite(source),
            "fn f<'a>(x: &'a str) -> char { let q = '\\''; kst::mem::drop(x); 'x' }"
        );
    }
}
