"""TTL cache: a recency-ordered dict plus a min-heap of expiry times (lazy deletion).

* `_entries` is an OrderedDict from key to (value, expires_at, stamp), least recently used
  first: a hit or a put moves the key to the end (move_to_end, O(1)) and the least recently
  used entry is popitem(last=False) (O(1)).
* `_heap` holds (expires_at, stamp, key) for every put. An update or an eviction does not
  remove the old heap item (a heap cannot delete from the middle); the item is *stale* when its
  stamp is no longer the key's current one, and is skipped when it reaches the top.
* `_purge(now)` pops every item with expires_at <= now and deletes the entries they still
  belong to. Each heap item is pushed once and popped at most once, so purging costs O(log n)
  amortised per put, however many entries expire at the same moment.
* When stale items outnumber live entries, the heap is rebuilt from the live entries (O(n),
  paid for by the n puts that made the items stale), so memory stays O(capacity).
* Follow-up: `purge_expired(now)` is that same purge, made public. `_expired` counts every
  entry that has left the cache by expiring (in a purge, or found expired by `get`) since the
  last `purge_expired`, which hands the count over and starts again from 0. Stale heap items
  (an updated or evicted key) are not expirations and are not counted.

put and size are amortised O(log n); get is O(1); purge_expired is O(log n) per entry it
removes (amortised), never a scan of the cache.
"""

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
        self._expired = 0  # entries that expired since the last purge_expired

    def _purge(self, now):
        """Remove every entry that has expired at `now`."""
        heap, entries = self._heap, self._entries
        while heap and heap[0][0] <= now:
            _, stamp, key = heapq.heappop(heap)
            entry = entries.get(key)
            if entry is not None and entry[2] == stamp:
                del entries[key]
                self._expired += 1

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
        heapq.heappush(self._heap, (expires_at, self._stamp, key))
        if len(self._heap) > 2 * len(entries) + 64:
            self._heap = [(e[1], e[2], k) for k, e in entries.items()]
            heapq.heapify(self._heap)

    def get(self, key: str, now: float) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if now >= entry[1]:
            del self._entries[key]  # expired: gone for good (its heap item is now stale)
            self._expired += 1
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def size(self, now: float) -> int:
        self._purge(now)
        return len(self._entries)

    def purge_expired(self, now: float) -> int:
        """Removes every entry expired at `now`; returns how many entries expired since the
        last call, counting those that other operations already dropped on the way."""
        self._purge(now)
        expired, self._expired = self._expired, 0
        return expired
