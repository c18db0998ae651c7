"""A line typed at a prompt, where Ctrl-C interrupts however soon it is typed.

`input()` waits in a plain read of the terminal. Ctrl-C makes the kernel send SIGINT, whose
handler (KeyboardInterrupt) Python runs between two steps of its own code. A Ctrl-C typed
between the prompt being printed and that read beginning (the moment the prompt shows is
when an author or a script types it) is then caught before the read and acted on only when
the read returns: the prompt waits on, the interrupt lost until a line is typed. Here the
wait also watches the signal's wakeup file (`signal.set_wakeup_fd`), which the signal
writes to whenever it comes, so the wait ends and the handler runs.

Only where standard input is a terminal and this is the main thread (the one that handles
signals); elsewhere (a pipe, a test's runner) `input()` reads it, as before.
"""

from __future__ import annotations

import errno
import os
import select
import signal
import sys
import threading

from guidewright.core.signals import STOP_SIGNALS

# A line of a terminal in canonical mode is at most 4,096 bytes (Linux's N_TTY buffer);
# a read returns one line, never more, so nothing typed ahead is taken from the next prompt.
_LINE_BYTES = 65_536


def read_line() -> str:
    """A line from standard input without its end, as `input()` gives it (EOFError at the
    end of the input; a line ended by Ctrl-D rather than Enter waits for one or the
    other again, as `input()` does); KeyboardInterrupt for a Ctrl-C typed at any moment
    of the wait. Bytes that are not the terminal's encoding are read as U+FFFD (shown
    back in what the command prints), never a traceback."""
    descriptor = _terminal_descriptor()
    if descriptor is None:
        return input()
    data = b""
    # Ctrl-C and SIGTERM wait while the wakeup file is installed and put back: one that
    # came in between would leave a closed descriptor installed, or the file open. Once
    # installed, one that waited is delivered: the wait sees it at once.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    previous: int | None = None
    wakeup_read = wakeup_write = -1
    try:
        wakeup_read, wakeup_write = os.pipe()
        os.set_blocking(wakeup_write, False)  # as set_wakeup_fd requires
        previous = signal.set_wakeup_fd(wakeup_write, warn_on_full_buffer=False)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        while not data.endswith(b"\n"):
            part = _wait_and_read(descriptor, wakeup_read)
            if not part:  # the end of the input (Ctrl-D on a line of its own)
                break
            data += part
    finally:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        if previous is not None:
            signal.set_wakeup_fd(previous)
        for end in (wakeup_read, wakeup_write):
            if end >= 0:
                os.close(end)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if not data:
        raise EOFError
    encoding = getattr(sys.stdin, "encoding", None) or "utf-8"
    return data.decode(encoding, "replace").removesuffix("\n")


def _terminal_descriptor() -> int | None:
    """Standard input's descriptor, when it is a terminal read in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        descriptor = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by one with no descriptor
        return None
    return descriptor if os.isatty(descriptor) else None


def _wait_and_read(descriptor: int, wakeup: int) -> bytes:
    """What the terminal has next, once it is ready. A signal that came (before the wait
    or during it) ends the wait; its handler runs as this loop goes on: Ctrl-C raises
    KeyboardInterrupt there, another (a resized window) waits again. poll, not select:
    any descriptor number."""
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    poller.register(wakeup, select.POLLIN)
    while True:
        ready = {number for number, _ in poller.poll()}
        if wakeup in ready:
            os.read(wakeup, 512)  # emptied: the next wait waits
            continue
        try:
            return os.read(descriptor, _LINE_BYTES)
        except OSError as error:  # the terminal hung up (its window closed): the end
            if error.errno == errno.EIO:
                return b""
            raise
