"""Spread independent work over a pool of processes; results come back in the order given.

Used by `build` (check and render each note) and `check` (check each note). On Linux the
workers are forked from this process, so what it has imported and cached (the kinds, the
templates' modules) they have without loading it again.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # imported when needed: multiprocessing costs a one-note command 20 ms
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


def workers_for(count: int, jobs: int | None) -> int:
    """Return how many processes to use for `count` items: `jobs`, or one per core."""
    return max(1, min(jobs or os.cpu_count() or 1, count))


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
    try:
        # Each future is let go once its result is handed on, so a round's outputs are not all
        # held in memory until the end.
        futures = deque(executor.submit(function, item) for item in items)
        for item in items:
            future = futures.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                result = broken(item)
            del future
            yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def beside(function: Callable[..., R], *args: object) -> Callable[[], R]:
    """Start `function(*args)` in another process; return what gives its result when done.

    For one large piece of work this process would otherwise do after its own (a round's
    workbook while the overview page is made). With one core, or if that process dies, the
    work is done here.
    """
    if (os.cpu_count() or 1) < 2:
        result = function(*args)
        return lambda: result
    from concurrent.futures.process import BrokenProcessPool

    executor = _pool(1)
    future = executor.submit(function, *args)

    def result() -> R:
        try:
            return future.result()
        except BrokenProcessPool:
            return function(*args)
        finally:
            executor.shutdown(wait=True)

    return result


def _pool(workers: int) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt)


def _ignore_interrupt() -> None:
    # Ctrl-C is for the parent, which stops handing out work and keeps what is done.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
