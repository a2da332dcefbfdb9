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
        for key in range(start, start + 200):
            cache.put(key, key)
            cache.get(key - size + 1)
            cache.get(key - 1)
        state["next"] = start + 200
        return 600

    return k.measure(batch, budget)
