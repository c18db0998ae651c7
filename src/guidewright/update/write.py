"""A document and its answers file change together or not at all.

Both new contents go to temporary files beside their targets first (a full disk or a
read-only folder fails here, before anything changed); then both are renamed. Ctrl-C and
SIGTERM are held back meanwhile, so an interruption lands before or after the pair, never
inside it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guidewright.atomic import write_temporary

# (target, its current content, its new content)
Change = tuple[Path, bytes, bytes]
_HELD = {signal.SIGINT, signal.SIGTERM}


class PairNotWritten(OSError):
    """Neither file of the pair changed; the message says why."""


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
        for number in _HELD:
            handlers[number] = signal.signal(number, lambda got, _: caught.append(got))
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a blocked one lands in `caught`
        for held, handler in handlers.items():
            signal.signal(held, handler)
        for got in dict.fromkeys(caught):
            signal.raise_signal(got)  # now, with the handlers the block found


def write_pair(first: Change, second: Change) -> None:
    """Replace both targets with their new contents, or neither (PairNotWritten)."""
    temporaries: list[Path] = []
    with signals_held():  # no interruption may leave a temporary file or half a pair
        try:
            for path, _, new in (first, second):
                temporaries.append(write_temporary(path, new))
            os.replace(temporaries[0], first[0])
            try:
                os.replace(temporaries[1], second[0])
            except OSError:
                # Put the first back as it was: the pair must not disagree.
                os.replace(write_temporary(first[0], first[1]), first[0])
                raise
        except OSError as error:
            raise PairNotWritten(f"could not write: {error.strerror or error}") from error
        finally:
            for temporary in temporaries:
                with contextlib.suppress(OSError):
                    temporary.unlink()
