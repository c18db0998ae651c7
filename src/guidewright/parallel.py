"""Map a function over many items on every core, when there are enough items.

Workers are forked, so they inherit what the parent has loaded (compiled templates, for
one); the function and items must still be picklable.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_on_all_cores(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    minimum: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, in order, spread over the cores when
    `len(items) >= minimum` (below it, starting workers costs more than it saves)."""
    workers = min(os.cpu_count() or 1, 8)
    parallel = len(items) >= minimum and workers > 1 and "fork" in mp.get_all_start_methods()
    results: list[Result] = []
    if not parallel:
        for number, item in enumerate(items, 1):
            results.append(function(item))
            if progress:
                progress(number, len(items))
        return results
    chunk = max(1, min(50, len(items) // (workers * 4)))
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for number, result in enumerate(pool.map(function, items, chunksize=chunk), 1):
            results.append(result)
            if progress:
                progress(number, len(items))
    return results
