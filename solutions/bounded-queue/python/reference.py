"""A bounded blocking queue: a deque guarded by one lock, and two conditions on that lock,
`not_empty` (consumers wait on it) and `not_full` (producers wait on it).

Every wait is a `while` loop that re-checks its condition: a woken thread may find that another
one took the item (or the room) first, since whoever takes the lock next wins. A timed wait
computes its deadline once and waits only for what is left of it after each wakeup. Each item
stored wakes one consumer and each item taken wakes one producer: with a condition per kind of
waiter, the thread woken is always one that can use the change, so notify() is enough.
"""

import threading
import time
from collections import deque


class BoundedBlockingQueue:
    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1, got %r" % (capacity,))
        self._capacity = capacity
        self._items = deque()
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)

    def put(self, item, timeout=None) -> bool:
        with self._lock:
            deadline = None if timeout is None else time.monotonic() + timeout
            while len(self._items) >= self._capacity:
                if deadline is None:
                    self._not_full.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._not_full.wait(remaining)
            self._items.append(item)
            self._not_empty.notify()
            return True

    def get(self, timeout=None):
        with self._lock:
            deadline = None if timeout is None else time.monotonic() + timeout
            while not self._items:
                if deadline is None:
                    self._not_empty.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError("the queue stayed empty for %s s" % timeout)
                    self._not_empty.wait(remaining)
            item = self._items.popleft()
            self._not_full.notify()
            return item

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
