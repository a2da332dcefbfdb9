# bug: every get renews the entry (recency and ttl) before looking at its deadline, so a get of an expired key returns None but brings the key back to life
# caught-by: expired_get_does_not_revive

from __future__ import annotations

import heapq
from collections import OrderedDict


class TTLCache:
    def __init__(self, capacity: int, default_ttl: float) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        if not default_ttl > 0:  # also rejects NaN
            raise ValueError("default_ttl must be positive, got %r" % (default_ttl,))
        self.capacity = capacity
        self.default_ttl = default_ttl
        self._entries = OrderedDict()  # key -> (value, expires_at, stamp); LRU first
        self._heap = []  # (expires_at, stamp, key); stale when stamp is not the key's current one
        self._stamp = 0
        self._put_at = {}  # key -> time of its latest put or touch

    def _purge(self, now):
        """Remove every entry that has expired at `now`."""
        heap, entries = self._heap, self._entries
        while heap and heap[0][0] <= now:
            _, stamp, key = heapq.heappop(heap)
            entry = entries.get(key)
            if entry is not None and entry[2] == stamp:
                del entries[key]

    def put(self, key: str, value: str, now: float, ttl: float | None = None) -> None:
        if ttl is None:
            ttl = self.default_ttl
        elif not ttl > 0:  # validate before changing anything
            raise ValueError("ttl must be positive, got %r" % (ttl,))
        self._purge(now)
        entries = self._entries
        if key in entries:
            entries.move_to_end(key)  # an update: most recently used, never evicts
        elif len(entries) >= self.capacity:
            entries.popitem(last=False)  # nothing expired is left: evict the least recently used
        self._stamp += 1
        expires_at = now + ttl
        entries[key] = (value, expires_at, self._stamp)
        self._put_at[key] = now
        heapq.heappush(self._heap, (expires_at, self._stamp, key))

    def get(self, key: str, now: float) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at, _ = entry
        # touch: every access renews the entry for its original ttl
        ttl = expires_at - self._put_at[key]
        self._stamp += 1
        self._entries[key] = (value, now + ttl, self._stamp)
        self._put_at[key] = now
        heapq.heappush(self._heap, (now + ttl, self._stamp, key))
        self._entries.move_to_end(key)
        return value if now < expires_at else None

    def size(self, now: float) -> int:
        self._purge(now)
        return len(self._entries)
