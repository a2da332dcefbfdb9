# bug: a get hit refreshes recency but does not add 1 to the count (plain LRU among equal counts)
# caught-by: evicts_least_frequent

from collections import OrderedDict


class LFUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.entries = {}  # key -> [value, count]
        self.buckets = {}  # count -> OrderedDict of keys, least recently used first
        self.min_count = 0

    def _touch(self, key, entry):
        """One more use of `key`: move it from its bucket to the back of the next one."""
        count = entry[1]
        bucket = self.buckets[count]
        del bucket[key]
        if not bucket:
            del self.buckets[count]
            if self.min_count == count:
                self.min_count = count + 1
        entry[1] = count + 1
        self.buckets.setdefault(count + 1, OrderedDict())[key] = None

    def get(self, key: int) -> int:
        entry = self.entries.get(key)
        if entry is None:
            return -1
        bucket = self.buckets[entry[1]]
        bucket.move_to_end(key)
        return entry[0]

    def put(self, key: int, value: int) -> None:
        entry = self.entries.get(key)
        if entry is not None:
            entry[0] = value
            self._touch(key, entry)
            return
        if len(self.entries) == self.capacity:
            bucket = self.buckets[self.min_count]
            victim, _ = bucket.popitem(last=False)
            if not bucket:
                del self.buckets[self.min_count]
            del self.entries[victim]
        self.entries[key] = [value, 1]
        self.buckets.setdefault(1, OrderedDict())[key] = None
        self.min_count = 1

    def __len__(self) -> int:
        return len(self.entries)
