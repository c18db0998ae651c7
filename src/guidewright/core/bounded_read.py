"""Reading a file anyone can commit or name (a page, an answers file, a data file, the
site's configuration) so that no file can hang a run or fill its memory.

Only a regular file is read: opening a FIFO waits for a writer that never comes, and a
device (`/dev/zero`) never ends. It is opened without blocking and judged by what it is
once open, so a file swapped for another between a look and the read is judged too. A
file larger than its limit is refused, and at most limit + 1 bytes are ever read: one
that grows while it is read is refused as well. Given the site it belongs to, a file
reached through a link that leads out of the site is refused before it is opened.

Every refusal is a `RefusedRead`, an OSError naming the path: a caller that reports an
unreadable file in one line reports these too."""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache

from guidewright.core.safe_yaml import MAX_BYTES

# The limits, in bytes. A page: as a template's file (copier_compat/render.py), which a
# page rendered from one may reach; the longest real pages are a few hundred kB. Every
# YAML file (answers, data files, configuration): what core/safe_yaml.py loads.
PAGE_BYTES = 10_000_000
YAML_BYTES = MAX_BYTES

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CHUNK = 1 << 20


class RefusedRead(OSError):
    """A file refused before or while it was read; `str()` is one line naming it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, path)

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def size_text(limit: int) -> str:
    """A limit as an author reads it: 10 MB, 1 MB, 512 bytes."""
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    return f"{limit} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """A folder's real path: a site's pages share a few folders, each resolved once."""
    return os.path.realpath(folder)


def _within(real: str, folder: str) -> bool:
    root = _real_folder(folder).rstrip("/")
    return real == root or real.startswith(root + "/")


def inside(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether `path`, links resolved, lies inside `folder` (resolved too). Only a path
    that is itself a link is resolved on its own; its folder is resolved once per run."""
    try:
        name = os.fspath(path)
        base = os.path.basename(name)
        if os.path.islink(name):
            real = os.path.realpath(name)
        else:
            real = f"{_real_folder(os.path.dirname(name))}/{base}"
        return _within(real, os.fspath(folder))
    except (ValueError, OSError, RuntimeError):
        return False


def read_bounded(
    path: str | os.PathLike[str], limit: int, site_root: str | os.PathLike[str] | None = None
) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; with `site_root`,
    a path that leads out of the site through a link is refused. Raises RefusedRead for
    a refusal, OSError when the file cannot be opened or read."""
    name = os.fspath(path)
    if site_root is None:
        handle = os.open(name, _OPEN_FLAGS)
    else:
        handle = _open_in_site(name, os.fspath(site_root))
    try:
        return read_open(handle, name, limit)[0]
    finally:
        os.close(handle)


def read_open(handle: int, name: str, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the file open at `handle` and what it is, refused (RefusedRead, naming
    `name`) unless a regular file of at most `limit` bytes: the one reading every reader
    shares, whoever opened the file and however (the write session opens without
    following a link)."""
    status = os.fstat(handle)
    if not stat.S_ISREG(status.st_mode):
        raise RefusedRead(name, f"{_kind(status.st_mode)}, not a regular file")
    if status.st_size > limit:
        raise RefusedRead(name, f"larger than {size_text(limit)}, the limit")
    parts, total = [], 0
    # A file that holds still takes one read: asked for its size and one byte more, it
    # gives exactly its size, which is its end. Any other file (one that grew since fstat, a
    # /proc file that says it is empty) is read on in chunks to an empty read, never past
    # limit + 1 bytes. (Asking for more than the size would allocate a buffer that large
    # on every read: a megabyte for each page.)
    wanted = min(status.st_size + 1, limit + 1)
    while total <= limit:
        part = os.read(handle, wanted)
        parts.append(part)
        total += len(part)
        if not part or (len(part) < wanted and total == status.st_size):
            break
        wanted = min(_CHUNK, limit + 1 - total)
    if total > limit:
        raise RefusedRead(name, f"larger than {size_text(limit)}, the limit")
    return (parts[0] if len(parts) == 1 else b"".join(parts)), status


def _open_in_site(name: str, root: str) -> int:
    """`name` opened, refused when a link leads it out of the site at `root`: a linked
    folder on its way judged by its real path (each folder resolved once), the file opened
    without following a final link, and a link resolved and judged before its target is
    opened. A path outside the site that no link leads to (a page named on the command
    line) is read as given."""
    try:
        parent = os.path.dirname(name) or "."
        real_parent = _real_folder(parent)
        if real_parent != os.path.abspath(parent) and not _within(real_parent, root):
            raise RefusedRead(name, "a link that leads outside the site")
        try:
            return os.open(name, _OPEN_FLAGS | _NO_FOLLOW)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.EMLINK) or not os.path.islink(name):
                raise
        real = os.path.realpath(name)
        if not _within(real, root):
            raise RefusedRead(name, "a link that leads outside the site")
        return os.open(real, _OPEN_FLAGS | _NO_FOLLOW)
    except ValueError as error:  # a NUL in the name
        raise RefusedRead(name, str(error)) from error
