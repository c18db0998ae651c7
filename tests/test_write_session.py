"""The write session every writer uses (site/write_session.py): one run at a time, files
replaced only while they are what the run read, nothing through a link, no temporary name
longer than its target's, staging of a killed run cleaned by the next, interrupts held
while a chunk of groups is written."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import HANG, ctrl_c_as_from_a_terminal

from guidewright.core.atomic import ABSENT, read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.site import lock, write_session
from guidewright.site.lock import HELD, LOCK_RELPATH, site_lock
from guidewright.site.site import Site, SiteConfig
from guidewright.site.write_session import HELD_AT_ONCE, Target, WriteSession, Written


def a_site(root: Path, pages: int = 0) -> Site:
    (root / "docs" / "sec").mkdir(parents=True, exist_ok=True)
    for number in range(pages):
        (root / "docs" / "sec" / f"page-{number}.md").write_bytes(b"old\n")
    return Site(root, "docs", SiteConfig())


def target(site: Site, relpath: str, content: bytes) -> Target:
    """A target as a run makes it: what it read there, and what it writes."""
    try:
        seen = read_seen(site.root / relpath, PAGE_BYTES)[1]
    except FileNotFoundError:
        seen = ABSENT
    return Target(relpath, seen, content)


def leftovers(root: Path) -> list[str]:
    """What a run may leave: temporary files, staging, the lock file."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.name.endswith(".tmp") or "staging" in p.name or p.name == "update.lock"
    )


# ---- writes ----------------------------------------------------------------------------


def test_every_group_is_written_with_its_mode_and_nothing_is_left(tmp_path: Path) -> None:
    site = a_site(tmp_path, 2 * HELD_AT_ONCE + 3)  # three chunks, the last a short one
    pages = sorted((tmp_path / "docs/sec").iterdir())
    pages[5].chmod(0o640)
    relpaths = [p.relative_to(tmp_path).as_posix() for p in pages]
    with WriteSession(site, "update") as session:
        results = session.write([[target(site, r, f"new {r}\r\n".encode())] for r in relpaths])
    assert {r.status for r in results} == {Written.WRITTEN}
    assert [p.read_bytes() for p in pages] == [f"new {r}\r\n".encode() for r in relpaths]
    assert stat.S_IMODE(pages[5].stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]  # .guidewright made, gone


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    """A staged file is 0600; a new page or answers file is as readable as any file made."""
    current = os.umask(0o22)
    os.umask(current)
    site = a_site(tmp_path)
    with WriteSession(site, "new") as session:
        assert (
            session.write_one(Target("docs/sec/new.md", ABSENT, b"x\n")).status is Written.WRITTEN
        )
    assert stat.S_IMODE((tmp_path / "docs/sec/new.md").stat().st_mode) == 0o666 & ~current


def test_the_file_and_its_folder_are_flushed_to_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    flushed: list[tuple[int, int]] = []
    fsync = os.fsync

    def recording(handle: int) -> None:
        info = os.fstat(handle)
        flushed.append((info.st_ino, stat.S_IFMT(info.st_mode)))
        fsync(handle)

    monkeypatch.setattr(os, "fsync", recording)
    with WriteSession(site, "update") as session:
        session.write_one(target(site, "docs/sec/page-0.md", b"new\n"))
    page, folder = (tmp_path / "docs/sec/page-0.md").stat(), (tmp_path / "docs/sec").stat()
    assert (page.st_ino, stat.S_IFREG) in flushed  # its data, before the rename
    assert (folder.st_ino, stat.S_IFDIR) in flushed  # the rename


def test_a_name_of_255_bytes_is_written_in_place(tmp_path: Path) -> None:
    """A temporary name is never longer than the target's: here no longer name can be."""
    site = a_site(tmp_path)
    name = "p" * 252 + ".md"
    (tmp_path / "docs/sec" / name).write_bytes(b"old\n")
    with WriteSession(site, "update") as session:
        numbers = [session.write_one(target(site, f"docs/sec/{name}", b"new\n")) for _ in range(40)]
        short = session.write_one(target(site, "docs/sec/a", b"short\n"))  # past counter "z"
    assert {r.status for r in [*numbers, short]} == {Written.WRITTEN}, numbers
    assert (tmp_path / "docs/sec" / name).read_bytes() == b"new\n"
    assert (tmp_path / "docs/sec/a").read_bytes() == b"short\n"


