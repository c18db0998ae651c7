"""Ctrl-C and SIGTERM held back while a write that must not be cut runs (a page and its
answers file, a batch of pages, the workers writing them stopping), and never dropped
by a finalizer they land in."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
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


def interrupts_in_finalizers_delivered() -> None:
    """A Ctrl-C (or SIGTERM) that lands while a finalizer runs stops the command just
    after the finalizer, as it would anywhere else.

    Python raises a signal's KeyboardInterrupt in whatever code runs when it comes. In a
    finalizer (an object's `__del__`, such as `subprocess.Popen.__del__` when a git
    call's object is freed; a weakref callback, such as an import lock's clean-up) it
    prints "Exception ignored in ..." with a traceback, drops the exception, and the run
    goes on as if no Ctrl-C had come (seen under load). It hands the exception to
    `sys.unraisablehook` first: there, an interrupt in the main thread is raised again
    at the next step (a new line, a call) of the code the finalizer cut in on."""
    if sys.unraisablehook is not _interrupt_raised_again:
        global _unraisable_before
        _unraisable_before = sys.unraisablehook
        sys.unraisablehook = _interrupt_raised_again


def _interrupt_raised_again(unraisable: sys.UnraisableHookArgs) -> None:
    interrupt = issubclass(unraisable.exc_type, KeyboardInterrupt)
    if not interrupt or threading.current_thread() is not threading.main_thread():
        _unraisable_before(unraisable)  # as Python reports it, and only then
        return
    tracer = sys.gettrace()
    try:
        cut_in_on: FrameType | None = sys._getframe(1)  # below this hook's frame
    except ValueError:  # a finalizer run with no Python code under it
        cut_in_on = None

    def raised(frame: FrameType, event: str, arg: object) -> None:
        sys.settrace(tracer)  # the tracer found (a debugger's, coverage's), back
        if cut_in_on is not None:
            cut_in_on.f_trace = None
        raise KeyboardInterrupt

    # A frame's own trace function sees its next line; the global one, any call before.
    if cut_in_on is not None:
        cut_in_on.f_trace = raised
    sys.settrace(raised)
