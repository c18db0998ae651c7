"""How `check --fix` writes its pages (atomic.write_all_atomic): several at a time, each
old or new and never half-written, an interrupt let through only between batches, and a
failed write a one-line error naming the page."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import GUIDEWRIGHT, commit_all, isolated_env, run_cli
from test_check_fix import PAGES, seeded  # noqa: F401  (the fixture)

from guidewright.check.fix import fix_site, fix_text
from guidewright.core import atomic
from guidewright.core.atomic import HELD_AT_ONCE, write_all_atomic
from guidewright.core.errors import OperationFailed
from guidewright.rules.registry import REGISTRY
from guidewright.site.site import load_site


def pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    made = []
    for number in range(count):
        page = folder / f"page-{number}.md"
        page.write_bytes(b"old\n")
        made.append(page)
    return made


def test_every_file_is_written_with_its_mode_and_no_temporary_is_left(tmp_path: Path) -> None:
    targets = pages(tmp_path, 2 * HELD_AT_ONCE + 3)  # three batches, the last a short one
    targets[5].chmod(0o640)
    write_all_atomic([(page, f"new {page.name}\r\n".encode()) for page in targets])
    assert [page.read_bytes() for page in targets] == [
        f"new {page.name}\r\n".encode() for page in targets
    ]
    assert stat.S_IMODE(targets[5].stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets)


def test_a_failed_write_names_its_file_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    targets = pages(tmp_path, 10)
    missing = tmp_path / "gone" / "page.md"  # its folder does not exist: no temporary file
    with pytest.raises(OSError) as raised:
        write_all_atomic([(page, b"new\n") for page in targets[:5]] + [(missing, b"new\n")])
    assert raised.value.filename == str(missing)
    assert all(page.read_bytes() == b"new\n" for page in targets[:5])  # written beside it
    assert all(page.read_bytes() == b"old\n" for page in targets[5:])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets)


def test_ctrl_c_during_a_batch_waits_for_its_writes_and_stops_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = pages(tmp_path, 3 * HELD_AT_ONCE)
    write_atomic = atomic.write_atomic

    def interrupting(path: Path, content: bytes) -> None:
        if path == targets[3]:  # Ctrl-C while the first batch is being written
            os.kill(os.getpid(), signal.SIGINT)
        write_atomic(path, content)

    monkeypatch.setattr(atomic, "write_atomic", interrupting)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic([(page, b"new\n") for page in targets])
    contents = [page.read_bytes() for page in targets]
    assert contents[:HELD_AT_ONCE] == [b"new\n"] * HELD_AT_ONCE  # the held batch, whole
    assert contents[HELD_AT_ONCE:] == [b"old\n"] * (2 * HELD_AT_ONCE)  # none after it
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets)


TERMINATED = """
import os, signal, sys
from pathlib import Path
from guidewright.core import atomic
targets = [Path(sys.argv[1]) / f"page-{number}.md" for number in range(3 * atomic.HELD_AT_ONCE)]
write_atomic = atomic.write_atomic
def terminating(path, content):
    if path == targets[3]:
        os.kill(os.getpid(), signal.SIGTERM)  # its default: end the process at once
    write_atomic(path, content)
atomic.write_atomic = terminating
atomic.write_all_atomic([(page, b"new\\n") for page in targets])
"""


def test_sigterm_during_a_batch_waits_for_its_writes(tmp_path: Path) -> None:
    targets = pages(tmp_path, 3 * HELD_AT_ONCE)
    ended = subprocess.run([sys.executable, "-c", TERMINATED, str(tmp_path)], check=False)
    assert ended.returncode == -signal.SIGTERM
    contents = [page.read_bytes() for page in targets]
    assert contents[:HELD_AT_ONCE] == [b"new\n"] * HELD_AT_ONCE
    assert contents[HELD_AT_ONCE:] == [b"old\n"] * (2 * HELD_AT_ONCE)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets)


def test_fix_reports_a_page_it_cannot_write_in_one_line(
    seeded: tuple[Path, Path],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, home = seeded
    page = site / PAGES["guide"]
    unfixed = page.read_bytes()
    write_atomic = atomic.write_atomic

    def refusing(path: Path, content: bytes) -> None:
        if path == page:
            raise PermissionError(13, "Permission denied", str(path))
        write_atomic(path, content)

    monkeypatch.setattr(atomic, "write_atomic", refusing)
    monkeypatch.chdir(site)
    with pytest.raises(OperationFailed) as raised:
        fix_site(load_site(site), None, pretend=False)
    assert str(raised.value).startswith(f"{PAGES['guide']}: not written (Permission denied); ")
    assert page.read_bytes() == unfixed
    assert not [p for p in page.parent.iterdir() if p.name.endswith(".tmp")]
    fixed = site / PAGES["tutorial"]  # written beside it: whole, as a second run sees
    again = run_cli("check", "--fix", str(fixed), cwd=site, home=home)
    assert "fixed 0 lists in 0 pages" in again.stdout


def test_ctrl_c_while_fix_writes_leaves_each_page_old_or_fixed(
    seeded: tuple[Path, Path],  # noqa: F811
) -> None:
    site, home = seeded
    guide = (site / PAGES["guide"]).read_bytes()
    fixed = fix_text(guide.decode("utf-8"), REGISTRY.fixable)[0].encode("utf-8")  # as --fix
    assert fixed != guide
    many = [site / "docs" / "many" / f"page-{number:03}.md" for number in range(320)]
    many[0].parent.mkdir()
    for page in many:  # above PARALLEL_FROM: the workers' path, five batches of writes
        page.write_bytes(guide)
    commit_all(site, home, "many pages")
    command = [GUIDEWRIGHT, "check", "--fix"]
    running = subprocess.Popen(command, cwd=site, env=isolated_env(home), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 120
    while many[0].read_bytes() == guide and running.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    running.send_signal(signal.SIGINT)  # as the first batch is being written
    _, stderr = running.communicate(timeout=120)
    contents = [page.read_bytes() for page in many]
    assert set(contents) <= {guide, fixed}
    assert not [p for p in site.rglob("*.tmp")]
    assert "Traceback" not in stderr
    if running.returncode == 130:  # else it ended first: every page fixed
        assert "interrupted; each page is as it was or fixed whole" in stderr
    else:
        assert contents == [fixed] * len(many)


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    """mkstemp makes 0600; a new page or answers file is as readable as any file made."""
    current = os.umask(0o22)
    os.umask(current)
    target = tmp_path / "new.yml"
    atomic.write_atomic(target, b"x\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current
