"""Connection pool (asyncio): lend N connections to the tasks of one event loop.

    pool = Pool([conn1, conn2])
    async with pool.acquire(timeout=0.5) as conn:   # waits its turn (FIFO), at most 0.5 s
        ...                                         # conn goes back when the block is left
    await pool.close()

See README.md for the rules.
"""

import asyncio
import collections
import contextlib


class PoolClosed(Exception):
    """Raised by acquire once the pool is closed (or closing)."""


class Pool:
    def __init__(self, connections):
        """Lends these connections (any objects); an empty list -> ValueError."""
        raise NotImplementedError("Pool.__init__")

    @contextlib.asynccontextmanager
    async def acquire(self, timeout=None):
        """`async with pool.acquire() as conn:` waits for a connection (first come, first
        served, for at most `timeout` seconds: TimeoutError) and gives it back when the block
        is left, however it is left."""
        raise NotImplementedError("Pool.acquire")
        yield  # an async generator: @asynccontextmanager makes it an async context manager

    async def close(self):
        """Refuses new acquires, fails the waiting ones with PoolClosed, then returns once
        every borrowed connection is back."""
        raise NotImplementedError("Pool.close")

    @property
    def closed(self):
        raise NotImplementedError("Pool.closed")

    @property
    def available(self):
        """Connections in the pool now (not lent out)."""
        raise NotImplementedError("Pool.available")

    @property
    def in_use(self):
        """Connections lent out now."""
        raise NotImplementedError("Pool.in_use")
