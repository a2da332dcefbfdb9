"""Hidden driver for rate-limiter (Python).

Operations: bucket C R, allow NOW [N], limiter C R, client_allow NAME NOW.
"""

import kata_harness as k

REQUIRED = ("TokenBucket", "RateLimiter")


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.bucket = None
        self.limiter = None

    def op_bucket(self, capacity, refill_rate):
        self.bucket = None  # a failed constructor leaves no bucket behind
        self.bucket = self.mod.TokenBucket(capacity, refill_rate)
        return k.OK

    def op_allow(self, now, *tokens):
        # `allow NOW` relies on the default of one token; `allow NOW N` passes it.
        return k.need(self.bucket).allow(now, *tokens)

    def op_limiter(self, capacity, refill_rate):
        self.limiter = None
        self.limiter = self.mod.RateLimiter(capacity, refill_rate)
        return k.OK

    def op_client_allow(self, client, now):
        return k.need(self.limiter).allow(client, now)
