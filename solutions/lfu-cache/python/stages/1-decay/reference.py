"""LFU cache with decaying counts.

As in the base exercise: a dict from key to entry, one recency-ordered bucket per use count
(`buckets[c]`, least recently used first) and `min_count`, the lowest count present, so the
victim is `buckets[min_count]`'s oldest key; get and put are O(1).

Decay: every `decay_every` operations (gets, hits or misses, and puts) every count is halved,
rounded down, so 1 becomes 0. Halving keeps the order of counts but merges neighbours (2 and 3
both become 1), and a merged bucket must still be in recency order. So the cache also keeps
`order`, every key least recently used first (an OrderedDict: a use is move_to_end), and a
decay rebuilds the buckets in one pass over it: each key is appended to the bucket of its new
count, and every bucket comes out in recency order. That pass is O(n); it runs once every
`decay_every` operations, so it adds O(n / decay_every) per operation: O(1) amortised while
decay_every grows with the capacity. `min_count` halves too (halving keeps the order).
Counts can now be 0, below a new key's 1.
"""

from collections import OrderedDict


class LFUCache:
    def __init__(self, capacity: int, decay_every: int | None = None) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        if decay_every is not None and decay_every < 1:
            raise ValueError("decay_every must be at least 1, got %r" % (decay_every,))
        self.capacity = capacity
        self.decay_every = decay_every
        self.entries = {}  # key -> [value, count]
        self.buckets = {}  # count -> OrderedDict of keys, least recently used first
        self.order = OrderedDict()  # every key, least recently used first
        self.min_count = 0
        self.ops = 0  # gets and puts so far

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
        self.order.move_to_end(key)

    def _tick(self):
        """Counts one operation; every decay_every-th one ends with a decay."""
        self.ops += 1
        if self.decay_every is not None and self.ops % self.decay_every == 0:
            self._decay()

    def _decay(self):
        buckets = {}
        for key in self.order:  # least recently used first: buckets fill in recency order
            entry = self.entries[key]
            entry[1] //= 2
            bucket = buckets.get(entry[1])
            if bucket is None:
                bucket = buckets[entry[1]] = OrderedDict()
            bucket[key] = None
        self.buckets = buckets
        self.min_count //= 2

    def get(self, key: int) -> int:
        entry = self.entries.get(key)
        value = -1
        if entry is not None:
            self._touch(key, entry)
            value = entry[0]
        self._tick()
        return value

    def put(self, key: int, value: int) -> None:
        entry = self.entries.get(key)
        if entry is not None:
            entry[0] = value
            self._touch(key, entry)
        else:
            if len(self.entries) == self.capacity:
                bucket = self.buckets[self.min_count]
                victim, _ = bucket.popitem(last=False)
                if not bucket:
                    del self.buckets[self.min_count]
                del self.entries[victim]
                del self.order[victim]
            self.entries[key] = [value, 1]
            self.buckets.setdefault(1, OrderedDict())[key] = None
            self.order[key] = None
            # The new key's 1 is the lowest count unless decayed keys sit at 0.
            self.min_count = 0 if 0 in self.buckets else 1
        self._tick()

    def count(self, key: int) -> int:
        entry = self.entries.get(key)
        return -1 if entry is None else entry[1]

    def __len__(self) -> int:
        return len(self.entries)
