"""The environment benchmarks run commands in: Python's bytecode cache on, as an install
has it (pip compiles what it installs). An editable install under PYTHONDONTWRITEBYTECODE,
as on this machine, would compile guidewright's source on every run (some 40 ms), while
the floors it is compared with import only compiled code. And a command's time there,
wall and CPU."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from pathlib import Path


def installed_environment(folder: Path) -> dict[str, str]:
    """`os.environ`, the bytecode cache kept in `folder` (the run's own: the source tree
    stays as it is); the first run of each command writes it."""
    environment = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "bytecode"))
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def timed(
    command: list[str], cwd: Path, environment: dict[str, str], *, check: bool = False
) -> tuple[float, float]:
    """The command's wall time and its CPU time (user and system, its children's too):
    on a shared machine the CPU time varies far less with the others' load. `check`: a
    failed run stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=environment, capture_output=True, check=check)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
