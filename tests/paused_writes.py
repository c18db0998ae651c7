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

import os
from collections.abc import Callable, Sequence

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
