"""One write session: how every command that changes a site writes it (`update`,
`check --fix`, `adopt`, `new`, and the site configuration's tags).

A session holds the site's lock for the whole run (site/lock.py), offers the clean-git check
(site/git_checks.py), and writes files in groups: a document and its answers file change
together or not at all. A file is replaced only while it is still what the run read
(core/atomic.py's `Seen`): just before its rename it is read again, and if its inode or
its bytes changed, or it is gone, or a file appeared where one was to be created, the
whole group is left as it is and listed (`changed while update ran: left as you saved it;
run update again`): an author who saves a page while a run goes on keeps the save, and a
page moved or deleted meanwhile is not recreated. (The compare and the rename are two
steps: a save landing in the microseconds between them is the one case not caught.)

Nothing is written through a symbolic link: every folder is opened one name at a time from
the site's root without following a link, so a linked section folder, answers folder or
page is refused by name, even one made while the run goes on.

New contents are staged in the run's own folder, `.guidewright/staging/<run>/`, flushed to
the disk, then renamed into place, and the target's folder flushed (crash safety not left
to ext4's auto_da_alloc). A staged name is a counter, never longer than its target's name
(a page of 244 bytes or more has no room for a longer one): when the counter has more
characters than the target's name, the target's own name goes in a folder of its own. The
staging folder goes when the session ends; one left by a killed run is removed by the next
run, which holds the lock and so knows that no run is using it (listed in `cleaned`).

Concurrency, one policy for every writer (before, `adopt` wrote in processes, `check --fix`
in 4 threads and `update` one pair at a time): groups are written by `WRITERS` threads, in
chunks of `HELD_AT_ONCE` with Ctrl-C and SIGTERM held meanwhile (each group is whole or not
begun, and the report lists every group written). A write spends its time waiting for the
disk (the staged files flushed, the rename), and threads wait together while the GIL is
free, which lets the file system commit many flushes at once. Measured on 1,000
page-and-answers pairs (benchmarks/bench_writes.py; ext4 on a virtual disk, 2 cores shared
with other work, load average 10 to 13; medians of 3, two runs): one at a time 18.4 and
16.8 s, 2 threads 4.9 and 5.2 s, 4 threads 3.0 and 3.8 s, 8 threads 2.9 and 3.3 s, 16
threads 4.7 s, 2 processes 3.7 and 4.1 s. Processes gained less than threads and cost a
fork and pickling; 8 threads were the fastest in both runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import count
from pathlib import Path
from types import TracebackType

from guidewright.core.atomic import (
    ABSENT,
    Changed,
    LinkRefused,
    Seen,
    flush_folder,
    open_folder,
    put_in_place,
    stage,
    still_as_seen,
)
from guidewright.core.errors import OperationFailed
from guidewright.core.signals import finalizer_interrupt_raised, signals_held
from guidewright.site.git_checks import require_clean_git
from guidewright.site.lock import GUIDEWRIGHT_DIR, refuse_link, site_lock
from guidewright.site.site import ANSWERS_DIR, Site

WRITERS = 8  # see the docstring: measured
HELD_AT_ONCE = 64  # groups written per hold of Ctrl-C: an interrupt waits a moment at most
STAGING_DIR = "staging"  # in .guidewright/
LEGACY_STAGING = ".guidewright-staging-"  # where `new` staged before, at the site's root


@dataclass(frozen=True)
class Target:
    """One file to write: where (relative to the site's root, `/`-separated), what the run
    read there (ABSENT: a file to create), and its new content; None removes the file
    (`mv`: a page's old place), only while it still is what the run read."""

    relpath: str
    seen: Seen
    content: bytes | None


Group = Sequence[Target]  # written together or not at all


class Written(StrEnum):
    """What became of a group."""

    WRITTEN = "written"
    LEFT = "left"  # someone changed a file meanwhile: theirs stays
    REFUSED = "refused"  # a symbolic link where a file or folder is to be written
    FAILED = "failed"  # the file system refused


@dataclass(frozen=True)
class GroupResult:
    """A group's fate; when not written, the file that kept it and why."""

    status: Written
    relpath: str = ""
    reason: str = ""

    @property
    def message(self) -> str:
        return f"{self.relpath}: {self.reason}"


@dataclass
class _Folders:
    """Folders opened from the site's root, one name at a time (core/atomic.open_folder),
    afresh for each group: a folder moved or replaced by a link meanwhile is never
    written through. Remembers the folders the run made."""

    root: int
    made: list[str] = field(default_factory=list)  # outermost first
    flushed: int = 0  # folders made whose parents are flushed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self, relpath: str, create: bool) -> int:
        parts = [p for p in relpath.split("/") if p]
        folder, made = open_folder(self.root, parts, create)
        with self.lock:
            self.made += made
        return folder

    def flush(self, relpaths: set[str]) -> None:
        """These folders' entries made durable, with the parents of the folders made."""
        with self.lock:
            relpaths |= {_parent(made) for made in self.made[self.flushed :]}
            self.flushed = len(self.made)
        for relpath in relpaths:
            with contextlib.suppress(FileNotFoundError):  # removed meanwhile: nothing to keep
                folder = self.open(relpath, create=False)
                try:
                    flush_folder(folder)
                finally:
                    os.close(folder)


class WriteSession:
    """The lock, the git check and compare-before-replace writes of one command's run."""

    def __init__(self, site: Site, command: str) -> None:
        self.site = site
        self.command = command
        self.cleaned: list[str] = []  # what killed runs had left, removed
        self._stack = contextlib.ExitStack()
        self._numbers = count()
        self._staging = -1
        self._staging_name = f"run-{os.getpid()}"
        self._folders: _Folders | None = None

    def __enter__(self) -> WriteSession:
        try:
            root = os.open(self.site.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self._stack.callback(os.close, root)
            guidewright = self._stack.enter_context(site_lock(root, self.command))
            self._folders = _Folders(root)
            self._refuse_linked_answers(guidewright)
            try:
                self._clean_left_staging(root, guidewright)
                self._staging = self._make_staging(guidewright)
            except LinkRefused:  # a committed .guidewright/staging link: refused by name
                staging = LinkRefused(f"{GUIDEWRIGHT_DIR}/{STAGING_DIR}")
                raise refuse_link(staging, self.command) from None
            except OSError as error:  # a file where the folder goes, a full disk
                raise OperationFailed(
                    f"{GUIDEWRIGHT_DIR}/{STAGING_DIR}: {self.command} cannot stage its writes "
                    f"there ({error.strerror or error}); nothing was written"
                ) from None
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    # ---- the run's surroundings ---------------------------------------------------------

    def require_clean_git(self, relpaths: Iterable[str], staged_ok: bool = False) -> None:
        """Refuse a site outside git, or with uncommitted changes in what the run writes
        (`staged_ok`: a change staged whole is no uncommitted change here)."""
        require_clean_git(self.site, relpaths, self.command, staged_ok)

    def _refuse_linked_answers(self, guidewright: int) -> None:
        name = ANSWERS_DIR.removeprefix(GUIDEWRIGHT_DIR + "/")
        if _is_link(guidewright, name):
            raise refuse_link(LinkRefused(ANSWERS_DIR), self.command)

    def _clean_left_staging(self, root: int, guidewright: int) -> None:
        """What killed runs left, removed: the lock is ours, so no run is using it."""
        with contextlib.suppress(FileNotFoundError):
            staging, _ = open_folder(guidewright, [STAGING_DIR], create=False)
            try:
                for name in os.listdir(staging):
                    _remove_tree(staging, name)
                    self.cleaned.append(f"{GUIDEWRIGHT_DIR}/{STAGING_DIR}/{name}")
            finally:
                os.close(staging)
        for name in os.listdir(root):
            if name.startswith(LEGACY_STAGING) and not _is_link(root, name):
                _remove_tree(root, name)
                self.cleaned.append(name)

    def _make_staging(self, guidewright: int) -> int:
        parent, _ = open_folder(guidewright, [STAGING_DIR], create=True)
        try:
            os.mkdir(self._staging_name, 0o700, dir_fd=parent)
            staging, _ = open_folder(parent, [self._staging_name], create=False)
        except BaseException:
            os.close(parent)
            raise

        def remove() -> None:
            os.close(staging)
            with contextlib.suppress(OSError):
                _remove_tree(parent, self._staging_name)
            with contextlib.suppress(OSError):  # empty unless a killed run's came back
                os.rmdir(STAGING_DIR, dir_fd=guidewright)
            os.close(parent)

        self._stack.callback(self._remove_made_folders)
        self._stack.callback(remove)
        return staging

    def _remove_made_folders(self) -> None:
        """Folders the run made and left empty (a group that was not written): gone."""
        assert self._folders is not None
        root = self._folders.root
        for relpath in reversed(self._folders.made):
            with contextlib.suppress(OSError):  # not empty: something was written there
                parent, _ = open_folder(root, relpath.split("/")[:-1], create=False)
                try:
                    os.rmdir(relpath.rsplit("/", 1)[-1], dir_fd=parent)
                finally:
                    os.close(parent)

    # ---- writing ------------------------------------------------------------------------

    def write(
        self, groups: Sequence[Group], done: Callable[[int, GroupResult], None] | None = None
    ) -> list[GroupResult]:
        """Write each group (whole, or not at all), `WRITERS` at a time; `done(index,
        result)` is called for each before an interrupt held meanwhile is let through, so
        that a caller's report lists every group written."""
        results: list[GroupResult] = []
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="write") as writers:
            for start in range(0, len(groups), HELD_AT_ONCE):
                finalizer_interrupt_raised()  # a Ctrl-C a finalizer took stops here
                # Held in this thread before the writers start: a thread is created with
                # the signal mask of the one that creates it, so no signal stops a writer.
                with signals_held():
                    chunk = groups[start : start + HELD_AT_ONCE]
                    if len(chunk) == 1:
                        found = [self._write_group(chunk[0])]
                    else:
                        futures = [writers.submit(self._write_group, group) for group in chunk]
                        wait(futures)
                        found = [future.result() for future in futures]
                    self._flush(chunk, found)
                    for index, result in enumerate(found, start):
                        results.append(result)
                        if done is not None:
                            done(index, result)
        return results

    def scratch_folder(self) -> Path:
        """A new empty folder in the run's staging folder, for a renderer to write into
        (Copier, for `new`); it goes with the staging folder."""
        name = f"scratch-{next(self._numbers)}"
        os.mkdir(name, 0o700, dir_fd=self._staging)
        return self.site.root / GUIDEWRIGHT_DIR / STAGING_DIR / self._staging_name / name

    def write_one(self, target: Target) -> GroupResult:
        """One file, as `write` writes a group of one."""
        return self.write([[target]])[0]

    def _flush(self, chunk: Sequence[Group], found: Sequence[GroupResult]) -> None:
        """The folders of the files written made durable, each once."""
        assert self._folders is not None
        self._folders.flush(
            {
                _parent(t.relpath)
                for g, r in zip(chunk, found, strict=True)
                if r.status is Written.WRITTEN
                for t in g
            }
        )

    def _write_group(self, group: Group) -> GroupResult:
        assert self._folders is not None
        staged: list[str] = []
        opened: list[int] = []
        try:
            places = []
            for target in group:
                with self._about(target.relpath, in_folders=True):
                    folder_relpath, name = _split(target.relpath)
                    folder = self._folders.open(folder_relpath, create=target.seen is ABSENT)
                    opened.append(folder)
                    if target.content is None:  # a removal: the file is moved aside there
                        staged.append(self._staged_name(name))
                    else:
                        staged.append(self._stage(name, target.content))
                    places.append((target, folder, name))
            found = []
            for target, folder, name in places:
                with self._about(target.relpath):
                    found.append(still_as_seen(folder, name, target.seen))
            self._put_all(places, staged, found)
        except _NotWritten as refused:
            return refused.result
        else:
            self._remove_emptied([t.relpath for t in group if t.content is None])
        finally:
            for name in staged:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name, dir_fd=self._staging)
            for folder in opened:
                os.close(folder)
        return GroupResult(Written.WRITTEN)

    def _put_all(
        self,
        places: list[tuple[Target, int, str]],
        staged: list[str],
        found: list[tuple[bytes, int]],
    ) -> None:
        """Each staged file into place; when one cannot be, those before it are put back
        as they were (the group must not disagree)."""
        done: list[int] = []
        try:
            for index, (target, folder, name) in enumerate(places):
                with self._about(target.relpath):
                    if target.content is None:
                        aside = staged[index]
                        os.rename(name, aside, src_dir_fd=folder, dst_dir_fd=self._staging)
                    else:
                        replacing = target.seen is not ABSENT
                        mode = found[index][1]
                        put_in_place(self._staging, staged[index], folder, name, mode, replacing)
                done.append(index)
        except BaseException:  # an error, or an interrupt no hold stopped (a bug's)
            for index in reversed(done):
                target, folder, name = places[index]
                with self._about(target.relpath, putting_back=True):
                    if target.content is None:  # removed: moved back from where it was put
                        aside = staged[index]
                        os.rename(aside, name, src_dir_fd=self._staging, dst_dir_fd=folder)
                    elif target.seen is ABSENT:
                        os.unlink(name, dir_fd=folder)
                    else:
                        old, mode = found[index]
                        back = self._stage(name, old)
                        put_in_place(self._staging, back, folder, name, mode, replacing=True)
            raise

    @contextlib.contextmanager
    def _about(
        self, relpath: str, in_folders: bool = False, putting_back: bool = False
    ) -> Iterator[None]:
        """A step on the file at `relpath`: what stops it becomes the group's result."""
        try:
            yield
        except Changed as change:
            raise _NotWritten(Written.LEFT, relpath, self._left_reason(change)) from None
        except LinkRefused as error:
            # A linked folder is named by open_folder, from the root; else the file is one.
            where = str(error.filename) if in_folders else relpath
            reason = f"a symbolic link; {self.command} writes nothing through one"
            raise _NotWritten(Written.REFUSED, where, reason) from None
        except OSError as error:
            reason = f"not written ({error.strerror or error})"
            if putting_back:
                reason = (
                    f"written, and could not be put back ({error.strerror or error}) when "
                    "its pair could not be written: git diff shows both"
                )
            raise _NotWritten(Written.FAILED, relpath, reason) from None

    def _staged_name(self, target_name: str) -> str:
        """A name in the staging folder, no longer than the target's (see the module's
        docstring): where a new content is staged, or a removed file is put aside (a
        rename its group can undo; removed with the staging folder)."""
        name = _base36(next(self._numbers))
        if len(name.encode()) > len(target_name.encode(errors="surrogateescape")):
            os.mkdir(name, 0o700, dir_fd=self._staging)  # room for the target's own name
            name = f"{name}/{target_name}"
        return name

    def _remove_emptied(self, removed: list[str]) -> None:
        """The folders a group's removals left empty, gone (as `git mv` leaves none), up
        to and never including a folder at the top of the site (the docs folder,
        `.guidewright`)."""
        assert self._folders is not None
        for relpath in removed:
            folder = _parent(relpath)
            while "/" in folder:
                parent, _, name = folder.rpartition("/")
                try:
                    handle = self._folders.open(parent, create=False)
                except OSError:
                    return
                try:
                    os.rmdir(name, dir_fd=handle)
                except OSError:  # not empty (or gone): the folders above stay too
                    break
                finally:
                    os.close(handle)
                folder = parent

    def _stage(self, target_name: str, content: bytes) -> str:
        name = self._staged_name(target_name)
        stage(self._staging, name, content)
        return name

    def _left_reason(self, change: Changed) -> str:
        command = self.command
        if change.how == Changed.GONE:
            return f"moved or deleted while {command} ran: not recreated"
        if change.how == Changed.CREATED:
            return "exists already: left as it is"
        return f"changed while {command} ran: left as you saved it; run {command} again"


def _split(relpath: str) -> tuple[str, str]:
    folder, _, name = relpath.rpartition("/")
    if name in ("", ".", "..") or any(p in (".", "..") for p in folder.split("/")):
        raise _NotWritten(Written.FAILED, relpath, "not a file's place inside the site")
    return folder, name


def _parent(relpath: str) -> str:
    return relpath.rpartition("/")[0]


class _NotWritten(Exception):
    """A group stopped: why, and at which file."""

    def __init__(self, status: Written, relpath: str, reason: str) -> None:
        super().__init__(reason)
        self.result = GroupResult(status, relpath, reason)


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def _remove_tree(folder: int, name: str) -> None:
    """`folder`/`name` and all below it, no link followed (shutil.rmtree's fd walk)."""
    try:
        shutil.rmtree(name, dir_fd=folder)
    except NotADirectoryError:
        os.unlink(name, dir_fd=folder)
    except OSError as error:
        if error.errno != errno.ENOENT:
            raise


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text
