"""TTL cache: see README.md for the full statement."""

from __future__ import annotations  # `float | None` on Python before 3.10


class TTLCache:
    def __init__(self, capacity: int, default_ttl: float) -> None:
        """Create a cache holding at most `capacity` entries; an entry lives `default_ttl`
        seconds unless put with its own ttl (capacity < 1 or default_ttl <= 0 -> ValueError)."""
        raise NotImplementedError("TTLCache.__init__")

    def put(self, key: str, value: str, now: float, ttl: float | None = None) -> None:
        """Store `value` under `key` at time `now`, expiring at now + ttl (default_ttl when ttl
        is None; ttl <= 0 -> ValueError). Makes `key` the most recently used. When a new key
        arrives in a full cache, first drop every entry expired at `now`, then, if it is still
        full, evict the least recently used entry."""
        raise NotImplementedError("TTLCache.put")

    def get(self, key: str, now: float) -> str | None:
        """The value of `key` at time `now`, or None when absent or expired. A hit makes `key`
        the most recently used."""
        raise NotImplementedError("TTLCache.get")

    def size(self, now: float) -> int:
        """The number of entries not expired at `now`."""
        raise NotImplementedError("TTLCache.size")
