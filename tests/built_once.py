"""Something slow to make, made once a run and shared by pytest-xdist's workers.

Each worker is a process of its own, with its own session and module fixtures: a fixture
the tests of two workers use is built twice. For a build that takes seconds and is only
read afterwards (a wheel, a site the tests copy before changing it), the first worker to
ask builds it in the run's common temporary folder, holding a lock; the others wait for
the lock and find it built. This is xdist's own recipe ("Making session-scoped fixtures
execute only once"); without xdist, the modules that share a build still build it once."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder `name`, filled by `build(folder)` once a run. Every worker gets the same
    folder: the tests must read it, or copy it before they change anything."""
    common = tmp_path_factory.getbasetemp()  # without xdist: this run's folder
    if "PYTEST_XDIST_WORKER" in os.environ:
        common = common.parent  # the run's folder, above each worker's
    folder, built = common / name, common / f"{name}.built"
    with (common / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not built.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            built.touch()
    return folder