def test_staged_names_are_never_longer_than_their_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path)
    staged: list[tuple[str, str]] = []
    stage = write_session.stage

    def recording(folder: int, name: str, content: bytes) -> None:
        staged.append((name.rsplit("/", 1)[-1], content.decode()))
        stage(folder, name, content)

    monkeypatch.setattr(write_session, "stage", recording)
    names = ["a", "bb", "c.md", "p" * 255]
    with WriteSession(site, "new") as session:
        for _ in range(40):
            for name in names:
                session.write_one(Target(f"docs/sec/{name}", ABSENT, name.encode()))
    assert len(staged) == 40 * len(names)
    assert all(len(name) <= len(target_name) for name, target_name in staged)


# ---- compare before replace ------------------------------------------------------------


def put_refused(monkeypatch: pytest.MonkeyPatch, errors: dict[str, OSError]) -> None:
    """Putting a staged file in place as one of `errors`' names fails with its error (a full
    disk, a denied write)."""
    put = write_session.put_in_place

    def refusing(
        staging: int, staged: str, folder: int, name: str, *rest: Any, **named: Any
    ) -> None:
        if name in errors:
            raise errors[name]
        put(staging, staged, folder, name, *rest, **named)

    monkeypatch.setattr(write_session, "put_in_place", refusing)


def meanwhile(monkeypatch: pytest.MonkeyPatch, content: bytes, action: Callable[[], Any]) -> None:
    """`action` runs when `content` is staged: after the run read, before it compares."""
    stage = write_session.stage

    def staging(folder: int, name: str, staged: bytes) -> None:
        if staged == content:
            action()
        stage(folder, name, staged)

    monkeypatch.setattr(write_session, "stage", staging)


@pytest.mark.parametrize("how", ["in place", "renamed over", "same bytes, new file"])
def test_a_file_saved_meanwhile_is_left_as_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    saved = b"old\n" if how == "same bytes, new file" else b"saved by the author\n"

    def save() -> None:
        if how == "in place":
            page.write_bytes(saved)  # same inode, new bytes
        else:
            (page.parent / "editor.swp").write_bytes(saved)
            os.replace(page.parent / "editor.swp", page)  # a new inode

    planned = target(site, "docs/sec/page-0.md", b"new\n")
    meanwhile(monkeypatch, b"new\n", save)
    with WriteSession(site, "update") as session:
        result = session.write_one(planned)
    assert (result.status, result.relpath) == (Written.LEFT, "docs/sec/page-0.md")
    assert result.reason == "changed while update ran: left as you saved it; run update again"
    assert page.read_bytes() == saved


def test_a_file_gone_meanwhile_is_not_recreated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    planned = target(site, "docs/sec/page-0.md", b"new\n")
    meanwhile(monkeypatch, b"new\n", page.unlink)
    with WriteSession(site, "update") as session:
        result = session.write_one(planned)
    assert result.message == "docs/sec/page-0.md: moved or deleted while update ran: not recreated"
    assert not page.exists()


def test_a_file_to_create_that_appears_meanwhile_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path)
    page = tmp_path / "docs/sec/new.md"
    meanwhile(monkeypatch, b"ours\n", lambda: page.write_bytes(b"theirs\n"))
    with WriteSession(site, "new") as session:
        result = session.write_one(Target("docs/sec/new.md", ABSENT, b"ours\n"))
    assert result.message == "docs/sec/new.md: exists already: left as it is"
    assert page.read_bytes() == b"theirs\n"


def test_a_pair_whose_second_file_changed_is_not_written_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    answers = tmp_path / ".guidewright/answers/sec/page-0.yml"
    answers.parent.mkdir(parents=True)
    answers.write_bytes(b"slug: page-0\n")
    pair = [
        target(site, "docs/sec/page-0.md", b"new page\n"),
        target(site, ".guidewright/answers/sec/page-0.yml", b"new answers\n"),
    ]
    meanwhile(monkeypatch, b"new answers\n", lambda: answers.write_bytes(b"edited\n"))
    with WriteSession(site, "update") as session:
        result = session.write([pair])[0]
    assert result.relpath == ".guidewright/answers/sec/page-0.yml"
    assert result.status is Written.LEFT
    assert (tmp_path / "docs/sec/page-0.md").read_bytes() == b"old\n"
    assert answers.read_bytes() == b"edited\n"


