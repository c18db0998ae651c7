"""core/signals.py: a Ctrl-C that lands in a finalizer is kept, and raised where the
command steps on.

Python's Ctrl-C handler raises KeyboardInterrupt in whatever code runs when the signal
comes; here a finalizer raises it itself, at the moment that handler would. The real
signal, in a real command, is test_interrupts.py's
`test_a_ctrl_c_in_a_finalizer_stops_the_command`."""

from __future__ import annotations

import asyncio
import io
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import stop_handlers_kept
from test_write_session import a_site, target

from guidewright.core import signals
from guidewright.core.parallel import imap_with_context, map_on_all_cores
from guidewright.site.write_session import WriteSession


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
def hook_set(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[type[BaseException]]]:
    """The hook set as the entry point sets it, in front of one that records the reports
    handed on (Python's own would print them); all of it put back after the test."""
    reported: list[type[BaseException]] = []
    with stop_handlers_kept():
        sys.unraisablehook = lambda report: reported.append(report.exc_type)
        signals._installed = False
        signals.interrupts_in_finalizers_delivered()
        yield reported
    assert not signals._pending, "an interrupt was left"


def test_an_interrupt_in_a_finalizer_is_kept_and_raised_once(
    hook_set: list[type[BaseException]],
) -> None:
    """Not reported (no "Exception ignored" traceback), not raised as the code goes on,
    raised where the command steps on, once."""
    steps: list[str] = []
    _Finalized(KeyboardInterrupt)  # freed at once: its finalizer runs here
    _step_taken(steps, "the code goes on")
    with pytest.raises(KeyboardInterrupt):
        signals.finalizer_interrupt_raised()
    signals.finalizer_interrupt_raised()  # once
    assert steps == ["the code goes on"]
    assert hook_set == []


class _Held:
    """A context manager whose exit calls a function, as most clean-ups do."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exception: object) -> None:
        _step_taken(self.steps, "a with's exit")


class _Closing(io.RawIOBase):
    """A file of Python's io, whose finalizer closes it."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    def close(self) -> None:
        if not self.closed:
            _step_taken(self.steps, "a file's close")
        super().close()


class _Weakly:
    """An object a weak reference with a callback can point at."""


def _stepping(steps: list[str]) -> Iterator[None]:
    try:
        yield
    finally:
        _step_taken(steps, "a freed generator's finally")


@pytest.mark.usefixtures("hook_set")
def test_the_clean_up_after_it_runs_whole() -> None:
    """A list frees its items last first: the Ctrl-C lands in the last one's finalizer.
    The others run whole (a `__del__`, a file's close, a weakref's callback, a
    generator's `finally`, each calling a function), and so does the exit of the `with`
    whose last line freed them."""
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
    with _Held(steps):
        del freed
    with pytest.raises(KeyboardInterrupt):
        signals.finalizer_interrupt_raised()
    assert steps == [
        "a freed generator's finally",
        "a weakref's callback",
        "a file's close",
        "a __del__",
        "a with's exit",
    ]
    assert watch() is None


def _mapped(steps: list[str], number: int) -> int:
    """An item's work: the first frees an object whose finalizer takes the Ctrl-C."""
    _step_taken(steps, f"item {number}")
    if number == 0:
        _Finalized(KeyboardInterrupt)
    return number


@pytest.mark.usefixtures("hook_set")
def test_a_map_stops_at_its_next_item() -> None:
    """In this process (below a map's minimum for workers), item by item, streamed or not."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        map_on_all_cores(lambda number: _mapped(steps, number), range(3), minimum=10**9)
    assert steps == ["item 0"]
    steps.clear()
    with pytest.raises(KeyboardInterrupt):
        list(imap_with_context(_mapped, steps, range(3), minimum=10**9))
    assert steps == ["item 0"]


def _doubled(context: None, number: int) -> int:
    return 2 * number


@pytest.mark.usefixtures("hook_set")
def test_a_map_on_workers_stops_at_its_next_result() -> None:
    """On forked workers (on a machine of two cores or more): the stream's next result
    is not handed on, and the workers stop as for a Ctrl-C."""
    results = imap_with_context(_doubled, None, list(range(8)), minimum=1)
    got = [next(results)]
    _Finalized(KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        got.extend(results)
    assert got == [0]


@pytest.mark.usefixtures("hook_set")
def test_a_write_session_writes_nothing_more(tmp_path: Path) -> None:
    """A Ctrl-C a finalizer took before a batch is written stops it before its first
    file, as one held during the writes stops it after its last."""
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    with WriteSession(site, "update") as session:
        _Finalized(KeyboardInterrupt)
        with pytest.raises(KeyboardInterrupt):
            session.write([[target(site, "docs/sec/page-0.md", b"new\n")]])
    assert page.read_bytes() == b"old\n"


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
    """Where asyncio takes a Ctrl-C's interrupt (the language server runs in a loop): the
    task's step ends, then `asyncio.run` stops, cancelling the task at its await."""
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        asyncio.run(_frees_in_an_async_with(steps))
    assert steps == ["exit began"]


def test_what_else_a_finalizer_raises_is_reported_as_before(
    hook_set: list[type[BaseException]],
) -> None:
    """Any other exception, and an interrupt in a thread other than the main one (where
    no Ctrl-C is raised), go to the hook that was there, and nothing is kept."""
    _Finalized(ValueError)
    worker = threading.Thread(target=_Finalized, args=(KeyboardInterrupt,))
    worker.start()
    worker.join()
    signals.finalizer_interrupt_raised()  # nothing kept: nothing raised
    assert hook_set == [ValueError, KeyboardInterrupt]


def test_set_once_even_behind_another_hook(hook_set: list[type[BaseException]]) -> None:
    """Set again behind a hook that hands reports on to it (another library's), it does
    not hand them back: a report is made once, not in a loop."""
    ours = sys.unraisablehook
    seen: list[type[BaseException]] = []

    def theirs(report: Any) -> None:
        seen.append(report.exc_type)
        ours(report)

    sys.unraisablehook = theirs
    signals.interrupts_in_finalizers_delivered()
    assert sys.unraisablehook is theirs
    _Finalized(ValueError)
    assert seen == hook_set == [ValueError]


def test_the_language_server_raises_one_taken_while_it_loaded(
    hook_set: list[type[BaseException]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its loop raises the interrupts taken while it runs; one taken before (while its
    modules loaded, say) stops it before the loop, not at its first command that writes."""
    import os

    import guidewright.lsp.app
    from guidewright.cli.lsp import lsp

    served: list[object] = []
    monkeypatch.setattr(guidewright.lsp.app, "serve", lambda *args: served.append(args))
    for name in ("dup", "dup2"):  # the protocol's stdout, were the server to start
        monkeypatch.setattr(os, name, lambda *args: 1)
    monkeypatch.setattr(os, "fdopen", lambda *args, **options: io.BytesIO())
    monkeypatch.setattr(sys, "stdout", sys.stdout)
    _Finalized(KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        lsp(dest=None, template=None)
    assert served == []
