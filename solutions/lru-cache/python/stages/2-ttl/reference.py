"""LRU cache, thread-safe, with an optional time to live per entry.

A dict from key to node plus a doubly linked list ordered by recency, with one lock around
every operation. Each node keeps its deadline (infinity when it has no TTL). Expiry is lazy:
get checks the deadline of the entry it finds and drops it when it has passed; an expired
entry nobody reads drifts to the least recently used end, where eviction takes it. So get
and put stay O(1): nothing ever scans for expired entries.
"""

from __future__ import annotations  # `float | None` on Python before 3.10

import math
import threading


class _Node:
    __slots__ = ("key", "value", "deadline", "prev", "next")

    def __init__(self, key=0, value=0, deadline=math.inf):
        self.key = key
        self.value = value
        self.deadline = deadline
        self.prev = self
        self.next = self


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.nodes = {}
        self.head = _Node()  # sentinel: head.next is the most recent, head.prev the least
        self.lock = threading.Lock()

    # The helpers below expect the lock to be held.

    def _unlink(self, node):
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node):
        node.prev = self.head
        node.next = self.head.next
        self.head.next.prev = node
        self.head.next = node

    def _touch(self, node):
        self._unlink(node)
        self._push_front(node)

    def _live(self, key, now):
        """The node of `key` if it is stored and not expired at `now`; an expired one is
        dropped on the way."""
        node = self.nodes.get(key)
        if node is not None and now >= node.deadline:
            self._unlink(node)
            del self.nodes[key]
            return None
        return node

    def _put(self, key, value, deadline):
        node = self.nodes.get(key)
        if node is not None:
            node.value = value
            node.deadline = deadline
            self._touch(node)
            return
        if len(self.nodes) == self.capacity:
            oldest = self.head.prev
            self._unlink(oldest)
            del self.nodes[oldest.key]
        node = _Node(key, value, deadline)
        self.nodes[key] = node
        self._push_front(node)

    def get(self, key: int, now: float = 0.0) -> int:
        with self.lock:
            node = self._live(key, now)
            if node is None:
                return -1
            self._touch(node)
            return node.value

    def put(self, key: int, value: int, ttl: float | None = None, now: float = 0.0) -> None:
        if ttl is not None and not ttl > 0:
            raise ValueError("ttl must be positive, got %r" % (ttl,))
        deadline = math.inf if ttl is None else now + ttl
        with self.lock:
            self._put(key, value, deadline)

    def get_or_put(self, key: int, value: int) -> int:
        with self.lock:
            node = self._live(key, 0.0)
            if node is not None:
                self._touch(node)
                return node.value
            self._put(key, value, math.inf)
            return value

    def __len__(self) -> int:
        with self.lock:
            return len(self.nodes)
