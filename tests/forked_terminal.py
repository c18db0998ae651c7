"""`guidewright ARGS` on a pseudo-terminal, forked from forked_command.py's launcher.

The interactive tests drive a real process through a terminal as an author would
(pexpect): each used to start the installed entry point, a fresh interpreter importing
guidewright, questionary and prompt_toolkit first. Here the process is forked from the
launcher instead, on a pseudo-terminal of its own that is its controlling terminal and
its three standard streams, as pexpect's spawn makes it.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios
from collections.abc import Mapping
from pathlib import Path

from forked_command import ForkedCommand
from pexpect import fdpexpect


class ForkedTerminal(fdpexpect.fdspawn):  # type: ignore[misc]  # pexpect has no types
    """pexpect's view of `guidewright ARGS` forked (ForkedCommand) on a pseudo-terminal of
    `dimensions` (rows, columns): what `pexpect.spawn(GUIDEWRIGHT, args, ...)` gives,
    `exitstatus` set by `close`."""

    def __init__(
        self,
        args: list[str],
        cwd: str,
        env: Mapping[str, str],
        dimensions: tuple[int, int],
        encoding: str,
        timeout: float,
    ) -> None:
        primary, secondary = os.openpty()
        rows, columns = dimensions
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        try:
            self.run = ForkedCommand(tuple(args), Path(cwd), env, terminal=secondary)
        finally:
            os.close(secondary)  # the run holds it: end of file when it ends
        super().__init__(primary, encoding=encoding, timeout=timeout)
        self.pid = self.run.pid
        self.exitstatus: int | None = None
        self.signalstatus: int | None = None

    def close(self) -> None:
        """The terminal closed (a run still going is hung up, as when a terminal is
        closed) and the run waited for."""
        if not self.closed:
            super().close()
        code = self.run.wait(self.timeout)
        assert code is not None, f"still running {self.timeout} s after its terminal closed"
        if code < 0:
            self.signalstatus = -code
        else:
            self.exitstatus = code
