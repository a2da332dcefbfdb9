"""LRU cache: a dict from key to node plus a doubly linked list ordered by recency.

Both get and put are O(1). (collections.OrderedDict gives the same in fewer lines, with
move_to_end and popitem(last=False); interviewers often ask for the structure underneath.)
"""


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

    def _unlink(self, node):
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node):
        node.prev = self.head
        node.next = self.head.next
        self.head.next.prev = node
        self.head.next = node

    def get(self, key: int) -> int:
        node = self.nodes.get(key)
        if node is None:
            return -1
        self._unlink(node)
        self._push_front(node)
        return node.value

    def put(self, key: int, value: int) -> None:
        node = self.nodes.get(key)
        if node is not None:
            node.value = value
            self._unlink(node)
            self._push_front(node)
            return
        if len(self.nodes) == self.capacity:
            oldest = self.head.prev
            self._unlink(oldest)
            del self.nodes[oldest.key]
        node = _Node(key, value)
        self.nodes[key] = node
        self._push_front(node)

    def __len__(self) -> int:
        return len(self.nodes)
