"""forked_command.py's launcher stops even when a test left a run waiting, and each run
starts with the launcher's imports frozen out of the garbage collector's reach.

A test that fails while it waits on a run (a prompt that never sees the key it waits for,
say) leaves the run going. Every run holds the launcher's "caller alive" pipe, and the
launcher waits for that pipe's end before it stops: stopping it at the end of the worker
then waited for ever, and the whole suite with it, after the one failure.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from forked_command import ForkedCommand, frozen_count_written, stop_launcher
from support import HANG, isolated_env


def test_the_launcher_stops_and_ends_a_run_left_waiting(tmp_path: Path) -> None:
    keys, kept_open = os.pipe()  # the language server reads it, and nothing ever comes
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        run = ForkedCommand(("lsp",), tmp_path, isolated_env(tmp_path / "home"), stdio=(keys, null))
        stopping = threading.Thread(target=stop_launcher, daemon=True)
        stopping.start()
        stopping.join(HANG)
        assert not stopping.is_alive(), f"the launcher still waits after {HANG} s"
        assert run.wait(HANG) == -signal.SIGKILL
    finally:
        for descriptor in (keys, kept_open, null):
            os.close(descriptor)


def test_a_run_starts_with_the_launcher_s_imports_frozen(tmp_path: Path) -> None:
    """launcher_heap_frozen.py was imported by the launcher (it would drop the module
    without a word if it failed to import): a run's collections skip guidewright's."""
    read, write = os.pipe()
    try:
        run = ForkedCommand(
            ("--version",),
            tmp_path,
            isolated_env(tmp_path / "home"),
            prepare=frozen_count_written,
            descriptors=(write,),
        )
        os.close(write)
        write = -1
        assert run.wait(HANG) == 0, run.stderr
        frozen = int(os.read(read, 64) or b"0")
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
    assert frozen > 10_000  # guidewright, questionary, pygls: some 83,000 objects
