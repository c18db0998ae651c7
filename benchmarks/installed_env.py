"""The environment benchmarks run commands in: Python's bytecode cache on, as an install
has it (pip compiles what it installs). An editable install under PYTHONDONTWRITEBYTECODE,
as on this machine, would compile guidewright's source on every run (some 40 ms), while
the floors it is compared with import only compiled code."""

from __future__ import annotations

import os
from pathlib import Path


def installed_environment(folder: Path) -> dict[str, str]:
    """`os.environ`, the bytecode cache kept in `folder` (the run's own: the source tree
    stays as it is); the first run of each command writes it."""
    environment = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "bytecode"))
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment
