# bug: correct answers, but each eviction scans every key for the lowest (count, last use), so a put into a full cache is O(n)
# caught-by: get_put_scaling


class LFUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.entries = {}  # key -> [value, count, last use]
        self.clock = 0

    def get(self, key: int) -> int:
        entry = self.entries.get(key)
        if entry is None:
            return -1
        self.clock += 1
        entry[1] += 1
        entry[2] = self.clock
        return entry[0]

    def put(self, key: int, value: int) -> None:
        self.clock += 1
        entry = self.entries.get(key)
        if entry is not None:
            entry[0] = value
            entry[1] += 1
            entry[2] = self.clock
            return
        if len(self.entries) == self.capacity:
            victim = min(self.entries, key=lambda k: (self.entries[k][1], self.entries[k][2]))
            del self.entries[victim]
        self.entries[key] = [value, 1, self.clock]

    def __len__(self) -> int:
        return len(self.entries)
