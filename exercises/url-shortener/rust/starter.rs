//! URL shortener: see README.md for the full statement.

/// The base-62 digits, in order. (Given: keep it.)
pub const ALPHABET: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// `n` in base 62 with `ALPHABET` as the digits, most significant first; `encode(0) == "0"`.
pub fn encode(n: u64) -> String {
    todo!("encode({n})")
}

/// The inverse of `encode`; leading zeros are allowed. `None` for an empty string, a character
/// outside `ALPHABET`, or a number above `u64::MAX`.
pub fn decode(s: &str) -> Option<u64> {
    todo!("decode({s:?})")
}

/// Why `shorten` or `shorten_custom` refused. (Given: keep the variants and the derives.)
#[derive(Debug, PartialEq, Eq)]
pub enum ShortenError {
    InvalidUrl,
    InvalidAlias,
    AliasTaken,
}

pub struct Shortener {
    // Your fields here.
}

impl Shortener {
    /// An empty shortener.
    pub fn new() -> Self {
        Shortener {}
    }

    /// The URL's first code, or, for a new URL, `encode(c)` for the next counter value `c`
    /// (from 1) whose code is not taken by an alias. A bad URL -> `Err(InvalidUrl)`.
    pub fn shorten(&mut self, url: &str) -> Result<String, ShortenError> {
        todo!("Shortener::shorten({url:?})")
    }

    /// Makes `alias` (1-32 characters from `ALPHABET`, `-`, `_`) point to `url` and returns it.
    /// Checks the URL (`InvalidUrl`), then the alias (`InvalidAlias`), then whether it points
    /// to another URL (`AliasTaken`).
    pub fn shorten_custom(&mut self, url: &str, alias: &str) -> Result<String, ShortenError> {
        todo!("Shortener::shorten_custom({url:?}, {alias:?})")
    }

    /// The URL behind `code`, or `None` for an unknown code.
    pub fn expand(&self, code: &str) -> Option<String> {
        todo!("Shortener::expand({code:?})")
    }
}
