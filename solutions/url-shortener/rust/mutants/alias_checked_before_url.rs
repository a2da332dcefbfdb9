// bug: shorten_custom checks the alias before the URL, so a bad URL with a bad alias is InvalidAlias
// caught-by: rust_error_variants

use std::collections::HashMap;

/// The base-62 digits, in order. (Given: keep it.)
pub const ALPHABET: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

const BASE: u64 = 62;
const MAX_ALIAS: usize = 32;

pub fn encode(mut n: u64) -> String {
    let alphabet = ALPHABET.as_bytes();
    if n == 0 {
        return ALPHABET[..1].to_string();
    }
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(alphabet[(n % BASE) as usize]);
        n /= BASE;
    }
    digits.reverse(); // remainders come out least significant first
    String::from_utf8(digits).expect("ALPHABET is ASCII")
}

/// The value of one base-62 digit, in O(1).
fn digit(c: char) -> Option<u64> {
    let value = match c {
        '0'..='9' => c as u32 - '0' as u32,
        'a'..='z' => c as u32 - 'a' as u32 + 10,
        'A'..='Z' => c as u32 - 'A' as u32 + 36,
        _ => return None,
    };
    Some(u64::from(value))
}

pub fn decode(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.chars()
        .try_fold(0u64, |n, c| n.checked_mul(BASE)?.checked_add(digit(c)?))
}

/// Why `shorten` or `shorten_custom` refused. (Given: keep the variants and the derives.)
#[derive(Debug, PartialEq, Eq)]
pub enum ShortenError {
    InvalidUrl,
    InvalidAlias,
    AliasTaken,
}

fn check_url(url: &str) -> Result<(), ShortenError> {
    // Lowercase scheme, then at least one more character (so "https://" alone is invalid).
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() => Ok(()),
        _ => Err(ShortenError::InvalidUrl),
    }
}

fn check_alias(alias: &str) -> Result<(), ShortenError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    // Every allowed character is one byte, so once they all are, len() counts characters.
    if alias.chars().all(allowed) && (1..=MAX_ALIAS).contains(&alias.len()) {
        Ok(())
    } else {
        Err(ShortenError::InvalidAlias)
    }
}

pub struct Shortener {
    urls: HashMap<String, String>,  // code -> URL
    codes: HashMap<String, String>, // URL -> its first code
    next: u64,                      // the next counter value to try
}

impl Shortener {
    pub fn new() -> Self {
        Shortener {
            urls: HashMap::new(),
            codes: HashMap::new(),
            next: 1,
        }
    }

    pub fn shorten(&mut self, url: &str) -> Result<String, ShortenError> {
        check_url(url)?;
        if let Some(code) = self.codes.get(url) {
            return Ok(code.clone());
        }
        let mut code = encode(self.next);
        while self.urls.contains_key(&code) {
            // taken by a custom alias: skip it
            self.next += 1;
            code = encode(self.next);
        }
        self.next += 1;
        self.urls.insert(code.clone(), url.to_string());
        self.codes.insert(url.to_string(), code.clone());
        Ok(code)
    }

    pub fn shorten_custom(&mut self, url: &str, alias: &str) -> Result<String, ShortenError> {
        check_alias(alias)?;
        check_url(url)?;
        match self.urls.get(alias) {
            Some(owner) if owner == url => return Ok(alias.to_string()),
            Some(_) => return Err(ShortenError::AliasTaken),
            None => {}
        }
        self.urls.insert(alias.to_string(), url.to_string());
        // Only when it is the URL's first code.
        self.codes
            .entry(url.to_string())
            .or_insert_with(|| alias.to_string());
        Ok(alias.to_string())
    }

    pub fn expand(&self, code: &str) -> Option<String> {
        self.urls.get(code).cloned()
    }
}

impl Default for Shortener {
    fn default() -> Self {
        Shortener::new()
    }
}
