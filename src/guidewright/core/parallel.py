"""Map a function over many items on every core, when there are enough items.

Workers are forked, so they inherit what the parent has loaded (compiled templates, for
one); the function and items must still be picklable.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

from guidewright.core.errors import OperationFailed
from guidewright.core.signals import STOP_SIGNALS, finalizer_interrupt_raised, signals_held

Item = TypeVar("Item")
Result = TypeVar("Result")
Context = TypeVar("Context")

# In a worker only: the context `map_with_context` handed it when it was forked.
_WORKER_CONTEXT: list[Any] = []


def map_on_all_cores(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    minimum: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, in order, spread over the cores when
    `len(items) >= minimum` (below it, starting workers costs more than it saves)."""
    if not _parallel(len(items), minimum):
        results: list[Result] = []
        for number, item in enumerate(items, 1):
            finalizer_interrupt_raised()  # a Ctrl-C a finalizer took stops here
            results.append(function(item))
            if progress:
                progress(number, len(items))
        return results
    return _on_workers(function, items, _leave_signals_to_the_parent, (), progress)


def map_with_context(
    function: Callable[[Context, Item], Result],
    context: Context,
    items: Sequence[Item],
    *,
    minimum: int,
    work: int | None = None,
) -> list[Result]:
    """`[function(context, item) for item in items]`, as `map_on_all_cores`. The context (a
    site index, say) reaches each worker once, inherited when it is forked, never pickled:
    the caller keeps no process-wide state of its own. `work`: how much work the items
    are, in the caller's unit (bytes of pages, say), compared with `minimum` in its stead
    of their count."""
    return list(imap_with_context(function, context, items, minimum=minimum, work=work))


def imap_with_context(
    function: Callable[[Context, Item], Result],
    context: Context,
    items: Sequence[Item],
    *,
    minimum: int,
    work: int | None = None,
    first_here: bool = False,
) -> Generator[Result, None, None]:
    """`map_with_context`, each result yielded as it comes, in order: a caller that keeps
    only a little of each result never holds them all (100,000 pages' verdicts). Close it
    (`contextlib.closing`) to stop the workers of a stream left early. `first_here`: the
    first item is mapped in this process before the workers are forked, so that they
    inherit what it loaded on first need (modules imported, patterns compiled), which
    each would otherwise load again."""
    # One item is never worth a worker, whatever its work (one large page, say).
    if len(items) < 2 or not _parallel(len(items) if work is None else work, minimum):
        return _here(function, context, items)
    if first_here and len(items) > 2:  # two left at least: one would need no worker
        return _first_here(function, context, items)
    calls = [(function, item) for item in items]
    # With fork, initargs are inherited by the workers, not pickled.
    return _iter_on_workers(_call_with_context, calls, _receive_context, (context,))


def _here(
    function: Callable[[Context, Item], Result], context: Context, items: Sequence[Item]
) -> Generator[Result, None, None]:
    for item in items:
        finalizer_interrupt_raised()  # a Ctrl-C a finalizer took stops here
        yield function(context, item)


def _first_here(
    function: Callable[[Context, Item], Result], context: Context, items: Sequence[Item]
) -> Generator[Result, None, None]:
    """The first item's result, mapped here; then the others', on the workers (forked
    once the first is done: a stream closed before then forks none)."""
    yield function(context, items[0])
    calls = [(function, item) for item in items[1:]]
    yield from _iter_on_workers(_call_with_context, calls, _receive_context, (context,))


def _workers() -> int:
    return min(os.cpu_count() or 1, 8)


def _parallel(count: int, minimum: int) -> bool:
    if count < minimum or _workers() < 2:
        return False
    # Start-up: multiprocessing (and concurrent.futures) only where workers may be forked;
    # a run of a few pages judges them in this process.
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _on_workers(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    progress: Callable[[int, int], None] | None,
) -> list[Result]:
    results: list[Result] = []
    for number, result in enumerate(_iter_on_workers(function, items, initializer, initargs), 1):
        results.append(result)
        if progress:
            progress(number, len(items))
    return results


def _iter_on_workers(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
) -> Generator[Result, None, None]:
    import multiprocessing  # start-up: see `_parallel`
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = _workers()
    # Small enough that the last chunks end close together (a core idle at the end is lost
    # wall time), large enough that sending them costs little.
    chunk = max(1, min(50, len(items) // (workers * 16)))
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=initializer,
        initargs=initargs,
    )
    # What the parent holds when it forks (a site's index, its recorded answers) is frozen
    # out of the garbage collector's reach first: a worker's collections would otherwise
    # walk it and so copy every page of it into the worker (copy-on-write).
    gc.freeze()
    try:
        try:
            # Ctrl-C waits while the workers are forked, and they are born with it blocked
            # (a thread's signal mask is copied by fork) until they ignore it. Otherwise a
            # worker caught it before ignoring it and died with a traceback (the pool then
            # broke, or hung), and the parent's own KeyboardInterrupt, raised in the fork's
            # after-fork hooks, was printed and dropped: the run went on to the end.
            with signals_held():
                mapped = pool.map(function, items, chunksize=chunk)  # forks the workers
        finally:
            gc.unfreeze()
        for result in mapped:
            finalizer_interrupt_raised()  # a Ctrl-C a finalizer took stops here
            yield result
    except BrokenProcessPool as error:  # a worker killed (the OOM killer, say)
        pool.shutdown(wait=True, cancel_futures=True)
        message = f"a worker process stopped before its share was done ({error})"
        raise OperationFailed(message) from error
    except BaseException:  # Ctrl-C, an error, or GeneratorExit: a caller that stops early
        # The items not begun are dropped; those begun are finished (the workers ignore
        # SIGINT, and a page being written is never cut), and a second Ctrl-C waits until
        # they are: a caller may then read what they did.
        with signals_held():
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def _receive_context(context: object) -> None:
    _leave_signals_to_the_parent()
    _WORKER_CONTEXT[:] = [context]


def _call_with_context(call: tuple[Callable[[Any, Item], Result], Item]) -> Result:
    function, item = call
    return function(_WORKER_CONTEXT[0], item)


def _leave_signals_to_the_parent() -> None:
    """Workers ignore Ctrl-C, which a terminal sends to them too: the parent decides, and
    lets them finish what they have begun. SIGTERM stops a worker as it stops any process
    (a page being written holds it until the page is whole: `signals_held`): the pool
    itself terminates the others when one dies (Python 3.13 waits for them then)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited
    # Forked with both blocked (see _iter_on_workers): a Ctrl-C sent meanwhile is dropped
    # now, a SIGTERM stops the worker.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
