"""What a command opens or lists inside a folder, seen by an audit hook in this process: the
confinement tests judge "nothing outside the template was read" by it, not by what the
command prints.

An audit hook cannot be removed, so one is added, the first time it is needed, and it
looks only inside `watching(folder)`. It writes each event to a file, not to a list: a
worker the command forks inherits the hook and is seen too.

A folder listed by descriptor (the site index's scan) shows as the folder's own `open`; the
names then opened relative to it (`dir_fd`, which the audit event does not carry) are not
logged: they are read from that listing, inside the folder already seen."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

EVENTS = {"open", "os.scandir", "os.listdir"}
# While watching: the folder (its real path) and the log. Empty: the hook does nothing.
_WATCHED: list[tuple[str, IO[str]]] = []
_HOOKED: list[bool] = []


def _watch(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCHED or event not in EVENTS:
        return
    folder, log = _WATCHED[0]
    path = args[0] if args and args[0] is not None else "."
    if isinstance(path, int):  # a file descriptor: its opening was seen already
        return
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    if real == folder or real.startswith(folder + os.sep):
        log.write(f"{event} {real}\n")
        log.flush()


@contextlib.contextmanager
def watching(folder: Path) -> Iterator[list[str]]:
    """Inside the block, each file opened and each folder listed inside `folder` (symbolic
    links resolved) is logged as "EVENT PATH"; the list yielded holds them once it ends."""
    if not _HOOKED:
        sys.addaudithook(_watch)
        _HOOKED.append(True)
    touched: list[str] = []
    with tempfile.TemporaryFile("a+", encoding="utf-8") as log:
        _WATCHED.append((os.path.realpath(folder), log))
        try:
            yield touched
        finally:
            _WATCHED.clear()
            log.seek(0)
            touched.extend(log.read().splitlines())
