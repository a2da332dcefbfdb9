"""LRU cache: see README.md for the full statement."""


class LRUCache:
    def __init__(self, capacity: int) -> None:
        """Create a cache holding at most `capacity` keys (capacity < 1 -> ValueError)."""
        raise NotImplementedError("LRUCache.__init__")

    def get(self, key: int) -> int:
        """Return the value for `key`, or -1 when absent; makes `key` the most recently used."""
        raise NotImplementedError("LRUCache.get")

    def put(self, key: int, value: int) -> None:
        """Insert or update `key`; makes it the most recently used. When the cache is over
        capacity, evict the least recently used key."""
        raise NotImplementedError("LRUCache.put")

    def __len__(self) -> int:
        """The number of keys stored."""
        raise NotImplementedError("LRUCache.__len__")
