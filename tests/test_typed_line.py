"""cli/typed_line.py: a prompt's line read from a terminal, and a Ctrl-C typed the moment the
prompt shows, which `input()` left waiting (a Ctrl-C sent at the first question of `adopt`
hung the run until a line was typed)."""

from __future__ import annotations

import ctypes
import functools
import operator
import os
import signal
import sys
import types
from collections.abc import Iterator

import pytest

from guidewright.cli import typed_line

# A bound on a wait that ends at once when it works, not a measure of anything.
WAIT = 30


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Standard input a terminal (canonical mode, as a shell leaves it); the primary end,
    where the test types."""
    primary, secondary = os.openpty()
    stdin = open(secondary, encoding="utf-8", closefd=False)  # noqa: SIM115
    monkeypatch.setattr(sys, "stdin", stdin)
    try:
        yield primary
    finally:
        stdin.close()
        os.close(secondary)
        os.close(primary)


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a command (a test runner's worker may not)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_lines_typed_are_read_one_at_a_time(terminal: int) -> None:
    os.write(terminal, "first\nsecond é\n".encode())
    assert typed_line.read_line() == "first"
    assert typed_line.read_line() == "second é"  # typed ahead: the next prompt's
    os.write(terminal, b"bad \xff byte\n")
    assert typed_line.read_line() == "bad \ufffd byte"
    os.write(terminal, b"half\x04")  # Ctrl-D after text: it waits for the line's end
    os.write(terminal, b" whole\n")
    assert typed_line.read_line() == "half whole"
    os.write(terminal, b"\x04")  # Ctrl-D on an empty line: the end of the input
    with pytest.raises(EOFError):
        typed_line.read_line()


def test_a_ctrl_c_that_comes_just_before_the_wait_ends_it(
    terminal: int, ctrl_c_raises: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGINT sent and the wait begun with no step of Python code between them (`map`,
    `partial` and the two calls are C): its handler has not run when the wait begins,
    as for a Ctrl-C typed between the prompt's printing and the read. The wait must end
    at once, and the handler then raise KeyboardInterrupt."""
    assert typed_line._terminal_descriptor() is not None  # else input() waits, unbounded
    libc = ctypes.CDLL(None, use_errno=True)
    real_poll = typed_line.select.poll
    # What each step returned, kept by `list.extend` (C too): the handler raises at the
    # first step of Python code after them.
    returned: list[object] = []

    class SigintThenWait:
        def __init__(self) -> None:
            self.poller = real_poll()

        def register(self, descriptor: int, events: int) -> None:
            self.poller.register(descriptor, events)

        def poll(self) -> object:
            calls = [
                functools.partial(libc.kill, os.getpid(), signal.SIGINT),
                functools.partial(self.poller.poll, WAIT * 1000),
            ]
            returned.extend(map(operator.call, calls))
            return returned[-1]

    namespace = types.SimpleNamespace(poll=SigintThenWait, POLLIN=typed_line.select.POLLIN)
    monkeypatch.setattr(typed_line, "select", namespace)
    before = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(before)
    with pytest.raises(KeyboardInterrupt):
        typed_line.read_line()
    assert len(returned) == 2 and returned[0] == 0  # the signal sent, then the wait
    assert returned[1], "the wait went on until its bound"
    assert signal.set_wakeup_fd(before) == before  # the wakeup file handed back as it was


def test_elsewhere_input_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a terminal (a pipe, a test runner's input): `input()`, as before."""
    read, write = os.pipe()
    os.write(write, b"piped\n")
    os.close(write)
    with open(read, encoding="utf-8") as pipe:
        monkeypatch.setattr(sys, "stdin", pipe)
        assert typed_line.read_line() == "piped"
        with pytest.raises(EOFError):
            typed_line.read_line()
