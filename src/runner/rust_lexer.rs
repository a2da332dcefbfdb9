//! The little of Rust's lexical grammar kata's source checks need (pure): where a comment,
//! a string, a character literal or a word ends, so that code is never confused with text.

/// Where the comment, string, character literal or lifetime starting at `i` ends; `None`
/// when code starts there.
pub(super) fn skip_non_code(bytes: &[u8], i: usize) -> Option<usize> {
    let next = bytes.get(i + 1).copied();
    Some(match bytes[i] {
        b'/' if next == Some(b'/') => line_end(bytes, i),
        b'/' if next == Some(b'*') => block_comment_end(bytes, i),
        b'"' => string_end(bytes, i + 1),
        b'r' if is_raw_string_start(bytes, i) => raw_string_end(bytes, i),
        b'b' if next == Some(b'"') && !ident_before(bytes, i) => string_end(bytes, i + 2),
        b'b' if next == Some(b'r')
            && !ident_before(bytes, i)
            && raw_quote_follows(bytes, i + 1) =>
        {
            raw_string_end(bytes, i + 1)
        }
        b'\'' => char_or_lifetime_end(bytes, i),
        _ => return None,
    })
}

/// Where the word at `i` ends, or `i + 1` for anything else (so a word is never entered in
/// the middle, where `std` could look like a root).
pub(super) fn next_token(bytes: &[u8], i: usize) -> usize {
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

pub(super) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

pub(super) fn ident_before(bytes: &[u8], i: usize) -> bool {
    i > 0 && is_ident(bytes[i - 1])
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

/// An `r` at `i` that opens a raw string (`r"`, `r#"`...), not a name ending in `r`.
fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    if ident_before(bytes, i) {
        return false;
    }
    raw_quote_follows(bytes, i)
}

/// After the `r` at `i`: any number of `#` and then a quote.
fn raw_quote_follows(bytes: &[u8], i: usize) -> bool {
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
