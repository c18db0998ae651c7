"""core/signals.py: a Ctrl-C that lands in a finalizer is raised again after it.

Python's Ctrl-C handler raises KeyboardInterrupt in whatever code runs when the signal
comes; here a finalizer raises it itself, at the moment that handler would. The real
signal, in a real command, is test_interrupts.py's
`test_a_ctrl_c_in_a_finalizer_stops_the_command`."""

from __future__ import annotations

import asyncio
import io
import signal
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest
from support import stop_handlers_kept

from guidewright.core import signals


class _Finalized:
    """An object whose finalizer raises `raised`, having called `also` (if given)."""

    def __init__(
        self, raised: type[BaseException] | None, also: Callable[[], None] | None = None
    ) -> None:
        self.raised, self.also = raised, also

    def __del__(self) -> None:
        if self.also is not None:
            self.also()
        if self.raised is not None:
            raise self.raised


def _step_taken(steps: list[str], step: str) -> None:
    steps.append(step)


@pytest.fixture
def hook_set() -> Iterator[None]:
    """The hook set as the entry point sets it, and all of it put back after the test."""
    tracer = sys.gettrace()
    with stop_handlers_kept():
        signals._installed = False
        signals.interrupts_in_finalizers_delivered()
        yield
    assert sys.gettrace() is tracer, "a trace function was left"
    assert not signals._pending, "an interrupt was left"


@pytest.mark.usefixtures("hook_set")
def test_an_interrupt_in_a_finalizer_is_raised_as_the_next_function_is_entered() -> None:
    """Where Python raises a signal's interrupt itself: not at a line (a C function's
    call enters none), at the entry of the next function, however it is called."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        _Finalized(KeyboardInterrupt)  # freed at once: its finalizer runs here
        steps.append("a line, no function entered")
        _step_taken(steps, "a function entered")
    assert steps == ["a line, no function entered"]
    with pytest.raises(KeyboardInterrupt):  # freed before the call, on the same line
        _Finalized(KeyboardInterrupt) and _step_taken(steps, "a call on the same line")
    assert steps == ["a line, no function entered"]


class _Held:
    """A context manager whose exit calls a function, as most clean-ups do."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exception: object) -> None:
        _step_taken(self.steps, "exit began")
        _step_taken(self.steps, "exit ended")


@pytest.mark.usefixtures("hook_set")
def test_clean_up_runs_whole_before_the_interrupt() -> None:
    """A `with` whose last line freed the object exits whole, and the objects freed with
    it are finalized whole (their finalizers call functions too); the interrupt lands
    after both."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with _Held(steps):
            _Finalized(KeyboardInterrupt)
        _step_taken(steps, "after the with")
    assert steps == ["exit began", "exit ended"]


class _Weakly:
    """An object a weak reference with a callback can point at."""


class _Closing(io.RawIOBase):
    """A file of Python's io, whose finalizer closes it."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    def close(self) -> None:
        if not self.closed:
            _step_taken(self.steps, "a file's close")
        super().close()


def _stepping(steps: list[str]) -> Iterator[None]:
    try:
        yield
    finally:
        _step_taken(steps, "a freed generator's finally")


@pytest.mark.usefixtures("hook_set")
def test_the_finalizers_freed_with_it_run_whole() -> None:
    """A list frees its items last first: the Ctrl-C lands in the last one's finalizer,
    and the others, freed at the same instruction, run whole (a `__del__`, a file's
    close, a weakref's callback, a generator's `finally`), each calling a function;
    then the interrupt."""
    steps: list[str] = []
    weakly, stepping = _Weakly(), _stepping(steps)
    next(stepping)
    watch = weakref.ref(weakly, lambda ref: _step_taken(steps, "a weakref's callback"))
    freed = [
        _Finalized(None, lambda: _step_taken(steps, "a __del__")),
        _Closing(steps),
        weakly,
        stepping,
        _Finalized(KeyboardInterrupt),
    ]
    del weakly, stepping
    with pytest.raises(KeyboardInterrupt):
        del freed
        _step_taken(steps, "after")
    assert steps == [
        "a freed generator's finally",
        "a weakref's callback",
        "a file's close",
        "a __del__",
    ]
    assert watch() is None


@pytest.mark.usefixtures("hook_set")
def test_another_finalizer_s_report_is_made_and_the_interrupt_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A finalizer freed after the one the Ctrl-C landed in raises an error of its own:
    it is reported as before (its report is no function the interrupt lands in)."""
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(
        signals, "_unraisable_before", lambda report: reported.append(report.exc_type)
    )
    freed = [_Finalized(ValueError), _Finalized(KeyboardInterrupt)]
    with pytest.raises(KeyboardInterrupt):
        del freed
        _step_taken([], "after")
    assert reported == [ValueError]


def _numbers() -> Iterator[int]:
    yield 1
    yield 2


@pytest.mark.usefixtures("hook_set")
def test_a_generator_s_step_is_no_function_entered() -> None:
    """Python raises no signal's interrupt as a generator steps on: nor here."""
    steps: list[object] = []
    numbers = _numbers()
    next(numbers)
    with pytest.raises(KeyboardInterrupt):
        _Finalized(KeyboardInterrupt)
        steps.append(next(numbers))
        _step_taken([], "a function entered")
    assert steps == [2]