def test_a_pair_whose_second_rename_fails_puts_the_first_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    pair = [
        target(site, "docs/sec/page-0.md", b"new page\n"),
        Target(".guidewright/answers/sec/page-0.yml", ABSENT, b"answers\n"),
    ]
    put_refused(monkeypatch, {"page-0.yml": OSError(28, "No space left on device")})
    with WriteSession(site, "adopt") as session:
        result = session.write([pair])[0]
    assert result.message == (
        ".guidewright/answers/sec/page-0.yml: not written (No space left on device)"
    )
    assert page.read_bytes() == b"old\n"
    assert not (tmp_path / ".guidewright").exists()  # the answers folder made, then removed
    assert leftovers(tmp_path) == []


def test_a_move_creates_the_new_file_removes_the_old_and_its_emptied_folders(
    tmp_path: Path,
) -> None:
    site = a_site(tmp_path, 1)
    (tmp_path / "docs/keep").mkdir()
    old = target(site, "docs/sec/page-0.md", b"")
    move = [Target("docs/new/deep/page.md", ABSENT, b"old\n"), Target(old.relpath, old.seen, None)]
    with WriteSession(site, "mv") as session:
        assert session.write([move])[0].status is Written.WRITTEN
    assert (tmp_path / "docs/new/deep/page.md").read_bytes() == b"old\n"
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["keep", "new"]
    assert leftovers(tmp_path) == []


def test_a_removal_of_a_file_saved_meanwhile_leaves_the_group_unwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    old = target(site, "docs/sec/page-0.md", b"")
    move = [Target("docs/new/page.md", ABSENT, b"moved\n"), Target(old.relpath, old.seen, None)]
    meanwhile(monkeypatch, b"moved\n", lambda: page.write_bytes(b"saved\n"))
    with WriteSession(site, "mv") as session:
        result = session.write([move])[0]
    assert (result.status, result.relpath) == (Written.LEFT, "docs/sec/page-0.md")
    assert page.read_bytes() == b"saved\n"
    assert not (tmp_path / "docs/new").exists()


def test_a_removal_is_put_back_when_a_later_file_of_its_group_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 1)
    page = tmp_path / "docs/sec/page-0.md"
    old = target(site, "docs/sec/page-0.md", b"")
    group = [Target(old.relpath, old.seen, None), Target("docs/new/page.md", ABSENT, b"moved\n")]
    put_refused(monkeypatch, {"page.md": OSError(28, "No space left on device")})
    with WriteSession(site, "mv") as session:
        result = session.write([group])[0]
    assert result.status is Written.FAILED
    assert page.read_bytes() == b"old\n"
    assert not (tmp_path / "docs/new").exists()
    assert leftovers(tmp_path) == []


# ---- links -----------------------------------------------------------------------------


def test_a_linked_page_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"outside\n")
    (tmp_path / "docs/sec/linked.md").symlink_to(outside)
    seen = read_seen(outside, PAGE_BYTES)[1]
    with WriteSession(site, "check --fix") as session:
        result = session.write_one(Target("docs/sec/linked.md", seen, b"new\n"))
    assert result.status is Written.REFUSED
    assert result.message == (
        "docs/sec/linked.md: a symbolic link; check --fix writes nothing through one"
    )
    assert outside.read_bytes() == b"outside\n"
    assert (tmp_path / "docs/sec/linked.md").is_symlink()


@pytest.mark.parametrize("linked", ["docs/sec", "docs"])
def test_a_linked_folder_is_refused_by_name(tmp_path: Path, linked: str) -> None:
    site = a_site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.rename(tmp_path / linked, outside / "moved")
    (tmp_path / linked).symlink_to(outside / "moved", target_is_directory=True)
    with WriteSession(site, "new") as session:
        result = session.write_one(Target("docs/sec/new.md", ABSENT, b"new\n"))
    assert result.message == f"{linked}: a symbolic link; new writes nothing through one"
    assert not list(outside.rglob("new.md"))


