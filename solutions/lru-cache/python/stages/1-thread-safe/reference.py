"""LRU cache, thread-safe: a dict from key to node plus a doubly linked list ordered by
recency, with one lock around every operation.

Even get needs the lock: a hit moves its node to the front of the list, so readers write
too (a read-write lock would not help). get_or_put checks and inserts under one
acquisition, so two threads asking for the same missing key agree on one value.
"""

import threading


class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key=0, value=0):
        self.key = key
        self.value = value
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

    def _insert(self, key, value):
        if len(self.nodes) == self.capacity:
            oldest = self.head.prev
            self._unlink(oldest)
            del self.nodes[oldest.key]
        node = _Node(key, value)
        self.nodes[key] = node
        self._push_front(node)

    def get(self, key: int) -> int:
        with self.lock:
            node = self.nodes.get(key)
            if node is None:
                return -1
            self._touch(node)
            return node.value

    def put(self, key: int, value: int) -> None:
        with self.lock:
            node = self.nodes.get(key)
            if node is not None:
                node.value = value
                self._touch(node)
            else:
                self._insert(key, value)

    def get_or_put(self, key: int, value: int) -> int:
        with self.lock:
            node = self.nodes.get(key)
            if node is not None:
                self._touch(node)
                return node.value
            self._insert(key, value)
            return value

    def __len__(self) -> int:
        with self.lock:
            return len(self.nodes)