class _HeldAsynchronously:
    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    async def __aenter__(self) -> None:
        pass

    async def __aexit__(self, *exception: object) -> None:
        _step_taken(self.steps, "exit began")
        await asyncio.sleep(0)  # the step ends here: the task is cancelled at this await
        _step_taken(self.steps, "exit ended")


async def _frees_in_an_async_with(steps: list[str]) -> None:
    async with _HeldAsynchronously(steps):
        _Finalized(KeyboardInterrupt)
    await asyncio.sleep(0)
    _step_taken(steps, "after the async with")


@pytest.mark.usefixtures("hook_set")
def test_in_an_asyncio_loop_the_interrupt_lands_between_callbacks() -> None:
    """Where asyncio takes an interrupt as a Ctrl-C's (the language server runs in one):
    the task's step ends, then `asyncio.run` stops, cancelling the task at its await. A
    function entered inside the step, where the interrupt was raised before, could leave
    the task unscheduled, and `asyncio.run` waiting on it for ever."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        asyncio.run(_frees_in_an_async_with(steps))
    assert steps == ["exit began"]


@pytest.mark.usefixtures("hook_set")
def test_an_interrupt_being_handled_takes_the_one_kept_with_it() -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt) as raised:
        try:
            raise KeyboardInterrupt("the first")
        except KeyboardInterrupt:
            _Finalized(KeyboardInterrupt)  # a second Ctrl-C, while the first is handled
            _step_taken(steps, "the handler goes on")
            raise
    assert str(raised.value) == "the first"
    assert steps == ["the handler goes on"]


def test_a_tracer_running_is_left_alone_and_the_report_as_python_makes_it(
    hook_set: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A debugger's or coverage's trace function would be removed for good by one that
    raises: with one running, nothing is kept, and the report is Python's own."""
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(
        signals, "_unraisable_before", lambda report: reported.append(report.exc_type)
    )

    def tracer(frame: FrameType, event: str, arg: Any) -> None:
        return None

    steps: list[str] = []
    sys.settrace(tracer)
    try:
        _Finalized(KeyboardInterrupt)
        _step_taken(steps, "a function entered")
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(None)
    signals.finalizer_interrupt_raised()  # nothing kept: nothing raised
    assert steps == ["a function entered"]
    assert reported == [KeyboardInterrupt]


def _made(steps: list[str], number: int) -> _Finalized:
    """The objects of a C call's loop: the first takes the Ctrl-C as the loop frees it."""
    _step_taken(steps, f"made {number}")
    return _Finalized(KeyboardInterrupt if number == 0 else None)


@pytest.mark.usefixtures("hook_set")
def test_an_interrupt_taken_inside_a_c_call_lands_at_its_next_function() -> None:
    """`all()` frees each item it has tested: the Ctrl-C lands in the first one's
    finalizer, and is raised as `all` asks for the next item, not once `all` is done."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        all(_made(steps, number) for number in range(3))
    assert steps == ["made 0"]


@pytest.mark.usefixtures("hook_set")
def test_an_interrupt_is_kept_where_ctrl_c_is_ignored() -> None:
    """A shell's background job ignores Ctrl-C, and SIGTERM (a cancelled CI job) stops it
    with the same interrupt (cli's handler): one a finalizer took is raised all the same."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # put back by the fixture
    with pytest.raises(KeyboardInterrupt):
        _Finalized(KeyboardInterrupt)
        _step_taken([], "a function entered")


@pytest.mark.usefixtures("hook_set")
def test_once_the_command_is_over_the_interrupt_is_ignored() -> None:
    """The entry point ignores Ctrl-C once its command is over: a kept one is too."""
    signals.command_over = True  # put back by the fixture
    steps: list[str] = []
    _Finalized(KeyboardInterrupt)
    _step_taken(steps, "a function entered")
    assert steps == ["a function entered"]


def test_what_else_a_finalizer_raises_is_reported_as_before(
    hook_set: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any other exception, and an interrupt in a thread other than the main one (where
    no Ctrl-C is raised), go to the hook that was there, and nothing is raised after."""
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(
        signals, "_unraisable_before", lambda report: reported.append(report.exc_type)
    )
    _Finalized(ValueError)
    worker = threading.Thread(target=_Finalized, args=(KeyboardInterrupt,))
    worker.start()
    worker.join()
    assert reported == [ValueError, KeyboardInterrupt]


def test_set_once_even_behind_another_hook(hook_set: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set again behind a hook that hands reports on to it (another library's), it does
    not hand them back: a report is made once, not in a loop."""
    ours = sys.unraisablehook
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(signals, "_unraisable_before", lambda report: None)

    def theirs(report: Any) -> None:
        reported.append(report.exc_type)
        ours(report)

    sys.unraisablehook = theirs
    signals.interrupts_in_finalizers_delivered()
    assert sys.unraisablehook is theirs
    _Finalized(ValueError)
    assert reported == [ValueError]
