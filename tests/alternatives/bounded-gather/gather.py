"""gather_bounded with asyncio.gather over one task per job, each holding an
asyncio.Semaphore(limit) while its job runs.

An alternative solution to the bounded-gather exercise, used by tests/cli/python_track.rs: kata must
accept it. As in semaphore.py, the tasks start in input order and the
semaphore serves its waiters first come, first served; a failure is recorded before the
failing job gives its slot back, so a job woken after that does not start. asyncio.gather
reports the first failure (the very exception) but leaves the other tasks running: the
`finally` cancels and awaits them, also when gather_bounded itself is cancelled.
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
    failed = []

    async def run(i):
        async with sem:
            if failed:
                return
            started[i] = True
            job = jobs[i]
            try:
                results[i] = await (job if inspect.isawaitable(job) else job())
            except Exception:
                failed.append(i)
                raise

    tasks = [asyncio.ensure_future(run(i)) for i in range(len(jobs))]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        _close_unstarted(jobs, started)
    return results


def _close_unstarted(jobs, started):
    """Coroutine objects that will never run are closed (no "never awaited" warning)."""
    for job, s in zip(jobs, started):
        if not s and inspect.iscoroutine(job):
            job.close()
