# bug: keeps use counts in a separate Counter that eviction never cleans up, so a key that comes back resumes its old count
# caught-by: reinserted_key_starts_at_one

from collections import Counter, OrderedDict


class LFUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.values = {}
        self.counts = Counter()  # key -> uses, never forgotten
        self.buckets = {}  # count -> OrderedDict of keys, least recently used first
        self.min_count = 0

    def _move(self, key, old, new):
        if old:
            bucket = self.buckets[old]
            del bucket[key]
            if not bucket:
                del self.buckets[old]
        self.buckets.setdefault(new, OrderedDict())[key] = None
        self.counts[key] = new

    def get(self, key: int) -> int:
        if key not in self.values:
            return -1
        count = self.counts[key]
        self._move(key, count, count + 1)
        if count == self.min_count and count not in self.buckets:
            self.min_count = count + 1
        return self.values[key]

    def put(self, key: int, value: int) -> None:
        if key in self.values:
            self.values[key] = value
            self.get(key)
            return
        if len(self.values) == self.capacity:
            bucket = self.buckets[self.min_count]
            victim, _ = bucket.popitem(last=False)
            if not bucket:
                del self.buckets[self.min_count]
            del self.values[victim]
        self.values[key] = value
        count = self.counts[key]
        self._move(key, 0, count + 1)
        self.min_count = min(self.buckets)

    def __len__(self) -> int:
        return len(self.values)
