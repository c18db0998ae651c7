"""`guidewright ARGS` as a real process, forked from a launcher that has imported guidewright.

The interrupt tests start a hundred whole-site commands to send each a real SIGINT: each
must be a process of its own, in a session of its own, with its own children and workers.
Started through the installed entry point, each run first pays a fresh interpreter and
guidewright's imports (about half a second of CPU, more than many runs take once started).
Here a launcher (multiprocessing's fork server) imports guidewright once; each run is a
process forked from it, given the working folder, environment and standard streams a new
process would have, then running the entry point's `main` and ending as the interpreter
ends (threads joined, exit handlers run, `sys.exit`'s status, or killed by SIGINT after a
traceback as Python does on an uncaught KeyboardInterrupt).

What this does not reproduce is the interpreter's start-up and the imports: the tests of
those moments (a Ctrl-C at the very start, the installed entry point, a fresh
interpreter's imports) start `GUIDEWRIGHT` itself.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import io
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import subprocess
import sys
import termios
import threading
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.reduction import DupFd
from pathlib import Path
from typing import Any

# Everything the whole-site commands import, so that no run imports it again (this module
# too: it imports nothing but the standard library, unlike support.py).
PRELOADED = [
    "forked_command",
    "guidewright.entry",
    "guidewright.cli",
    "guidewright.check.fix",
    "guidewright.check.site_check",
    "guidewright.update.plan",
    "guidewright.adopt.write",
    "guidewright.move.plan",
    # and what the interactive ones import (forked_terminal.py)
    "guidewright.cli.wizard",
    "guidewright.cli.prompts",
    "guidewright.cli.pick_many",
    "questionary",
    # and the language server (lsp_client.py)
    "guidewright.lsp.app",
    "guidewright.lsp.sites",
    # last: what the launcher imported, moved out of the garbage collector's reach
    "launcher_heap_frozen",
]


class ForkedCommand:
    """A running `guidewright ARGS`: its pid (a session and process group of its own, as
    `start_new_session` makes), whether it has ended, and what it wrote to stderr."""

    def __init__(
        self,
        args: tuple[str, ...],
        cwd: Path,
        environment: Mapping[str, str],
        terminal: int | None = None,
        prepare: Callable[..., None] | None = None,
        descriptors: tuple[int, ...] = (),
        stdio: tuple[int, int] | tuple[int, int, int] | None = None,
    ):
        """`terminal`: a pseudo-terminal's secondary end, made the run's controlling terminal
        and its three standard streams (as pexpect's spawn does); without it, stdin and
        stdout are the null device and stderr a pipe read here. `prepare`: a function of a
        module the launcher can import, called in the run just before the entry point
        with the run's copies of `descriptors` (a test's hook, as paused_writes.py's).
        `stdio`: the run's stdin and stdout (a pipe's ends, say) in place of the null
        device, and its stderr too if given a third (then not read here)."""
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOADED)
        if terminal is not None:
            read, write = None, terminal
        elif stdio is not None and len(stdio) == 3:
            read, write = None, os.dup(stdio[2])  # closed below, as a pipe's end would be
        else:
            read, write = os.pipe()
        ready, started = os.pipe()
        self._process: Any = context.Process(
            target=_run_as_a_new_process,
            args=(
                list(args),
                str(cwd),
                dict(environment),
                _Inherited(write),
                terminal is not None,
                _Inherited(started),
                prepare,
                [_Inherited(descriptor) for descriptor in descriptors],
                None if stdio is None else [_Inherited(descriptor) for descriptor in stdio[:2]],
            ),
            daemon=False,
        )
        try:
            _launcher_running()
            self._process.start()
        finally:
            if terminal is None:
                os.close(write)  # the run holds its own copy: end of file when it ends
            os.close(started)
        # Returned once the run has a session of its own, as Popen returns once its child
        # has one: a signal sent to its group from now on reaches it.
        with open(ready, "rb") as stream:
            stream.read()
        pid = self._process.pid
        assert pid is not None, "started"
        self.pid: int = pid
        self._stderr = bytearray()
        self._reader = threading.Thread(target=self._drain, args=(read,), daemon=True)
        if read is not None:
            self._reader.start()

    def _drain(self, read: int) -> None:
        with open(read, "rb") as stream:  # a full pipe would stop the run: read as it comes
            while chunk := stream.read1(65536):
                self._stderr += chunk

    @property
    def returncode(self) -> int | None:
        """The exit status, negative for the signal that killed it; None while running."""
        code: int | None = self._process.exitcode
        return code

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        """The exit status once ended, or None if still running after `timeout` seconds."""
        self._process.join(timeout)
        if self.returncode is not None and self._reader.is_alive():
            self._reader.join(timeout)  # workers that outlive it may hold stderr a moment
        return self.returncode

    @property
    def stderr(self) -> str:
        return bytes(self._stderr).decode("utf-8", "replace")


class _Inherited:
    """A file descriptor handed to the forked process (multiprocessing sends it along
    with the request to fork); the forked process receives it as a number."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return (_received, (DupFd(self.descriptor),))


def _received(handle: Any) -> int:
    descriptor: int = handle.detach()
    return descriptor


