# bug: a heap of (count, last use, key) with lazy deletion, O(log n), but a put update pushes the key's old last-use time, so it does not refresh its recency
# caught-by: update_refreshes_recency

import heapq


class LFUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.entries = {}  # key -> [value, count, last use]
        self.heap = []  # (count, last use, key); stale when it no longer matches entries
        self.clock = 0

    def _push(self, key, entry):
        heapq.heappush(self.heap, (entry[1], entry[2], key))
        if len(self.heap) > 2 * len(self.entries) + 16:  # drop stale entries now and then
            self.heap = [(e[1], e[2], k) for k, e in self.entries.items()]
            heapq.heapify(self.heap)

    def get(self, key: int) -> int:
        entry = self.entries.get(key)
        if entry is None:
            return -1
        self.clock += 1
        entry[1] += 1
        entry[2] = self.clock
        self._push(key, entry)
        return entry[0]

    def put(self, key: int, value: int) -> None:
        self.clock += 1
        entry = self.entries.get(key)
        if entry is not None:
            entry[0] = value
            entry[1] += 1
            self._push(key, entry)
            return
        if len(self.entries) == self.capacity:
            while True:
                count, used, victim = heapq.heappop(self.heap)
                entry = self.entries.get(victim)
                if entry is not None and entry[1] == count and entry[2] == used:
                    del self.entries[victim]
                    break
        entry = self.entries[key] = [value, 1, self.clock]
        self._push(key, entry)

    def __len__(self) -> int:
        return len(self.entries)
