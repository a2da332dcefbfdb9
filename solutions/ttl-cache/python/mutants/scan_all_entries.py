# bug: one plain dict and a use counter: a put into a full cache scans every entry for expired ones and then for the least recently used, and size scans them all; correct, but O(n) per operation
# caught-by: ttl_scaling


class TTLCache:
    def __init__(self, capacity, default_ttl):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        if default_ttl <= 0:
            raise ValueError("default_ttl must be positive")
        self.capacity = capacity
        self.default_ttl = default_ttl
        self.data = {}  # key -> [value, expires_at, last_used]
        self.clock = 0

    def put(self, key, value, now, ttl=None):
        if ttl is None:
            ttl = self.default_ttl
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.clock += 1
        entry = self.data.get(key)
        if (entry is None or now >= entry[1]) and len(self.data) >= self.capacity:
            for k in [k for k, e in self.data.items() if now >= e[1]]:
                del self.data[k]
            if len(self.data) >= self.capacity:
                oldest = min(self.data, key=lambda k: self.data[k][2])
                del self.data[oldest]
        self.data[key] = [value, now + ttl, self.clock]

    def get(self, key, now):
        entry = self.data.get(key)
        if entry is None:
            return None
        if now >= entry[1]:
            del self.data[key]
            return None
        self.clock += 1
        entry[2] = self.clock
        return entry[0]

    def size(self, now):
        return sum(1 for e in self.data.values() if now < e[1])
