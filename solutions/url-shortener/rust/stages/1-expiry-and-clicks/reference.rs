//! URL shortener with expiring links and click counts.
//!
//! `encode`/`decode` are O(number of digits); `decode` uses checked arithmetic, so a number
//! above u64::MAX is `None` rather than a wrapped value or a panic. The shortener keeps
//! `links` (code -> URL, expiry and clicks: what `expand_at` and `stats` read, and whether a
//! code is taken), `codes` (URL -> the code `shorten` returns for it) and the next counter
//! value.
//!
//! Expiry is lazy: a code is live while `now < expires_at`, and an expired code is treated
//! exactly like one never given out (a miss for `expand_at` and `stats`, free for an alias and
//! for the counter). Nothing has to run when a link expires; an expired entry is dropped when a
//! lookup that may write finds it. `codes[url]` may name a code that has expired or that an
//! alias has since reclaimed for another URL, so it counts only while it is live and still
//! points to the URL. Every operation stays O(length of the URL) on average.

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
    InvalidTtl,
}

/// What `stats` reports about a live code.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkStats {
    pub url: String,
    pub clicks: u64,
    /// `None`: the link never expires.
    pub expires_at: Option<f64>,
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

fn check_ttl(ttl: Option<f64>) -> Result<(), ShortenError> {
    match ttl {
        // `>` is false for NaN too, so a NaN ttl is rejected as well.
        Some(ttl) if !(ttl > 0.0) => Err(ShortenError::InvalidTtl),
        _ => Ok(()),
    }
}

struct Link {
    url: String,
    expires_at: Option<f64>,
    clicks: u64,
}

impl Link {
    fn live(&self, now: f64) -> bool {
        self.expires_at.map_or(true, |at| now < at)
    }
}

pub struct Shortener {
    links: HashMap<String, Link>,   // code -> its link
    codes: HashMap<String, String>, // URL -> the code shorten returns (check that it is live)
    next: u64,                      // the next counter value to try
}

impl Shortener {
    pub fn new() -> Self {
        Shortener {
            links: HashMap::new(),
            codes: HashMap::new(),
            next: 1,
        }
    }

    /// The link behind `code` if it is live at `now`.
    fn live(&self, code: &str, now: f64) -> Option<&Link> {
        self.links.get(code).filter(|link| link.live(now))
    }

    /// The URL's live code, if it has one.
    fn code_of(&self, url: &str, now: f64) -> Option<String> {
        let code = self.codes.get(url)?;
        // Expired, or reclaimed by another URL: no longer the URL's code.
        let link = self.live(code, now)?;
        (link.url == url).then(|| code.clone())
    }

    fn store(&mut self, code: &str, url: &str, now: f64, ttl: Option<f64>) {
        let link = Link {
            url: url.to_string(),
            expires_at: ttl.map(|ttl| now + ttl),
            clicks: 0,
        };
        self.links.insert(code.to_string(), link);
        if self.code_of(url, now).is_none() {
            self.codes.insert(url.to_string(), code.to_string());
        }
    }

    pub fn shorten_at(
        &mut self,
        url: &str,
        now: f64,
        ttl: Option<f64>,
    ) -> Result<String, ShortenError> {
        check_url(url)?;
        check_ttl(ttl)?;
        if let Some(code) = self.code_of(url, now) {
            return Ok(code); // the URL's live link, as it is: the ttl only applies to a new one
        }
        let mut code = encode(self.next);
        while self.live(&code, now).is_some() {
            // taken by a live alias: skip it
            self.next += 1;
            code = encode(self.next);
        }
        self.next += 1;
        self.store(&code, url, now, ttl);
        Ok(code)
    }

    pub fn shorten_custom_at(
        &mut self,
        url: &str,
        alias: &str,
        now: f64,
        ttl: Option<f64>,
    ) -> Result<String, ShortenError> {
        check_url(url)?;
        check_alias(alias)?;
        check_ttl(ttl)?;
        match self.live(alias, now) {
            Some(link) if link.url == url => return Ok(alias.to_string()),
            Some(_) => return Err(ShortenError::AliasTaken),
            None => {}
        }
        self.store(alias, url, now, ttl); // free, or expired: a fresh link
        Ok(alias.to_string())
    }

    pub fn expand_at(&mut self, code: &str, now: f64) -> Option<String> {
        let link = self.links.get_mut(code)?;
        if !link.live(now) {
            self.links.remove(code); // expired: from now on the code is free
            return None;
        }
        link.clicks += 1;
        Some(link.url.clone())
    }

    pub fn stats(&self, code: &str, now: f64) -> Option<LinkStats> {
        self.live(code, now).map(|link| LinkStats {
            url: link.url.clone(),
            clicks: link.clicks,
            expires_at: link.expires_at,
        })
    }

    pub fn shorten(&mut self, url: &str) -> Result<String, ShortenError> {
        self.shorten_at(url, 0.0, None)
    }

    pub fn shorten_custom(&mut self, url: &str, alias: &str) -> Result<String, ShortenError> {
        self.shorten_custom_at(url, alias, 0.0, None)
    }

    /// `expand_at(code, 0.0)`: it counts a click, so it takes `&mut self` now.
    pub fn expand(&mut self, code: &str) -> Option<String> {
        self.expand_at(code, 0.0)
    }
}

impl Default for Shortener {
    fn default() -> Self {
        Shortener::new()
    }
}