@pytest.mark.parametrize(
    "linked", [".guidewright", ".guidewright/answers", LOCK_RELPATH, ".guidewright/staging"]
)
def test_a_linked_guidewright_folder_answers_folder_or_lock_is_refused(
    tmp_path: Path, linked: str
) -> None:
    site = a_site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / ".guidewright").mkdir()
    link = tmp_path / linked
    if link.exists():
        link.rmdir()
    link.symlink_to(outside / "made-by-a-run", target_is_directory=linked != LOCK_RELPATH)
    with pytest.raises(InvalidInput) as refused, WriteSession(site, "update"):
        pass
    assert str(refused.value) == (
        f"{linked}: a symbolic link; update writes nothing through one "
        "(replace it with the file or folder itself)"
    )
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_file_where_the_staging_folder_goes_is_one_line(tmp_path: Path, kind: str) -> None:
    site = a_site(tmp_path)
    (tmp_path / ".guidewright").mkdir()
    staging = tmp_path / ".guidewright/staging"
    if kind == "file":
        staging.write_bytes(b"x\n")
    else:
        os.mkfifo(staging)
    with pytest.raises(OperationFailed) as failed, WriteSession(site, "mv"):
        pass
    assert str(failed.value) == (
        ".guidewright/staging: mv cannot stage its writes there (Not a directory); "
        "nothing was written"
    )
    assert not staging.is_dir() and not (tmp_path / lock.LOCK_RELPATH).exists()  # lock let go


# ---- the lock --------------------------------------------------------------------------


def test_a_second_session_is_refused_while_one_runs(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    with WriteSession(site, "update"), pytest.raises(OperationFailed, match=HELD):
        WriteSession(site, "check --fix").__enter__()
    with WriteSession(site, "new"):  # released: the next one runs
        pass


def test_the_lock_file_a_run_removes_is_never_held_beside_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race that let two runs hold the lock: B opens the lock file; A ends, removing
    it; C creates a new one and locks it; B then locks the removed one. B must see that
    its file is no longer the lock file and, trying again, find C's held."""
    root = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    first, third = contextlib.ExitStack(), contextlib.ExitStack()
    first.enter_context(site_lock(root, "A"))
    flock = fcntl.flock
    calls: list[int] = []

    def between_open_and_lock(handle: int, how: int) -> None:
        calls.append(handle)
        if len(calls) == 1:  # B has opened the file A holds
            first.close()  # A ends: the file is removed
            third.enter_context(site_lock(root, "C"))  # C locks a new file
        flock(handle, how)

    monkeypatch.setattr(lock.fcntl, "flock", between_open_and_lock)
    with pytest.raises(OperationFailed, match=HELD), site_lock(root, "B"):
        pass
    assert len(calls) == 3  # B, C, then B again on C's file
    third.close()
    os.close(root)
    assert not (tmp_path / LOCK_RELPATH).exists()


HOLDER = """
import os, sys, time
from guidewright.core.errors import OperationFailed
from guidewright.site.lock import site_lock
root = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
log = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND)
held = 0
while held < 150:
    try:
        with site_lock(root, "test"):
            os.write(log, b"+%d\\n" % os.getpid())
            os.write(log, b"-%d\\n" % os.getpid())
            held += 1
    except OperationFailed:
        pass
"""


def test_runs_racing_for_the_lock_never_hold_it_together(tmp_path: Path) -> None:
    """Three processes take and release the lock as fast as they can: each hold, written
    to a log as it begins and ends, ends before the next begins."""
    site = tmp_path / "site"
    site.mkdir()
    log = tmp_path / "log"
    log.write_bytes(b"")
    holders = [
        subprocess.Popen([sys.executable, "-c", HOLDER, str(site), str(log)]) for _ in range(3)
    ]
    for holder in holders:
        assert holder.wait(timeout=HANG) == 0
    lines = log.read_text().split()
    assert len(lines) == 2 * 150 * len(holders)
    for begin, end in zip(lines[0::2], lines[1::2], strict=True):
        assert begin.startswith("+") and end == "-" + begin[1:], (begin, end)


# ---- what a killed run leaves ------------------------------------------------------------

KILLED = """
import os, sys, time
from pathlib import Path
from guidewright.core.atomic import ABSENT
from guidewright.site.site import Site, SiteConfig
from guidewright.site import write_session
from guidewright.site.write_session import Target, WriteSession
def stuck(*args, **kwargs):
    print("staged", flush=True)
    time.sleep(600)
write_session.put_in_place = stuck
with WriteSession(Site(Path(sys.argv[1]), "docs", SiteConfig()), "update") as session:
    (session.scratch_folder() / "rendered.md").write_bytes(b"half")
    session.write_one(Target("docs/sec/new.md", ABSENT, b"staged\\n"))
"""


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path) -> None:
    site = a_site(tmp_path)
    killed = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert killed.stdout is not None and killed.stdout.readline() == "staged\n"
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=HANG)
    left = tmp_path / f".guidewright/staging/run-{killed.pid}"
    assert (left / "scratch-0/rendered.md").is_file() and len(list(left.iterdir())) == 2
    assert (tmp_path / LOCK_RELPATH).is_file()
    (tmp_path / ".guidewright-staging-abc123").mkdir()  # where `new` staged before
    (tmp_path / ".guidewright-staging-abc123/x.md").write_bytes(b"x")
    with WriteSession(site, "update") as session:
        assert session.cleaned == [
            f".guidewright/staging/run-{killed.pid}",
            ".guidewright-staging-abc123",
        ]
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "docs/sec/new.md").exists()


