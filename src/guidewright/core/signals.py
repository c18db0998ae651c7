"""Ctrl-C and SIGTERM held back while a write that must not be cut runs (a page and its
answers file, a batch of pages, the workers writing them stopping), and never dropped
by a finalizer they land in."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

# The signals that stop a command: Ctrl-C, and SIGTERM (a cancelled CI job) alike.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block ends (then they are delivered).

    Blocked in this thread (and so in the threads it starts meanwhile), and, in the main
    thread, also caught and remembered: the kernel may hand the signal to another thread
    that does not block it (a library's I/O thread), and Python would then raise it in
    the main thread in the middle of the block."""
    caught: list[int] = []
    handlers: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in STOP_SIGNALS:
            handlers[number] = signal.signal(number, lambda got, _: caught.append(got))
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a blocked one lands in `caught`
        for held, handler in handlers.items():
            signal.signal(held, handler)
        for got in dict.fromkeys(caught):
            signal.raise_signal(got)  # now, with the handlers the block found


# The hook found when this module's own was set: every other report is handed to it.
_unraisable_before = sys.__unraisablehook__
_installed = False
# An interrupt a finalizer took, not raised again yet.
_pending = False


def interrupts_in_finalizers_delivered() -> None:
    """A Ctrl-C (or SIGTERM) that lands while a finalizer runs still stops the command: at
    its next step (`finalizer_interrupt_raised`), at the latest as it ends.

    Python raises a signal's KeyboardInterrupt in whatever code runs when it comes. In a
    finalizer (an object's `__del__`, such as `subprocess.Popen.__del__` when a git
    call's object is freed; a weakref callback, such as an import lock's clean-up) it
    prints "Exception ignored in ..." with a traceback, drops the exception, and the run
    goes on as if no Ctrl-C had come (seen under load). It hands the exception to
    `sys.unraisablehook` first: there, an interrupt in the main thread is kept, without
    the traceback.

    Kept, not raised at the next function entered: what runs right after a finalizer is
    often more clean-up (the rest of a batch of objects freed together, a `with`'s
    exit), which a raise would cut short, and telling clean-up from the rest as the code
    runs (a trace function) proved slow and partial. A running asyncio loop (the
    language server's) raises it between two callbacks, where asyncio takes a Ctrl-C's."""
    global _installed, _unraisable_before
    if not _installed:  # not by the hook's identity: another hook may hand reports to it
        _installed = True
        _unraisable_before = sys.unraisablehook
        sys.unraisablehook = _interrupt_kept


def finalizer_interrupt_raised() -> None:
    """KeyboardInterrupt, if a finalizer took one that was not raised yet: called where a
    command steps on (each item of a parallel map, each batch a write session writes)
    and as it ends, where a Ctrl-C's interrupt may land as well as anywhere."""
    global _pending
    if _pending:
        _pending = False
        raise KeyboardInterrupt


def _interrupt_kept(unraisable: sys.UnraisableHookArgs) -> None:
    global _pending
    interrupt = issubclass(unraisable.exc_type, KeyboardInterrupt)
    if not interrupt or threading.current_thread() is not threading.main_thread():
        _unraisable_before(unraisable)  # as Python reports it, and only then
        return
    _pending = True
    loop = _running_loop()
    if loop is not None:
        loop.call_soon(finalizer_interrupt_raised)


def _running_loop() -> Any:
    """This thread's running asyncio loop, if asyncio is loaded at all (not loaded here:
    most commands never need it)."""
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
