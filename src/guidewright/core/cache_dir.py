"""Where guidewright keeps what it can make again (template versions, compiled Jinja), and
how an entry that would run as code is trusted: only when this user's key signed it.

A cache folder is often shared or restored from elsewhere (a CI cache a pull request may
write), so write access to it must not be code execution. An entry that is code (compiled
Jinja) is sealed with an HMAC under a per-user secret key kept outside the cache folder,
in the user's configuration folder, readable by the user alone; an entry is read back
only once its seal verifies. Without a usable key nothing is sealed or opened: the cache
then only costs a compile."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
from functools import cache
from pathlib import Path

from guidewright.core.atomic import write_atomic_from
from guidewright.core.bounded_read import read_bounded

CACHE_VARIABLE = "GUIDEWRIGHT_CACHE_DIR"
KEY_BYTES = 32
_SEAL_BYTES = hashlib.sha256().digest_size


def cache_root() -> Path:
    """$GUIDEWRIGHT_CACHE_DIR, else $XDG_CACHE_HOME/guidewright, else ~/.cache/guidewright."""
    explicit = os.environ.get(CACHE_VARIABLE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guidewright"


def key_path() -> Path:
    """The signing key: $XDG_CONFIG_HOME/guidewright/cache-key, else under ~/.config."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "guidewright" / "cache-key"


@cache  # once a process; forked workers inherit it
def signing_key() -> bytes | None:
    """This user's key (made on first use), None when none can be had safely: a key file
    that is a link, not the user's, readable by others, or of the wrong size is not used."""
    path = key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        return _make_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(handle)
        private = status.st_mode & 0o077 == 0 and status.st_uid == os.geteuid()
        if not (stat.S_ISREG(status.st_mode) and private and status.st_size == KEY_BYTES):
            return None
        key = os.read(handle, KEY_BYTES + 1)
    finally:
        os.close(handle)
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> bytes | None:
    """A new key, written whole under a temporary name and linked into place: of two
    processes making one at once, the second reads the first's."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.urandom(8).hex()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            # os.urandom is what `secrets` reads (the OS's CSPRNG), without importing
            # `random` and `base64` at start-up.
            stream.write(os.urandom(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return _read_key(path)


def read_sealed(path: Path, limit: int) -> bytes | None:
    """The payload of the cache entry at `path` where this user sealed it under this
    name (`write_sealed`); None where there is none, it is no file of at most `limit`
    bytes, or its seal does not hold."""
    try:
        entry = read_bounded(path, limit)
    except OSError:  # none kept, or refused (RefusedRead)
        return None
    payload = entry[_SEAL_BYTES:]
    return payload if seal_holds(entry[:_SEAL_BYTES], _named(path, payload)) else None


def write_sealed(path: Path, payload: bytes) -> None:
    """`payload` sealed into the cache entry at `path`, its folder made; nothing without
    a key, or where it cannot be written: a cache only ever saves time. The seal covers
    the entry's name with its payload: the name is the key of what the payload answers,
    and a genuine entry copied under another key (by anyone who can write the cache
    folder) must not answer for that key."""
    mac = sealer()
    if mac is None:
        return
    mac.update(_named(path, payload))
    entry = mac.digest() + payload
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Not flushed to the disk: a crash may leave the entry torn, and a torn entry's
        # seal does not hold, so it is made again (a flush cost every cold run a
        # millisecond an entry, some twenty entries for a template's first `new`).
        write_atomic_from(path, lambda stream: stream.write(entry), durable=False)


def _named(path: Path, payload: bytes) -> bytes:
    """What an entry's seal covers: its name, then its payload."""
    return os.fsencode(path.name) + b"\0" + payload


def seal(payload: bytes) -> bytes | None:
    """`payload` with its seal in front, None without a key."""
    key = signing_key()
    if key is None:
        return None
    return hmac.new(key, payload, hashlib.sha256).digest() + payload


def sealer() -> hmac.HMAC | None:
    """A seal made as its payload is written (`digest()` once it is all in), None without
    a key: an entry written as `seal` would have it, the seal's bytes first."""
    key = signing_key()
    return None if key is None else hmac.new(key, digestmod=hashlib.sha256)


SEAL_BYTES = _SEAL_BYTES


def seal_holds(found: bytes | memoryview, payload: bytes | memoryview) -> bool:
    """Whether `found` is this user's seal of `payload`: for an entry that keeps its seal
    apart from what it seals (a site's index: its seal in front, what it seals at its end,
    never joined into a copy of megabytes)."""
    key = signing_key()
    if key is None or len(found) != _SEAL_BYTES:
        return False
    return hmac.compare_digest(found, hmac.new(key, payload, hashlib.sha256).digest())
