"""A connection pool for asyncio: a fixed set of connections lent to one task at a time.

Idle connections wait in a deque, and so do the borrowers: each waiting borrower parks on a
future of its own. A connection that comes back is handed straight to the first waiter whose
future is still pending (set_result), so a newcomer arriving at that moment finds nothing idle
and queues behind: no barging. A waiter leaves the queue however its wait ends (served,
timed out, cancelled, closed); one that is cancelled just after a connection was handed to it
passes that connection on. The give-back sits in the `finally` of the context manager, so it
runs when the body returns, raises or is cancelled.
"""

import asyncio
import collections
import contextlib


class PoolClosed(Exception):
    """acquire on a closed (or closing) pool."""


class Pool:
    def __init__(self, connections):
        self._idle = collections.deque(connections)
        if not self._idle:
            raise ValueError("a pool needs at least one connection")
        self._size = len(self._idle)
        self._waiters = collections.deque()  # futures of waiting borrowers, first come first
        self._closers = []  # futures of close() calls waiting for every connection
        self._closed = False

    @contextlib.asynccontextmanager
    async def acquire(self, timeout=None):
        conn = await self._get(timeout)
        try:
            yield conn
        finally:
            self._put(conn)

    async def _get(self, timeout):
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be >= 0, got %r" % (timeout,))
        if self._closed:
            raise PoolClosed("the pool is closed")
        if self._idle and not self._waiters:
            return self._idle.popleft()
        if timeout == 0:
            raise TimeoutError("no idle connection")
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self._waiters.append(waiter)
        timer = None
        if timeout is not None:
            timer = loop.call_later(timeout, self._expire, waiter, timeout)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # Cancelled after a connection was handed to us: it belongs to the next one.
                self._put(waiter.result())
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    @staticmethod
    def _expire(waiter, timeout):
        if not waiter.done():
            waiter.set_exception(TimeoutError("no connection within %s s" % timeout))

    def _put(self, conn):
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # not timed out, cancelled or closed under it
                waiter.set_result(conn)
                return
        self._idle.append(conn)
        if len(self._idle) == self._size:
            for closer in self._closers:
                if not closer.done():
                    closer.set_result(None)
            self._closers.clear()

    async def close(self):
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(PoolClosed("the pool was closed"))
        if len(self._idle) < self._size:
            closer = asyncio.get_running_loop().create_future()
            self._closers.append(closer)
            await closer

    @property
    def closed(self):
        return self._closed

    @property
    def available(self):
        return len(self._idle)

    @property
    def in_use(self):
        return self._size - len(self._idle)
