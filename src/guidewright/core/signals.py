"""Ctrl-C and SIGTERM held back while a write that must not be cut runs (a page and its
answers file, a batch of pages, the workers writing them stopping), and never dropped
by a finalizer they land in."""

from __future__ import annotations

import contextlib
import inspect
import signal
import sys
import threading
import weakref
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
_installed = False
# An interrupt a finalizer took, not raised again yet.
_pending = False
# Set by the entry point once its command is over, when it ignores Ctrl-C from then on: a
# kept interrupt is dropped too. Set by a store, not a call: a call enters a function,
# where a kept interrupt would be raised.
command_over = False


def interrupts_in_finalizers_delivered() -> None:
    """A Ctrl-C (or SIGTERM) that lands while a finalizer runs stops the command just
    after the finalizer, as it would anywhere else.

    Python raises a signal's KeyboardInterrupt in whatever code runs when it comes. In a
    finalizer (an object's `__del__`, such as `subprocess.Popen.__del__` when a git
    call's object is freed; a weakref callback, such as an import lock's clean-up) it
    prints "Exception ignored in ..." with a traceback, drops the exception, and the run
    goes on as if no Ctrl-C had come (seen under load). It hands the exception to
    `sys.unraisablehook` first: there, an interrupt in the main thread is kept, and
    raised again as the next function is entered (`_raised_on_entry`), or between two
    callbacks of a running asyncio loop, or at the latest when the command ends
    (`finalizer_interrupt_raised`)."""
    global _installed, _unraisable_before
    if not _installed:  # not by the hook's identity: another hook may hand reports to it
        _installed = True
        _unraisable_before = sys.unraisablehook
        sys.unraisablehook = _interrupt_kept


def finalizer_interrupt_raised() -> None:
    """KeyboardInterrupt, if a finalizer took one that was not raised again: for the end
    of a command, where no function may be entered after the finalizer."""
    global _pending
    if _pending:
        _pending = False
        if sys.gettrace() is _raised_on_entry:
            sys.settrace(None)
        raise KeyboardInterrupt


def _interrupt_kept(unraisable: sys.UnraisableHookArgs) -> None:
    global _pending
    interrupt = issubclass(unraisable.exc_type, KeyboardInterrupt)
    if interrupt and threading.current_thread() is threading.main_thread():
        loop = _running_loop()
        if loop is not None:
            # Between two callbacks, where asyncio takes an interrupt as it takes a
            # Ctrl-C's (one raised inside a task's step could leave it unscheduled).
            _pending = True
            loop.call_soon(finalizer_interrupt_raised)
            return
        # A tracer running (a debugger's, coverage's) is left alone, and the report
        # with it: Python removes for good a trace function that raises.
        if sys.gettrace() in (None, _raised_on_entry):
            _pending = True
            sys.settrace(_raised_on_entry)
            return
    _unraisable_before(unraisable)  # as Python reports it, and only then


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


def _raised_on_entry(frame: FrameType, event: str, arg: object) -> None:
    """The trace function while an interrupt is kept, called as each function is entered
    (and as a generator or coroutine steps on): it raises the interrupt as a function is
    entered, where Python itself raises a signal's (never at a line, which may lie past
    the `try` or `with` that held the code cut in on). Not in clean-up (`_in_clean_up`,
    or a generator's own as it is closed), where it would be dropped again or would cut
    the clean-up short; not while an interrupt is being handled, which it joins; not
    once the command is over (the entry point then ignores Ctrl-C)."""
    global _pending
    handled = sys.exception()
    stepped = frame.f_code.co_flags & _STEPPED
    if stepped or isinstance(handled, GeneratorExit) or _in_clean_up(frame):
        return  # no trace inside it; the next function entered is asked again
    sys.settrace(None)
    _pending = False
    if isinstance(handled, KeyboardInterrupt) or (
        handled is not None and isinstance(handled.__cause__, KeyboardInterrupt)
    ):
        return
    if command_over:
        return
    raise KeyboardInterrupt


# Generators and coroutines: their frames are "called" at each step, where Python raises
# no signal's interrupt.
_STEPPED = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
# Functions whose callees are clean-up: a finalizer (another object freed with the first),
# a context manager's exit (a `with` whose last line freed the object: its exit runs
# whole, and the interrupt lands after it), a file's close (its finalizer calls it).
_CLEAN_UP = frozenset({"__del__", "__exit__", "close"})


def _in_clean_up(frame: FrameType | None) -> bool:
    """Whether `frame` runs for clean-up: under a `_CLEAN_UP` function, a weakref's
    callback (handed its dead weakref) or this module's hook."""
    while frame is not None:
        code = frame.f_code
        if code.co_name in _CLEAN_UP or code is _interrupt_kept.__code__:
            return True
        if _called_back_by_a_weakref(frame):
            return True
        frame = frame.f_back
    return False


def _called_back_by_a_weakref(frame: FrameType) -> bool:
    """Whether one of the frame's first two arguments is a dead weakref: a weakref's
    callback (`weakref.finalize`'s among them) is handed the weakref it was set on."""
    code = frame.f_code
    arguments = code.co_varnames[: min(code.co_argcount, 2)]
    if not arguments:
        return False
    values = frame.f_locals
    return any(
        isinstance(ref := values.get(name), weakref.ref) and ref() is None for name in arguments
    )