# ---- interrupts ------------------------------------------------------------------------


def test_ctrl_c_during_a_chunk_waits_for_its_writes_and_stops_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = a_site(tmp_path, 3 * HELD_AT_ONCE)
    relpaths = [f"docs/sec/page-{number}.md" for number in range(3 * HELD_AT_ONCE)]
    meanwhile(monkeypatch, b"new docs/sec/page-3.md\n", lambda: os.kill(os.getpid(), signal.SIGINT))
    written: list[int] = []
    with (
        ctrl_c_as_from_a_terminal(),
        pytest.raises(KeyboardInterrupt),
        WriteSession(site, "update") as session,
    ):
        session.write(
            [[target(site, r, f"new {r}\n".encode())] for r in relpaths],
            lambda index, _: written.append(index),
        )
    assert sorted(written) == list(range(HELD_AT_ONCE))  # reported before the interrupt
    contents = [(tmp_path / r).read_bytes() for r in relpaths]
    assert contents[:HELD_AT_ONCE] == [f"new {r}\n".encode() for r in relpaths[:HELD_AT_ONCE]]
    assert contents[HELD_AT_ONCE:] == [b"old\n"] * (2 * HELD_AT_ONCE)
    assert leftovers(tmp_path) == []


TERMINATED = """
import os, signal, sys
from pathlib import Path
from guidewright.core.atomic import read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.site.site import Site, SiteConfig
from guidewright.site import write_session
from guidewright.site.write_session import HELD_AT_ONCE, Target, WriteSession
root = Path(sys.argv[1])
stage = write_session.stage
def terminating(folder, name, content):
    if content == b"new 3\\n":
        os.kill(os.getpid(), signal.SIGTERM)  # its default: end the process at once
    stage(folder, name, content)
write_session.stage = terminating
relpaths = [f"docs/sec/page-{n}.md" for n in range(3 * HELD_AT_ONCE)]
with WriteSession(Site(root, "docs", SiteConfig()), "update") as session:
    session.write([[Target(r, read_seen(root / r, PAGE_BYTES)[1], f"new {n}\\n".encode())]
                   for n, r in enumerate(relpaths)])
"""


def test_sigterm_during_a_chunk_waits_for_its_writes(tmp_path: Path) -> None:
    a_site(tmp_path, 3 * HELD_AT_ONCE)
    ended = subprocess.run([sys.executable, "-c", TERMINATED, str(tmp_path)], check=False)
    assert ended.returncode == -signal.SIGTERM
    contents = [(tmp_path / f"docs/sec/page-{n}.md").read_bytes() for n in range(3 * HELD_AT_ONCE)]
    assert contents[:HELD_AT_ONCE] == [f"new {n}\n".encode() for n in range(HELD_AT_ONCE)]
    assert contents[HELD_AT_ONCE:] == [b"old\n"] * (2 * HELD_AT_ONCE)
