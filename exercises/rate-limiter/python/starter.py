"""Rate limiter: see README.md for the full statement."""


class TokenBucket:
    def __init__(self, capacity: int, refill_rate: float) -> None:
        """A bucket holding up to `capacity` tokens, refilled at `refill_rate` tokens per
        second (capacity < 1 or refill_rate < 0 -> ValueError). It is full at its first call."""
        raise NotImplementedError("TokenBucket.__init__")

    def allow(self, now: float, tokens: int = 1) -> bool:
        """At time `now` (seconds), refill, then take `tokens` tokens and return True if that
        many are available; otherwise take nothing and return False."""
        raise NotImplementedError("TokenBucket.allow")


class RateLimiter:
    def __init__(self, capacity: int, refill_rate: float) -> None:
        """One independent TokenBucket(capacity, refill_rate) per client; invalid arguments
        raise ValueError here."""
        raise NotImplementedError("RateLimiter.__init__")

    def allow(self, client: str, now: float) -> bool:
        """Take one token from `client`'s bucket at time `now`."""
        raise NotImplementedError("RateLimiter.allow")
