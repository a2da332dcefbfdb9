"""Hidden driver for lfu-cache (Python). Operations: new C, put K V, get K, len."""

import kata_harness as k

REQUIRED = ("LFUCache",)

MIX_BATCH = 256  # put + get pairs per timed batch of lfu_mix
EVICT_BATCH = 1000  # puts per timed batch of lfu_evict


class Case:
    def __init__(self, mod):
        self.mod = mod
        self.cache = None

    def op_new(self, capacity):
        self.cache = self.mod.LFUCache(capacity)
        return k.OK

    def op_put(self, key, value):
        k.need(self.cache).put(key, value)
        return k.OK

    def op_get(self, key):
        return k.need(self.cache).get(key)

    def op_len(self):
        return len(k.need(self.cache))


def probe_lfu_mix(mod, size, budget):
    """Fill a cache of `size` and spread the counts (the first half of the keys is read once,
    so counts 1 and 2 each hold half the keys), then time the worst case: every put is a new
    key that evicts (the victim is the least recently used of the size/2 keys with count 1),
    and every get hits a key of the hot half, the least recently used of its count, moving it
    up one count (so the counts keep spreading)."""
    cache = mod.LFUCache(size)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    hot = size // 2
    for i in range(hot):
        cache.get(i)
        if i % 512 == 0:
            budget.check(size + i)
    state = {"step": 0}

    def batch():
        start = state["step"]
        check = 0
        for j in range(start, start + MIX_BATCH):
            cache.put(size + j, j)
            check += cache.get(j % hot)
            if j % 16 == 0:
                budget.check(None)  # a cache that scans every key is abandoned in time
        state["step"] = start + MIX_BATCH
        return 2 * MIX_BATCH, check

    return k.Timed(batch, 9)


def probe_lfu_evict(mod, size, budget):
    """Eviction-heavy: every timed operation puts a new key into the full cache, so every put
    evicts the least recently used key of count 1. Before timing, the cache of `size` is
    filled and its older half is read once (in age order), moving those keys to count 2.

    This exposes buckets kept as plain dicts (move a key with del + insert, evict
    next(iter(bucket))): CPython leaves a deleted key's slot empty at its place in the dict's
    entries array until the dict next grows, so the count-1 bucket starts with a run of empty
    slots (the keys read, then every victim) that next(iter(bucket)) walks past on every
    eviction: O(n) per put. An OrderedDict's popitem(last=False) or a linked list is O(1)."""
    cache = mod.LFUCache(size)
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
