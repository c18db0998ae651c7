"""Ctrl-C and SIGTERM held back while a write that must not be cut runs (a page and its
answers file, a batch of pages, the workers writing them stopping)."""

from __future__ import annotations

import contextlib
import signal
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
