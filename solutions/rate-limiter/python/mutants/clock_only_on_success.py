# bug: moves the reference time only when a request is allowed, so time before a refusal is refilled twice
# caught-by: denied_request_still_advances_clock

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
        if now > self.last:
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.refill_rate)
        if tokens <= self.tokens:
            self.tokens -= tokens
            self.last = max(self.last, now)  # time of the last served request
            return True
        return False


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
