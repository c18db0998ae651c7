"""One `update` at a time per site: a second run refuses at once instead of racing."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from guidewright.core.errors import OperationFailed
from guidewright.site.site import Site

LOCK_RELPATH = ".guidewright/update.lock"


@contextlib.contextmanager
def update_lock(site: Site, pretend: bool) -> Iterator[None]:
    """Hold the site's update lock (an flock, released even when the process dies).

    --pretend writes nothing and takes no lock."""
    if pretend:
        yield
        return
    path = site.root / LOCK_RELPATH
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OperationFailed(f"cannot create {LOCK_RELPATH}: {error.strerror}") from error
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as error:
        os.close(handle)
        raise OperationFailed(
            "another guidewright update is running on this site; wait for it to finish"
        ) from error
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # leaves no file for `git status` to show
        os.close(handle)
