"""gather_bounded: run awaitables with at most `limit` at once, results in input order.

`min(limit, len(jobs))` worker tasks share one position in the list of jobs; each takes the
next job not yet taken (reading and bumping the position is one step: no await in between,
so no other task can run there) and awaits it, so a worker that finishes starts the next job
at once. Results go into their job's slot. A failing job stops the workers from taking any
more (the failure is recorded before its worker's step ends, so a worker running later in
the same loop iteration sees it); then the running jobs are cancelled and awaited, and the
first failure is raised itself. The clean-up sits in a `finally`, so it also runs when
gather_bounded itself is cancelled: nothing outlives the call.
"""

import asyncio
import inspect


async def gather_bounded(jobs, limit):
    jobs = list(jobs)
    if limit < 1:
        _close_unstarted(jobs)
        raise ValueError("limit must be >= 1, got %r" % (limit,))
    if not jobs:
        return []
    results = [None] * len(jobs)
    failures = []
    position = 0

    async def worker():
        nonlocal position
        while not failures and position < len(jobs):
            i = position
            position += 1
            job = jobs[i]
            try:
                results[i] = await (job if inspect.isawaitable(job) else job())
            except Exception as error:
                failures.append(error)
                raise

    workers = [asyncio.ensure_future(worker()) for _ in range(min(limit, len(jobs)))]
    try:
        await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for w in workers:
            w.cancel()
        # Wait until every job has finished; what they raise while cancelled is ignored.
        await asyncio.gather(*workers, return_exceptions=True)
        _close_unstarted(jobs[position:])
    if failures:
        raise failures[0]
    return results


def _close_unstarted(jobs):
    """Coroutine objects that will never run are closed (no "never awaited" warning)."""
    for job in jobs:
        if inspect.iscoroutine(job):
            job.close()
