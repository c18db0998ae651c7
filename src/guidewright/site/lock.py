"""One writing run at a time per site: a second one refuses at once instead of racing.

The lock is an flock on `.guidewright/update.lock` (the kernel releases it when the process
dies, however it dies). The file is removed when the run ends, so that `git status` shows
nothing of it; removing it is what could let two runs both hold a lock, each on a file of
its own: B opens the file, A removes it and ends, B locks the removed file, C creates a new
one and locks that. So a run holds the lock only once it has checked, lock in hand, that
the file it locked is the one the name leads to; and a run removes the file only while it
holds the lock. Why that is exclusive: a holder's file was at the name when it checked,
and the name leaves that file only when its holder removes it, ending its hold; two
holders at once would be two files each at the name at once, or one file locked twice,
which flock refuses.

Nothing is opened through a link: neither `.guidewright` nor the lock file may be one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator

from guidewright.core.atomic import LinkRefused, open_folder
from guidewright.core.errors import InvalidInput, OperationFailed

GUIDEWRIGHT_DIR = ".guidewright"
LOCK_NAME = "update.lock"
LOCK_RELPATH = f"{GUIDEWRIGHT_DIR}/{LOCK_NAME}"
HELD = "another guidewright command is writing this site; wait for it to finish"
_ATTEMPTS = 100  # each retry follows a run that ended meanwhile: a handful at most


def refuse_link(error: LinkRefused, command: str) -> InvalidInput:
    """The error for a link where a run would write (a committed site may hold one)."""
    return InvalidInput(
        f"{error.filename}: a symbolic link; {command} writes nothing through one "
        "(replace it with the file or folder itself)"
    )


@contextlib.contextmanager
def site_lock(root: int, command: str) -> Iterator[int]:
    """Hold the site's write lock; gives the `.guidewright` folder, opened (`root`: the
    site's root folder, opened). A `.guidewright` made for the lock alone goes with it."""
    folder, handle, made = _acquire(root, command)
    try:
        yield folder
    finally:
        with contextlib.suppress(OSError):
            os.unlink(LOCK_NAME, dir_fd=folder)  # the lock held: see the docstring
        os.close(handle)
        os.close(folder)
        if made:  # empty unless another run has begun since: then it stays
            with contextlib.suppress(OSError):
                os.rmdir(GUIDEWRIGHT_DIR, dir_fd=root)


def _acquire(root: int, command: str) -> tuple[int, int, bool]:
    """(the folder, the lock file, whether the folder was made), the lock held on the file
    at the name; each retry follows a run that ended meanwhile, removing what it had."""
    for _ in range(_ATTEMPTS):
        try:
            folder, made = open_folder(root, [GUIDEWRIGHT_DIR], create=True)
        except LinkRefused as error:
            raise refuse_link(error, command) from error
        except OSError as error:
            raise OperationFailed(f"cannot create {GUIDEWRIGHT_DIR}/: {error.strerror}") from error
        try:
            handle = _lock_file(folder, command)
        except BaseException:
            os.close(folder)
            raise
        if (
            handle is not None
            and _at_the_name(root, GUIDEWRIGHT_DIR, folder)
            and _at_the_name(folder, LOCK_NAME, handle)
        ):
            return folder, handle, bool(made)
        if handle is not None:
            os.close(handle)  # a removed file: its run has ended; lock the name's file
        os.close(folder)
    raise OperationFailed(f"{LOCK_RELPATH}: removed again and again by another run: {HELD}")


def _lock_file(folder: int, command: str) -> int | None:
    """The lock file opened and locked; None when its folder was removed meanwhile."""
    try:
        handle = os.open(
            LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=folder
        )
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise refuse_link(LinkRefused(LOCK_RELPATH), command) from error
        raise OperationFailed(f"cannot create {LOCK_RELPATH}: {error.strerror}") from error
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise OperationFailed(HELD) from None
    return handle


def _at_the_name(folder: int, name: str, handle: int) -> bool:
    """Whether `name` in `folder` is the very file (or folder) open as `handle`."""
    try:
        now = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
