"""Sliding-window rate limiters: see README.md for the full statement."""


class SlidingWindowLog:
    def __init__(self, limit: int, window: float) -> None:
        """At most `limit` allowed requests in any `window` seconds, counted exactly from the
        times of the allowed requests (limit < 1 or window <= 0 -> ValueError)."""
        raise NotImplementedError("SlidingWindowLog.__init__")

    def allow(self, now: float) -> bool:
        """Allow (and record `now`) when fewer than `limit` allowed requests have a time t with
        now - window < t <= now; otherwise refuse and record nothing."""
        raise NotImplementedError("SlidingWindowLog.allow")


class SlidingWindowCounter:
    def __init__(self, limit: int, window: float) -> None:
        """The same limit, estimated from two fixed-window counts (same validation as the
        log)."""
        raise NotImplementedError("SlidingWindowCounter.__init__")

    def allow(self, now: float) -> bool:
        """Allow (and count) the request when
        previous * ((k + 1) * window - now) / window + current + 1 <= limit,
        where k = floor(now / window)."""
        raise NotImplementedError("SlidingWindowCounter.allow")
