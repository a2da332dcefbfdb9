# bug: caps the tokens at capacity only after deciding, so after an idle period a request above capacity succeeds
# caught-by: more_than_capacity_refused

class TokenBucket:
    def __init__(self, capacity, refill_rate):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if refill_rate < 0:
            raise ValueError("refill_rate must not be negative")
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.tokens = float(capacity)
        self.last = None

    def allow(self, now, tokens=1):
        if self.last is None:
            self.last = now
        elif now > self.last:
            self.tokens += (now - self.last) * self.refill_rate
            self.last = now
        allowed = tokens <= self.tokens
        if allowed:
            self.tokens -= tokens
        self.tokens = min(self.capacity, self.tokens)
        return allowed


class RateLimiter:
    def __init__(self, capacity, refill_rate):
        TokenBucket(capacity, refill_rate)  # validates
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.buckets = {}

    def allow(self, client, now):
        if client not in self.buckets:
            self.buckets[client] = TokenBucket(self.capacity, self.refill_rate)
        return self.buckets[client].allow(now)
