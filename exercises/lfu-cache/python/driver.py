"""Hidden driver for lfu-cache (Python). Operations: new C, put K V, get K, len."""

import time

import kata_harness as k

REQUIRED = ("LFUCache",)

BATCH_NS = 25_000_000  # a timed batch stops early after 25 ms (see probe_lfu_mix)


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
    up one count (so the counts keep spreading).

    A batch stops early once it has run for BATCH_NS: a cache that scans every key on each
    eviction is then still measured (its time per operation), within the budget."""
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
        stop_at = time.perf_counter_ns() + BATCH_NS
        j = start
        while j < start + 256:
            cache.put(size + j, j)
            cache.get(j % hot)
            j += 1
            if time.perf_counter_ns() > stop_at:
                break
        state["step"] = j
        return 2 * (j - start)

    return k.measure(batch, budget, repeats=9)
