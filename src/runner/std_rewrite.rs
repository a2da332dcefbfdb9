//! The source rewrite that puts a learner's concurrent Rust under kata's scheduler (pure).
//!
//! The learner writes ordinary `std::sync` / `std::thread` code. For a concurrency exercise
//! kata compiles a copy of the file in which every path root `std::` becomes `kst::` (and
//! `core::` becomes `kst ::`): the same length, so every diagnostic's line and column still
//! point at the learner's own text. The crate `kst` (exercises/_harness/rust/kst.rs) re-exports
//! std and shadows `sync`, `thread`, `time` and `hint` with controlled models. Strings,
//! character literals and comments are left alone, and so are paths where `std` is not the
//! root (`my::std::x`) or is part of a longer name (`mystd::`, `std_x::`).

use super::rust_lexer::{ident_before, is_ident, next_token, skip_non_code};

/// The learner's source with `std::`/`core::` path roots pointing at `kst`.
pub fn rewrite(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if let Some(end) = skip_non_code(bytes, i) {
            i = end;
            continue;
        }
        if ident_before(bytes, i) || path_before(bytes, i) {
            i += 1;
            continue;
        }
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
    out.push_str(&source[copied..]);
    out
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