def _launcher_running() -> None:
    """The launcher started if it is not running, with this folder on its PYTHONPATH: it
    imports PRELOADED with Python's own sys.path, not this process's (multiprocessing
    hands it this process's sys.path, which its `main` ignores through Python 3.13), and
    so dropped the modules of this folder without a word. Each run is given this
    process's sys.path all the same, as before."""
    here = str(Path(__file__).resolve().parent)
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (here, before)))
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def _run_as_a_new_process(
    args: list[str],
    cwd: str,
    environment: dict[str, str],
    stderr: int,
    terminal: bool,
    started: int,
    prepare: Callable[..., None] | None,
    descriptors: list[int],
    stdio: list[int] | None,
) -> None:
    """In the forked process: become what `subprocess.Popen([GUIDEWRIGHT, *args], cwd=cwd,
    env=environment, stdin=DEVNULL, stdout=DEVNULL, stderr=PIPE, start_new_session=True)`
    starts (or, with `terminal`, what pexpect's spawn starts on the pseudo-terminal
    `stderr`), run the entry point, and end as the interpreter would."""
    os.setsid()
    if terminal:
        fcntl.ioctl(stderr, termios.TIOCSCTTY, 0)  # its controlling terminal
    os.close(started)  # the launcher's caller may now signal the group
    null = stderr if terminal else os.open(os.devnull, os.O_RDWR)
    stdin, stdout = (null, null) if stdio is None else stdio
    for descriptor, number in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(descriptor, number)
    for descriptor in {null, stderr, stdin, stdout} - {0, 1, 2}:
        os.close(descriptor)
    # Python's own standard streams on those descriptors (stderr line-buffered, with
    # backslashreplace, as the interpreter opens it; both unbuffered under
    # PYTHONUNBUFFERED, as `python -u`), in place of the launcher's; the `__stdout__`
    # names too (setattr: typeshed declares them final).
    unbuffered = bool(environment.get("PYTHONUNBUFFERED"))
    streams = {
        "stdin": open(0, closefd=False),  # noqa: SIM115  (the process's own)
        "stdout": _output(1, unbuffered, "strict"),
        "stderr": _output(2, unbuffered, "backslashreplace"),
    }
    for name, stream in streams.items():
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    for number in (signal.SIGTERM, signal.SIGCHLD):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as the interpreter sets it at start-up
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    sys.argv = [str(Path(sys.executable).parent / "guidewright"), *args]
    from guidewright.entry import main  # imported by the launcher already: no cost

    if prepare is not None:
        prepare(*descriptors)
    status = 0
    try:
        main()
    except SystemExit as stop:
        status = _exit_status(stop.code)
    except KeyboardInterrupt:
        traceback.print_exc()
        status = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
        status = 1
    _end(status)


def _output(descriptor: int, unbuffered: bool, errors: str) -> io.TextIOWrapper:
    """An output stream as the interpreter opens it: stdout block-buffered, stderr
    line-buffered; without buffers under PYTHONUNBUFFERED."""
    if unbuffered:
        raw = open(descriptor, "wb", buffering=0, closefd=False)  # noqa: SIM115
        return io.TextIOWrapper(raw, errors=errors, write_through=True)
    line_buffered = 1 if descriptor == 2 else -1
    return open(descriptor, "w", buffering=line_buffered, errors=errors, closefd=False)


def installed_in(folder: str) -> None:
    """A `prepare` hook: the run as if installed in the bin folder `folder`, whose
    `guidewright` starts it (forked_on_path.py) and whose `python` links to this one's:
    the command then finds itself on PATH, as an installed one does."""
    sys.executable = str(Path(folder) / "python")
    sys.argv[0] = str(Path(folder) / "guidewright")


def _exit_status(code: object) -> int:
    """What the interpreter makes of `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _end(status: int) -> None:
    """The interpreter's end: other threads joined, exit handlers run, streams flushed;
    after an uncaught KeyboardInterrupt, killed by SIGINT."""
    threading._shutdown()  # type: ignore[attr-defined]  # what the interpreter calls
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a stream closed by the command
            stream.flush()
    if status == -signal.SIGINT:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(status)


def frozen_count_written(descriptor: int) -> None:
    """A `prepare` hook: how many objects the run holds frozen, written to `descriptor`
    (here, not in launcher_heap_frozen.py: a hook's module is imported by the run that
    calls it, which would freeze its heap whatever the launcher imported)."""
    os.write(descriptor, str(gc.get_freeze_count()).encode())
    os.close(descriptor)


def ctrl_c_in_the_first_popen_finalizer() -> None:
    """A `prepare` hook: a Ctrl-C lands while the run's first freed `subprocess.Popen`
    is finalized (a git call's, say), as one was seen to under load. The signal is
    raised in the finalizer's own thread, so Python's handler runs there."""
    finalize = subprocess.Popen.__del__
    sent: list[bool] = []

    def finalized(self: subprocess.Popen[bytes]) -> None:
        if not sent:
            sent.append(True)
            signal.raise_signal(signal.SIGINT)
        finalize(self)

    subprocess.Popen.__del__ = finalized  # type: ignore[method-assign]


def stop_launcher() -> None:
    """The launcher stopped and waited for (it stops by itself only when this process
    ends, unwaited): the CPU time of every run it forked is then counted among this
    process's children's, as a Popen's would be, for `time` and the scheduler alike.
    A run still going (left by a test that failed while it waited on it, a prompt
    waiting for a key, say) is killed first, its process group with it: each run holds
    the launcher's "caller alive" pipe (multiprocessing hands it to every process it
    forks), and the launcher waits for every copy's end, so for ever."""
    for process in multiprocessing.active_children():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a run is a process group's leader
        process.kill()
        process.join()
    multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]
