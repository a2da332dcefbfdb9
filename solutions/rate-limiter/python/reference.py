"""Rate limiter: a lazily refilled token bucket, and a dict of buckets, one per client.

A bucket stores two numbers: the tokens it held at its latest call and the time of that call.
Nothing runs between calls; allow() works out what came back since, so each call is O(1) and
each client costs O(1) memory.
"""


class TokenBucket:
    def __init__(self, capacity: int, refill_rate: float) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        if not refill_rate >= 0:  # also rejects NaN
            raise ValueError("refill_rate must not be negative, got %r" % (refill_rate,))
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.tokens = float(capacity)  # full at the first call
        self.last = None  # time of the latest call; None until the first one

    def allow(self, now: float, tokens: int = 1) -> bool:
        if self.last is None:
            self.last = now
        elif now > self.last:
            refill = (now - self.last) * self.refill_rate
            self.tokens = min(float(self.capacity), self.tokens + refill)
            self.last = now
        # else: the clock went backwards (or stood still): add nothing, keep the latest time.
        if tokens <= self.tokens:
            self.tokens -= tokens
            return True
        return False


class RateLimiter:
    def __init__(self, capacity: int, refill_rate: float) -> None:
        TokenBucket(capacity, refill_rate)  # validate now, not at the first request
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.buckets = {}

    def allow(self, client: str, now: float) -> bool:
        bucket = self.buckets.get(client)
        if bucket is None:
            bucket = self.buckets[client] = TokenBucket(self.capacity, self.refill_rate)
        return bucket.allow(now)
