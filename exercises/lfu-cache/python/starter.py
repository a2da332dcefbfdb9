"""LFU cache: see README.md for the full statement."""


class LFUCache:
    def __init__(self, capacity: int) -> None:
        """Create a cache holding at most `capacity` keys (capacity < 1 -> ValueError)."""
        raise NotImplementedError("LFUCache.__init__")

    def get(self, key: int) -> int:
        """Return the value for `key`, or -1 when absent. A hit adds 1 to the key's use count
        and makes it the most recently used."""
        raise NotImplementedError("LFUCache.get")

    def put(self, key: int, value: int) -> None:
        """Insert `key` with count 1, or update its value and add 1 to its count; either way it
        becomes the most recently used. A new key in a full cache first evicts the key with the
        lowest count (the least recently used among equal counts)."""
        raise NotImplementedError("LFUCache.put")

    def __len__(self) -> int:
        """The number of keys stored."""
        raise NotImplementedError("LFUCache.__len__")
