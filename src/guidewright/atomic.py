"""Writing a file so that readers, and an interruption, see it old or new, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_temporary(path: Path, content: bytes) -> Path:
    """`content` in a new temporary file beside `path`, with `path`'s mode, to rename over it."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        with contextlib.suppress(OSError):  # a new file keeps mkstemp's mode
            os.chmod(name, path.stat().st_mode & 0o7777)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def write_atomic(path: Path, content: bytes) -> None:
    """A temporary file in the same folder, renamed over the target."""
    temporary = write_temporary(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
