"""Run guidewright's entry point under an audit hook that logs every file opened and every
folder listed inside $GW_AUDIT_WATCHED (symbolic links resolved), to $GW_AUDIT_LOG.

The confinement tests judge "nothing outside the template was read" by this log, not by
what the command prints."""

from __future__ import annotations

import os
import sys
from typing import Any

WATCHED = os.path.realpath(os.environ["GW_AUDIT_WATCHED"])
EVENTS = {"open", "os.scandir", "os.listdir"}
_log = open(os.environ["GW_AUDIT_LOG"], "a", encoding="utf-8")  # noqa: SIM115 - open for the run


def _watch(event: str, args: tuple[Any, ...]) -> None:
    if event not in EVENTS:
        return
    path = args[0] if args and args[0] is not None else "."
    if isinstance(path, int):  # a file descriptor: its opening was seen already
        return
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    if real == WATCHED or real.startswith(WATCHED + os.sep):
        _log.write(f"{event} {real}\n")
        _log.flush()


sys.addaudithook(_watch)

from guidewright.entry import main  # noqa: E402 - after the hook, so imports are seen too

sys.argv[0] = "guidewright"
main()
