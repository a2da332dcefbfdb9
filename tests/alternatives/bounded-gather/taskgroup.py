"""gather_bounded with asyncio.TaskGroup (Python 3.11+) over one task per job, each holding
an asyncio.Semaphore(limit) while its job runs.

An alternative solution to the bounded-gather exercise, used by tests/cli/python_track.rs: kata must
accept it. The group starts the tasks in input order and the semaphore serves its waiters
first come, first served. When a job fails, the group cancels the other tasks and waits for
them (also when gather_bounded itself is cancelled); its ExceptionGroup is unwrapped and the
first failure, recorded before the failing job gave its slot back, is re-raised itself.
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

    try:
        async with asyncio.TaskGroup() as group:
            for i in range(len(jobs)):
                group.create_task(run(i))
    except BaseExceptionGroup:  # noqa: F821 (a builtin since 3.11)
        if failures:
            raise failures[0] from None
        raise
    finally:
        _close_unstarted(jobs, started)
    return results


def _close_unstarted(jobs, started):
    """Coroutine objects that will never run are closed (no "never awaited" warning)."""
    for job, s in zip(jobs, started):
        if not s and inspect.iscoroutine(job):
            job.close()
