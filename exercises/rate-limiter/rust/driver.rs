//! Hidden driver for rate-limiter (Rust).
//! Operations: bucket C R, allow NOW [N], limiter C R, client_allow NAME NOW.

use crate::harness::{self, Value};
use crate::learner::{RateLimiter, TokenBucket};

pub struct Driver {
    bucket: Option<TokenBucket>,
    limiter: Option<RateLimiter>,
}

impl harness::Driver for Driver {
    fn new() -> Self {
        Driver {
            bucket: None,
            limiter: None,
        }
    }

    fn op(&mut self, name: &str, args: &[Value]) -> String {
        match name {
            "bucket" => {
                self.bucket = None; // a failed constructor leaves no bucket behind
                self.bucket = Some(TokenBucket::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "allow" => {
                // `allow NOW` asks for one token, like Python's default argument.
                let tokens = args.get(1).map_or(1, |n| n.int() as u32);
                let bucket = harness::need(self.bucket.as_mut());
                harness::boolean(bucket.allow(args[0].float(), tokens))
            }
            "limiter" => {
                self.limiter = None;
                self.limiter = Some(RateLimiter::new(args[0].int() as u32, args[1].float()));
                harness::ok()
            }
            "client_allow" => {
                let limiter = harness::need(self.limiter.as_mut());
                harness::boolean(limiter.allow(args[0].str(), args[1].float()))
            }
            other => panic!("kata driver: unknown operation {other}"),
        }
    }
}
