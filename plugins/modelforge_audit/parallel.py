"""Map a function over many items on every core, results in the items' order.

A tree of thousands of task files is parsed several times faster by a process pool than by
one process (the parser is pure Python); a handful of files is done before a pool starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

MIN_ITEMS_PER_WORKER = 32  # fewer, and starting a process costs more than it saves

_function: Callable[[Any], Any] | None = None  # set in each worker by _install


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[Any], Any], items: list[Any], workers: int | None = None
) -> Iterator[Any]:
    """function(item) for each item, in order; in worker processes when there are enough items.

    function must be picklable where processes are spawned rather than forked.
    """
    workers = min(cpus() if workers is None else workers, len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2:
        yield from map(function, items)
        return
    executor = ProcessPoolExecutor(workers, initializer=_install, initargs=(function,))
    try:
        # Small chunks keep every worker busy to the end; each chunk is one round trip.
        yield from executor.map(_call, items, chunksize=max(1, len(items) // (workers * 16)))
    finally:
        # Stopped early (an interrupt from a progress callback): drop what has not started.
        executor.shutdown(wait=True, cancel_futures=True)


def _install(function: Callable[[Any], Any]) -> None:
    global _function
    _function = function


def _call(item: Any) -> Any:
    return _function(item)
