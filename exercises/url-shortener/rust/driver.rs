//! Hidden driver for url-shortener (Rust).
//! Operations (one Shortener per case, created on first use): encode N, decode S, shorten URL,
//! custom URL ALIAS, expand CODE, shorten_many PREFIX K (shorten PREFIX0 .. PREFIX{K-1}; the
//! last code).
//! Follow-up 1 (expiring links and click counts; a TTL of null is `None`): shorten_at URL NOW
//! TTL, custom_at URL ALIAS NOW TTL, expand_at CODE NOW, stats CODE NOW (rendered
//! `"URL", N clicks, expires at T` or `never expires`). Its arms sit behind
//! `#[cfg(kata_stage_1)]`, so a solution without that API still compiles for the base cases.
//!
//! Results are rendered like the Python API's: decode's None is `error ValueError`, an Err is
//! `error ValueError: <variant>` and expand's None is `error KeyError`.

use crate::harness::{self, Value};
use crate::learner::{decode, encode, ShortenError, Shortener};

pub struct Driver {
    shortener: Option<Shortener>,
}

impl Driver {
    fn shortener(&mut self) -> &mut Shortener {
        self.shortener.get_or_insert_with(Shortener::new)
    }
}

fn code_line(result: Result<String, ShortenError>) -> String {
    match result {
        Ok(code) => harness::string(&code),
        Err(ShortenError::InvalidUrl) => "error ValueError: InvalidUrl".to_string(),
        Err(ShortenError::InvalidAlias) => "error ValueError: InvalidAlias".to_string(),
        Err(ShortenError::AliasTaken) => "error ValueError: AliasTaken".to_string(),
        #[cfg(kata_stage_1)]
        Err(ShortenError::InvalidTtl) => "error ValueError: InvalidTtl".to_string(),
    }
}

/// An `encode` argument: an integer, or a decimal string for values above i64::MAX.
fn u64_arg(value: &Value) -> u64 {
    match value {
        Value::Str(digits) => digits
            .parse()
            .unwrap_or_else(|_| panic!("kata driver: {digits:?} is not a u64")),
        other => u64::try_from(other.int())
            .unwrap_or_else(|_| panic!("kata driver: {other:?} is not a u64")),
    }
}

/// A follow-up TTL argument: a number of seconds, or null for none.
#[cfg(kata_stage_1)]
fn ttl_arg(value: &Value) -> Option<f64> {
    if value.is_null() {
        None
    } else {
        Some(value.float())
    }
}

#[cfg(kata_stage_1)]
fn stats_line(stats: Option<crate::learner::LinkStats>, code: &str) -> String {
    match stats {
        Some(stats) => format!(
            "{}, {} clicks, {}",
            harness::string(&stats.url),
            harness::int(stats.clicks as i64),
            match stats.expires_at {
                Some(at) => format!("expires at {}", harness::float(at)),
                None => "never expires".to_string(),
            }
        ),
        None => format!(
            "error KeyError: stats returned None for {}",
            harness::string(code)
        ),
    }
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver { shortener: None }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "encode" => harness::string(&encode(u64_arg(&args[0]))),
            "decode" => match decode(args[0].str()) {
                Some(n) => harness::int(n),
                None => "error ValueError: decode returned None".to_string(),
            },
            "shorten" => code_line(self.shortener().shorten(args[0].str())),
            "custom" => code_line(self.shortener().shorten_custom(args[0].str(), args[1].str())),
            "expand" => match self.shortener().expand(args[0].str()) {
                Some(url) => harness::string(&url),
                None => format!(
                    "error KeyError: expand returned None for {}",
                    harness::string(args[0].str())
                ),
            },
            "shorten_many" => {
                let prefix = args[0].str();
                let shortener = self.shortener();
                // Like the Python driver: the first error ends the loop and is the result.
                let mut last = harness::null();
                for i in 0..args[1].int() {
                    let result = shortener.shorten(&format!("{prefix}{i}"));
                    let failed = result.is_err();
                    last = code_line(result);
                    if failed {
                        break;
                    }
                }
                last
            }
            #[cfg(kata_stage_1)]
            "shorten_at" => code_line(self.shortener().shorten_at(
                args[0].str(),
                args[1].float(),
                ttl_arg(&args[2]),
            )),
            #[cfg(kata_stage_1)]
            "custom_at" => code_line(self.shortener().shorten_custom_at(
                args[0].str(),
                args[1].str(),
                args[2].float(),
                ttl_arg(&args[3]),
            )),
            #[cfg(kata_stage_1)]
            "expand_at" => match self.shortener().expand_at(args[0].str(), args[1].float()) {
                Some(url) => harness::string(&url),
                None => format!(
                    "error KeyError: expand_at returned None for {}",
                    harness::string(args[0].str())
                ),
            },
            #[cfg(kata_stage_1)]
            "stats" => stats_line(
                self.shortener().stats(args[0].str(), args[1].float()),
                args[0].str(),
            ),
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
