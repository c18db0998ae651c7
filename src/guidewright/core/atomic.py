"""Writing a file so that readers, an interruption and a crash see it old or new, never
half-written; never through a symbolic link; and only over what was read.

The pieces a write session (site/write_session.py) is made of: what a file held when it
was read (`Seen`), folders opened one name at a time without following a link (so no
link, even one made while the run goes on, leads a write elsewhere), a new content staged
and flushed to the disk, the compare just before the rename, and the rename itself with
its folder flushed. Renaming over a file makes ext4 write the new data out first
(auto_da_alloc), but other file systems, and ext4 mounted otherwise, do not: the data and
the rename are each made durable here, so that a crash leaves each file old or new.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from guidewright.core.bounded_read import read_open

_DIGEST_SIZE = 16  # blake2b: a changed file is told from a 2**-128 chance, cheaply
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a FIFO never waits
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _read_umask() -> int:
    """The process's umask, read by setting it (there is no other way) and setting it back:
    done once, at import, before any writer thread exists."""
    current = os.umask(0o22)
    os.umask(current)
    return current


NEW_FILE_MODE = 0o666 & ~_read_umask()  # as open() makes a file, not mkstemp's 0600


@dataclass(frozen=True, slots=True)
class Seen:
    """What a file was when a run read it: its identity and a digest of its bytes (small,
    so workers send it back cheaply). A run replaces a file only while it still is this."""

    device: int
    inode: int
    size: int
    digest: bytes

    def holds(self, content: bytes) -> bool:
        """Whether the file read held exactly `content`."""
        return self.size == len(content) and self.digest == digest(content)


ABSENT = Seen(0, 0, -1, b"")  # a file to create: there must still be none


def digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=_DIGEST_SIZE).digest()


class LinkRefused(OSError):
    """A symbolic link where a file or folder is to be written; `filename` names it."""

    def __init__(self, name: str) -> None:
        super().__init__(errno.ELOOP, "a symbolic link", name)


def _read_open(path: str | Path, dir_fd: int | None = None) -> int:
    try:
        return os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LinkRefused(os.fspath(path)) from error
        raise


def _read_all(handle: int, limit: int | None = None) -> bytes:
    """The bytes of an open file; with `limit`, at most `limit` + 1 of them."""
    chunks: list[bytes] = []
    left = -1 if limit is None else limit + 1
    while left:
        chunk = os.read(handle, 1 << 20 if left < 0 else min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left = left - len(chunk) if left > 0 else left
    return b"".join(chunks)


def read_seen(path: str | Path, limit: int) -> tuple[bytes, Seen]:
    """A file's bytes and what it was, read without following a link at its own name
    (LinkRefused), and as every file is read (core/bounded_read.py): a regular file of at
    most `limit` bytes, else RefusedRead naming it."""
    handle = _read_open(path)
    try:
        content, info = read_open(handle, os.fspath(path), limit)
    finally:
        os.close(handle)
    return content, Seen(info.st_dev, info.st_ino, len(content), digest(content))


class Changed(Exception):
    """The file is no longer what the run read: `how` says what became of it."""

    GONE, ALTERED, CREATED = "gone", "changed", "created"

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how


def still_as_seen(folder: int, name: str, seen: Seen) -> tuple[bytes, int]:
    """The file's bytes and mode, read again just before it is replaced, when it is still
    the one read (the same inode and bytes, a regular file); else Changed, or LinkRefused
    for a link now in its place. ABSENT: there must be no file (its bytes are b"")."""
    try:
        handle = _read_open(name, folder)
    except FileNotFoundError:
        if seen is ABSENT:
            return b"", NEW_FILE_MODE
        raise Changed(Changed.GONE) from None
    try:
        if seen is ABSENT:
            raise Changed(Changed.CREATED)
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) != (
            seen.device,
            seen.inode,
        ):
            raise Changed(Changed.ALTERED)
        content = _read_all(handle, limit=seen.size)
    finally:
        os.close(handle)
    if not seen.holds(content):
        raise Changed(Changed.ALTERED)
    return content, stat.S_IMODE(info.st_mode)


def open_folder(root: int, parts: Sequence[str], create: bool) -> tuple[int, list[str]]:
    """The folder `root`/`parts` opened, one name at a time, none of them a link
    (LinkRefused names the first, relative to the root); with `create`, missing folders
    are made. Returns its descriptor (the caller closes it) and the folders made, as
    paths relative to the root, outermost first."""
    current = os.dup(root)
    made: list[str] = []
    try:
        for depth, name in enumerate(parts):
            shown = "/".join(parts[: depth + 1])
            try:
                following = os.open(name, _FOLDER_FLAGS, dir_fd=current)
            except OSError as error:
                if error.errno == errno.ENOENT and create:
                    with contextlib.suppress(FileExistsError):  # a racing writer made it
                        os.mkdir(name, 0o777, dir_fd=current)
                        made.append(shown)
                    following = os.open(name, _FOLDER_FLAGS, dir_fd=current)
                elif error.errno in (errno.ELOOP, errno.ENOTDIR) and stat.S_ISLNK(
                    os.stat(name, dir_fd=current, follow_symlinks=False).st_mode
                ):
                    raise LinkRefused(shown) from error
                else:
                    raise OSError(error.errno, error.strerror, shown) from error
            os.close(current)
            current = following
    except BaseException:
        os.close(current)
        raise
    return current, made


def stage(folder: int, name: str, content: bytes) -> None:
    """`content` in a new file `name` of `folder` (a staging folder of the run's own),
    flushed to the disk: once renamed into place it is whole even after a crash."""
    handle = os.open(
        name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600, dir_fd=folder
    )
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(handle, view) :]
        os.fsync(handle)
    finally:
        os.close(handle)


def put_in_place(
    staging: int, staged: str, folder: int, name: str, mode: int, replacing: bool
) -> None:
    """The staged file renamed over `name` (`replacing`), or linked in as a new file that
    fails with Changed(CREATED) rather than replace one made meanwhile; with `mode`."""
    os.chmod(staged, mode, dir_fd=staging)
    if replacing:
        os.replace(staged, name, src_dir_fd=staging, dst_dir_fd=folder)
        return
    try:
        os.link(staged, name, src_dir_fd=staging, dst_dir_fd=folder, follow_symlinks=False)
    except FileExistsError:
        raise Changed(Changed.CREATED) from None
    os.unlink(staged, dir_fd=staging)


def flush_folder(folder: int) -> None:
    """The folder's entries (a rename, a new file) made durable."""
    os.fsync(folder)


def write_atomic(path: Path, content: bytes) -> None:
    """A file outside any site (a plan, a cache entry) replaced whole: a temporary file
    beside it, flushed, renamed over it."""
    write_atomic_from(path, lambda stream: stream.write(content))


def write_atomic_from(path: Path, fill: Callable[[BinaryIO], object], durable: bool = True) -> None:
    """`write_atomic` of what `fill` writes to the temporary file (seeking in it as it
    needs): a large entry (a site's index) is written as it is made, never held whole.
    Without `durable`, not flushed to the disk before the rename: still whole or absent
    to every reader, but a crash may leave it torn, for a file whose reader judges it
    and makes it again when it is (a sealed cache), which the flush would only slow."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w+b") as stream:
            fill(stream)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = NEW_FILE_MODE
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
