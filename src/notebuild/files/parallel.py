"""Spread independent work over a pool of processes; results come back in the order given.

Used by `build` (check and render each note) and `check` (check each note). On Linux the
workers are forked from this process, so what it has imported and cached (the kinds, the
templates' modules) they have without loading it again.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # imported when needed: multiprocessing costs a one-note command 20 ms
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


# More workers than this per core only add memory and switching: `--jobs 600` on two cores
# started 600 processes (8.7 GB, 27 s instead of 6 s).
MAX_JOBS_PER_CORE = 4


def cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def job_cap() -> int:
    """Return the most processes a command starts, whatever --jobs asks."""
    return MAX_JOBS_PER_CORE * cores()


def workers_for(count: int, jobs: int | None) -> int:
    """Return how many processes to use for `count` items: `jobs` (capped), or one per core."""
    return max(1, min(jobs or cores(), job_cap(), count))


def ordered(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int | None,
    broken: Callable[[T], R],
) -> Iterator[R]:
    """Yield `function(item)` for each item, in order, computed in up to `jobs` processes.

    With one process (or one item) the work is done here. When a worker dies (killed, out
    of memory) the pool is lost: each item not done by then yields `broken(item)`.
    """
    items = list(items)
    workers = workers_for(len(items), jobs)
    if workers <= 1:
        yield from map(function, items)
        return
    from concurrent.futures.process import BrokenProcessPool

    executor = _pool(workers)
    size = chunk_size(len(items), workers)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    try:
        # Each future is let go once its results are handed on, so a round's outputs are not
        # all held in memory until the end.
        futures = deque(executor.submit(_each, function, chunk) for chunk in chunks)
        for chunk in chunks:
            future = futures.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                results = [broken(item) for item in chunk]
            del future
            yield from results
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


# Items go to the workers a few at a time: one task per item cost the parent ~0.4 ms each in
# pickling and queueing, a fifth of checking a note. Few enough that the last tasks still
# spread over the cores.
MAX_CHUNK = 4
TASKS_PER_WORKER = 16


def chunk_size(count: int, workers: int) -> int:
    """Return how many items a task carries: 1 for short lists, at most MAX_CHUNK."""
    return max(1, min(MAX_CHUNK, count // (workers * TASKS_PER_WORKER)))


def _each(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


def _pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    # What this process holds now (modules, the kinds, the templates) lives as long as the
    # workers: frozen, the collector in each worker never walks it again (and the pages stay
    # shared after fork). A round's notes make many short-lived objects: collected less often.
    gc.freeze()
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker)


def _start_worker() -> None:
    # Ctrl-C is for the parent, which stops handing out work and keeps what is done.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


# The collector's thresholds in a worker: a note's objects are freed by reference counting;
# cycles are few, so looking for them every 700 allocations (the default) only costs time
# (checking 500 notes: 8 % of their CPU time).
WORKER_GC_THRESHOLDS = (20000, 50, 100)
