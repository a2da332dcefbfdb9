"""Bounded gather (asyncio): run many jobs with at most `limit` at once.

    results = await gather_bounded([fetch(url) for url in urls], limit=8)

See README.md for the rules.
"""

import asyncio


async def gather_bounded(jobs, limit):
    """Awaits every job (an awaitable, or a callable taking no argument that returns one),
    at most `limit` at the same moment, and returns their results in input order. The first
    job to fail stops everything: the jobs still running are cancelled and awaited, and its
    exception is raised."""
    raise NotImplementedError("gather_bounded")
