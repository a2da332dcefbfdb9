"""Hidden driver for lru-cache (Python). Operations: new C, put K V, get K, len."""

import kata_harness as k

REQUIRED = ("LRUCache",)


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.cache = None

    def op_new(self, capacity):
        self.cache = self.mod.LRUCache(capacity)
        return k.OK

    def op_put(self, key, value):
        k.need(self.cache).put(key, value)
        return k.OK

    def op_get(self, key):
        return k.need(self.cache).get(key)

    def op_len(self):
        return len(k.need(self.cache))


def probe_lru_mix(mod, size, budget):
    """Fill a cache of `size`, then time the worst case: every put evicts, and the gets hit
    both ends of the recency order: the least recently used key (which must move to the
    front) and the key put just before (an order kept in a list has to search for it)."""
    cache = mod.LRUCache(size)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = 0
        for key in range(start, start + 200):
            cache.put(key, key)
            check += cache.get(key - size + 1)
            check += cache.get(key - 1)
        state["next"] = start + 200
        return 600, check

    return batch


EVICT_BATCH = 1000  # puts per timed batch of lru_evict


def probe_lru_evict(mod, size, budget):
    """Eviction-heavy: every timed operation puts a new key into the full cache, so every put
    evicts. Before timing, the cache of `size` is filled and its older half is read once (in
    age order, so the recency order stays a simple rotation), as a real cache's reads would.

    This exposes an LRU built on a plain dict's insertion order (refresh with pop + re-insert,
    evict next(iter(d))): CPython leaves a deleted entry's slot empty at its place in the
    dict's entries array until the dict is resized, so after the reads (and every eviction) the
    front of that array is a run of empty slots that next(iter(d)) walks past on every put:
    O(n) per put. collections.OrderedDict (popitem(last=False)) and a linked list are O(1)."""
    cache = mod.LRUCache(size)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    for i in range(size // 2):
        cache.get(i)
        if i % 512 == 0:
            budget.check(size + i)
    state = {"next": size}

    def batch():
        start = state["next"]
        check = budget.check
        for key in range(start, start + EVICT_BATCH):
            cache.put(key, key)
            if key % 64 == 0:
                check(None)  # a very slow put is abandoned within the budget
        state["next"] = start + EVICT_BATCH
        # Fold in what the cache holds now: the first and last keys of this batch, its length.
        return EVICT_BATCH + 3, cache.get(start) + cache.get(start + EVICT_BATCH - 1) + len(cache)

    return batch
