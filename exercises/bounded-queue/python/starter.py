"""Bounded blocking queue: see README.md for the full statement."""

import threading
import time


class BoundedBlockingQueue:
    def __init__(self, capacity: int) -> None:
        """An empty FIFO queue holding at most `capacity` items (capacity < 1 -> ValueError)."""
        raise NotImplementedError("BoundedBlockingQueue.__init__")

    def put(self, item, timeout=None) -> bool:
        """Store `item` at the back, waiting while the queue is full; True once stored. With a
        timeout (seconds, >= 0): False if the queue is still full when it runs out (0: do not
        wait), and the item is not stored."""
        raise NotImplementedError("BoundedBlockingQueue.put")

    def get(self, timeout=None):
        """Remove and return the oldest item, waiting while the queue is empty. With a timeout:
        raise TimeoutError if the queue is still empty when it runs out (0: do not wait)."""
        raise NotImplementedError("BoundedBlockingQueue.get")

    def __len__(self) -> int:
        """The number of items stored now."""
        raise NotImplementedError("BoundedBlockingQueue.__len__")
