"""gather_bounded, the textbook way: one task per job and one asyncio.Semaphore(limit).

An alternative solution to the bounded-gather exercise (the reference uses `limit` worker
tasks instead), used by tests/cli/python_track.rs: kata must accept it. The tasks are created in
input order, so asyncio starts them in that order (call_soon is FIFO) and the semaphore
wakes its waiters in the order they started waiting: a free slot always goes to the first
job nobody has taken. A job checks the "failed" flag once it holds its slot, in the same
step in which it would start; a failure is recorded before its slot is released. The
clean-up (cancel every task, wait for all of them) sits in a `finally`, so it also runs
when gather_bounded itself is cancelled.
"""

import asyncio
import inspect


async def gather_bounded(jobs, limit):
    jobs = list(jobs)
    started = [False] * len(jobs)
    if limit < 1:
        _close_unstarted(jobs, started)
        raise ValueError("limit must be >= 1, got %r" % (limit,))
    sem = asyncio.Semaphore(limit)
    results = [None] * len(jobs)
    failures = []

    async def run(i):
        async with sem:
            if failures:
                return
            started[i] = True
            job = jobs[i]
            try:
                results[i] = await (job if inspect.isawaitable(job) else job())
            except Exception as error:
                failures.append(error)
                raise

    tasks = [asyncio.ensure_future(run(i)) for i in range(len(jobs))]
    try:
        if tasks:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        _close_unstarted(jobs, started)
    if failures:
        raise failures[0]
    return results


def _close_unstarted(jobs, started):
    """Coroutine objects that will never run are closed (no "never awaited" warning)."""
    for job, s in zip(jobs, started):
        if not s and inspect.iscoroutine(job):
            job.close()
