"""A run whose write session stops once its first answers file is written, until the test
says go.

A signal sent to a run "while it writes" by watching its files from outside lands wherever
the run has got to by then: on a loaded machine, after the last page. Here the run itself
says when it is writing (a byte on a pipe) and waits (for a byte on another) inside that
hold of Ctrl-C (site/write_session.py writes groups in chunks with the signals held): a
signal sent meanwhile is delivered when that chunk is written, whatever the load. Installed
in a process forked from forked_command.py's launcher (`ForkedCommand(prepare=...)`),
around the session's public `write`; the writes themselves are the session's own."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from forked_command import ForkedCommand

from guidewright.site.site import ANSWERS_DIR
from guidewright.site.write_session import Group, GroupResult, WriteSession, Written

Done = Callable[[int, GroupResult], None]
ANSWERS = ANSWERS_DIR + "/"


def pause_at_the_first_answers(writing: int, go_on: int) -> None:
    """In the run: once the first group holding an answers file is written (reported to
    the session's caller, inside the hold), write a byte to `writing` and wait for one on
    `go_on`; once only (a page and its answers file: the first pair of `adopt` or
    `update`, not the site configuration written before them)."""
    write = WriteSession.write
    paused = False

    def write_pausing(
        session: WriteSession, groups: Sequence[Group], done: Done | None = None
    ) -> list[GroupResult]:
        def reported(index: int, result: GroupResult) -> None:
            nonlocal paused
            if done is not None:
                done(index, result)
            answers = any(target.relpath.startswith(ANSWERS) for target in groups[index])
            if answers and result.status is Written.WRITTEN and not paused:
                paused = True
                os.write(writing, b"w")
                os.read(go_on, 1)

        return write(session, groups, reported)

    WriteSession.write = write_pausing  # type: ignore[method-assign]


def pause_at_the_first_staged(writing: int, go_on: int) -> None:
    """In the run: once its write session has staged its first file (in its staging
    folder, no target replaced yet), write a byte to `writing` and wait for one on
    `go_on`, with the staged file there; once only. The writer waits inside the session's
    hold of Ctrl-C, as `pause_at_the_first_answers` does; other writers go on."""
    stage = WriteSession._stage
    first = threading.Lock()  # the writers are threads: one of them pauses

    def stage_pausing(session: WriteSession, target_name: str, content: bytes) -> str:
        name = stage(session, target_name, content)
        if first.acquire(blocking=False):  # never released: once only
            os.write(writing, b"w")
            os.read(go_on, 1)
        return name

    WriteSession._stage = stage_pausing  # type: ignore[method-assign]


@contextlib.contextmanager
def paused_run(
    args: tuple[str, ...],
    cwd: Path,
    environment: Mapping[str, str],
    pause: Callable[[int, int], None],
) -> Iterator[tuple[ForkedCommand, bool]]:
    """`guidewright ARGS` forked with `pause` (one of the above) installed, given once it
    has paused (True) or ended without pausing (False), and let go on leaving (by the
    pipe's end, should the test fail meanwhile)."""
    writing, wrote = os.pipe()
    go_on, go = os.pipe()
    try:
        try:
            process = ForkedCommand(
                args, cwd, environment, prepare=pause, descriptors=(wrote, go_on)
            )
        finally:
            os.close(wrote)  # the run holds its own: end of file if it ends without pausing
        yield process, os.read(writing, 1) == b"w"
        os.write(go, b"g")
    finally:
        for descriptor in (writing, go_on, go):
            os.close(descriptor)
