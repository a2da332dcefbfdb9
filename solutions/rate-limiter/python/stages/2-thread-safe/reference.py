"""Rate limiter: a lazily refilled token bucket, and a dict of buckets, one per client, that
forgets clients once they have been idle for `idle_timeout` seconds, safe to share between
threads.

A bucket stores two numbers: the tokens it held at its latest call and the time of that call.
Nothing runs between calls; allow() works out what came back since, so each call is O(1) and
each client costs O(1) memory.

The buckets live in an OrderedDict in the order of their clients' latest requests (a request
moves its client to the end). With a clock that does not go back, the clients at the front
are the ones idle the longest, so each call pops idle clients from the front until it meets
one that is not: O(1) amortised (each client is popped once), and memory follows the clients
seen in the last `idle_timeout` seconds.

Threads: one lock around the whole of RateLimiter.allow. Refilling, deciding and taking the
tokens is a read-modify-write of the bucket, creating a client's bucket is check-then-act on
the dict, and forgetting idle clients reorders it: all of it must happen under the same lock,
or two requests can spend the same token. (TokenBucket itself stays single-threaded: the
limiter's lock protects the buckets it owns.)
"""

from __future__ import annotations  # `float | None` on Python before 3.10

import threading
from collections import OrderedDict


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
    def __init__(self, capacity: int, refill_rate: float, idle_timeout: float | None = None) -> None:
        TokenBucket(capacity, refill_rate)  # validate now, not at the first request
        if idle_timeout is not None and not idle_timeout > 0:  # also rejects NaN
            raise ValueError("idle_timeout must be positive, got %r" % (idle_timeout,))
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.idle_timeout = idle_timeout
        self.buckets = OrderedDict()  # client -> bucket, least recently requested first
        self.clock = None  # the latest `now` seen, from any client
        self.lock = threading.Lock()

    # The helpers below expect the lock to be held.

    def _idle(self, bucket):
        return self.clock - bucket.last >= self.idle_timeout

    def _bucket_of(self, client):
        """The client's bucket, made the most recently requested: a new one for a client never
        seen or forgotten."""
        bucket = self.buckets.get(client)
        if bucket is not None and self.idle_timeout is not None and self._idle(bucket):
            del self.buckets[client]  # forgotten: this request is its first
            bucket = None
        if bucket is None:
            bucket = self.buckets[client] = TokenBucket(self.capacity, self.refill_rate)
        else:
            self.buckets.move_to_end(client)
        return bucket

    def _forget_idle(self):
        """Drop the clients that have gone idle, longest idle first."""
        if self.idle_timeout is None:
            return
        while self.buckets:
            oldest = next(iter(self.buckets.values()))
            if not self._idle(oldest):
                break
            self.buckets.popitem(last=False)

    def allow(self, client: str, now: float) -> bool:
        with self.lock:
            if self.clock is None or now > self.clock:
                self.clock = now
            bucket = self._bucket_of(client)
            allowed = bucket.allow(now)
            self._forget_idle()
            return allowed
