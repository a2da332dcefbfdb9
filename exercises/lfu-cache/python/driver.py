"""Hidden driver for lfu-cache (Python). Operations: new C, put K V, get K, len.

Follow-up 1 (decaying counts): new_decay C K (LFUCache(C, decay_every=K)), count KEY
(cache.count(KEY)), and the probe workload lfu_decay.
"""

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

    # ---- follow-up 1: decaying counts --------------------------------------------------------

    def op_new_decay(self, capacity, decay_every):
        self.cache = None
        self.cache = self.mod.LFUCache(capacity, decay_every=decay_every)
        return k.OK

    def op_count(self, key):
        return k.need(self.cache).count(key)


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


DECAY_BATCH = 30000  # operations per timed batch of lfu_decay, at least (whole periods)


def probe_lfu_decay(mod, size, budget):
    """A full cache of `size` that decays every `size` operations (decay_every = capacity),
    timed over whole decay periods: a batch is put a new key (which evicts), then get a recent
    key, for as many whole periods as make DECAY_BATCH operations (one at the largest size), so
    every batch holds whole decays, each halving `size` counts. Batches are equally long at
    every size, so a busy machine slows them alike. A decay in one O(n) pass costs O(1) per
    operation of its period; finding the victim by scanning the keys, or repairing buckets key
    by key with searches, does not."""
    period = size - size % 2  # even: a period is period / 2 put + get pairs
    pairs = max(1, DECAY_BATCH // period) * period // 2
    cache = mod.LFUCache(size, decay_every=period)
    for i in range(size):
        cache.put(i, i)
        if i % 512 == 0:
            budget.check(i)
    for i in range(size // 2):
        cache.get(i)
        if i % 512 == 0:
            budget.check(size + i)
    # Any `period` operations in a row hold exactly one decay, wherever the batches start.
    state = {"next": size}

    def batch():
        start = state["next"]
        check = 0
        for key in range(start, start + pairs):
            cache.put(key, key)
            check += cache.get(key - (key % 5) * 3)
            if key % 64 == 0:
                budget.check(None)  # a very slow cache is abandoned within the budget
        state["next"] = start + pairs
        return 2 * pairs + 2, check + cache.count(start) + len(cache)

    return k.Timed(batch, 3)
