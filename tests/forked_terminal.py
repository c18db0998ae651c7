"""`guidewright ARGS` on a pseudo-terminal, forked from forked_command.py's launcher, or
the installed entry point on one.

The interactive tests drive a real process through a terminal as an author would
(pexpect): each used to start the installed entry point, a fresh interpreter importing
guidewright, questionary and prompt_toolkit first. Here the process is forked from the
launcher instead (`ForkedTerminal`), on a pseudo-terminal of its own that is its
controlling terminal and its three standard streams, as pexpect's spawn makes it.

Where the installed entry point itself is the point (`EntryPointTerminal`), it is started
by subprocess, not by `pexpect.spawn`: that forks the test's own process (`forkpty`), and
a test process has threads (each pytest-xdist worker's execnet receiver, say), which a
child forked without exec may find holding a lock ("This process is multi-threaded, use
of forkpty() may lead to deadlocks", Python 3.12 on). subprocess execs in the child at
once, as multiprocessing's fork server does for `ForkedTerminal`.
"""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from collections.abc import Mapping
from pathlib import Path

from forked_command import ForkedCommand
from pexpect import fdpexpect


class _RunOnTerminal(fdpexpect.fdspawn):  # type: ignore[misc]  # pexpect has no types
    """pexpect's view of a run on the pseudo-terminal whose primary end is `primary`:
    `exitstatus` (or `signalstatus`) set by `close`, as `pexpect.spawn` sets them."""

    def __init__(self, primary: int, pid: int, encoding: str, timeout: float) -> None:
        super().__init__(primary, encoding=encoding, timeout=timeout)
        self.pid = pid
        self.exitstatus: int | None = None
        self.signalstatus: int | None = None

    def close(self) -> None:
        """The terminal closed (a run still going is hung up, as when a terminal is
        closed) and the run waited for."""
        if not self.closed:
            super().close()
        code = self._ended(self.timeout)
        assert code is not None, f"still running {self.timeout} s after its terminal closed"
        if code < 0:
            self.signalstatus = -code
        else:
            self.exitstatus = code

    def _ended(self, timeout: float) -> int | None:
        """The run's exit status (negative: the signal that killed it) once it has ended;
        None if still running after `timeout` seconds."""
        raise NotImplementedError


class ForkedTerminal(_RunOnTerminal):
    """`guidewright ARGS` forked (ForkedCommand) on a pseudo-terminal of `dimensions`
    (rows, columns): what `pexpect.spawn(GUIDEWRIGHT, args, ...)` gives."""

    def __init__(
        self,
        args: list[str],
        cwd: str,
        env: Mapping[str, str],
        dimensions: tuple[int, int],
        encoding: str,
        timeout: float,
    ) -> None:
        primary, secondary = _terminal(dimensions)
        try:
            self.run = ForkedCommand(tuple(args), Path(cwd), env, terminal=secondary)
        finally:
            os.close(secondary)  # the run holds it: end of file when it ends
        super().__init__(primary, self.run.pid, encoding, timeout)

    def _ended(self, timeout: float) -> int | None:
        return self.run.wait(timeout)


class EntryPointTerminal(_RunOnTerminal):
    """`command` (the installed entry point) run on a pseudo-terminal of `dimensions`
    (rows, columns), its three standard streams, in a session of its own: what
    `pexpect.spawn(command[0], command[1:], ...)` gives, the test's process not forked
    (see the module's docstring). The terminal is not its controlling one (no
    `/dev/tty`): what it prints and reads, and its size, are the terminal's all the same."""

    def __init__(
        self,
        command: list[str],
        cwd: str,
        env: Mapping[str, str],
        encoding: str,
        timeout: float,
        dimensions: tuple[int, int] = (24, 80),  # pexpect.spawn's
    ) -> None:
        primary, secondary = _terminal(dimensions)
        try:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=dict(env),
                stdin=secondary,
                stdout=secondary,
                stderr=secondary,
                start_new_session=True,
            )
        finally:
            os.close(secondary)  # the run holds it: end of file when it ends
        super().__init__(primary, self.process.pid, encoding, timeout)

    def _ended(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()  # not left behind the failed test
            self.process.wait()
            return None


def _terminal(dimensions: tuple[int, int]) -> tuple[int, int]:
    """A new pseudo-terminal of `dimensions` (rows, columns): its primary and secondary
    ends."""
    primary, secondary = os.openpty()
    rows, columns = dimensions
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return primary, secondary
