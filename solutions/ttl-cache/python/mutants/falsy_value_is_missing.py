# bug: get tests the stored value for truthiness, so an empty-string value reads as missing
# caught-by: empty_strings_are_values

import heapq
from collections import OrderedDict


class TTLCache:
    def __init__(self, capacity, default_ttl):
        if capacity < 1 or default_ttl <= 0:
            raise ValueError("capacity must be >= 1 and default_ttl > 0")
        self.capacity = capacity
        self.default_ttl = default_ttl
        self.values = OrderedDict()  # key -> value, least recently used first
        self.expires = {}  # key -> expires_at
        self.heap = []  # (expires_at, key); stale when it no longer matches self.expires

    def _purge(self, now):
        while self.heap and self.heap[0][0] <= now:
            expires_at, key = heapq.heappop(self.heap)
            if self.expires.get(key) == expires_at:
                del self.values[key]
                del self.expires[key]

    def put(self, key, value, now, ttl=None):
        if ttl is None:
            ttl = self.default_ttl
        elif ttl <= 0:
            raise ValueError("ttl must be positive")
        self._purge(now)
        if key in self.values:
            self.values.move_to_end(key)
        elif len(self.values) >= self.capacity:
            old, _ = self.values.popitem(last=False)
            del self.expires[old]
        self.values[key] = value
        self.expires[key] = now + ttl
        heapq.heappush(self.heap, (now + ttl, key))

    def get(self, key, now):
        value = self.values.get(key)
        if not value or now >= self.expires[key]:
            return None
        self.values.move_to_end(key)
        return value

    def size(self, now):
        self._purge(now)
        return len(self.values)
