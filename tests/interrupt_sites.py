"""The sites the interrupt tests stop whole-site commands on, built once a run.

test_interrupts.py (Ctrl-C at chosen moments of `check`, `check --fix`, `update`, `adopt`,
`mv`) and test_update_interrupts.py (a signal at a random moment of `update`) need the same
thing: a site of DOCUMENTS pages behind its template, what each whole command makes of
it, and hand-written pages for `adopt`. Built once (built_once.py) rather than once per
module and worker: the build is the slowest set-up of the suite, and the tests only copy
the folders before running a command on them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from brownfield import make_brownfield
from built_once import built_once
from support import GUIDEWRIGHT, REPO, isolated_env

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_update import git, site_behind

DOCUMENTS = 400  # above check's and update's PARALLEL_FROM: their workers start


def _lists_to_fix(site: Path) -> None:
    """Every fourth page ends with a list MkDocs misses: `check --fix` has work."""
    for page in sorted((site / "docs").glob("*/topic-*.md"))[::4]:
        page.write_text(page.read_text("utf-8") + "\nText\n- a list MkDocs misses\n")


def _finished(root: Path, name: str, *command: str) -> subprocess.CompletedProcess[str]:
    """`root/name`: a copy of `root/site` after the whole `guidewright COMMAND`."""
    copy = shutil.copytree(root / "site", root / name, symlinks=True)
    done = subprocess.run(
        [GUIDEWRIGHT, *command],
        cwd=copy,
        capture_output=True,
        text=True,
        env=isolated_env(root / "home"),
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _build(root: Path) -> None:
    site_behind(root, DOCUMENTS, GUIDEWRIGHT, _lists_to_fix)
    updated = _finished(root, "update", "update", "--defaults")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    _finished(root, "checkfix", "check", "--fix")
    section = next((root / "site/docs").glob("*/topic-0.md")).parent.name
    (root / "mv-section").write_text(section, "utf-8")
    moved = _finished(root, "mv", "mv", section, "moved-section")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    brownfield = root / "brownfield"
    make_brownfield(brownfield, DOCUMENTS)
    git(brownfield, "init", "-q")
    git(brownfield, "add", "-A")
    git(brownfield, "commit", "-q", "-m", "hand-written")
    for repository in (root / "site", brownfield):
        _pack(repository)


def _pack(repository: Path) -> None:
    """Git's loose objects (one file each: over half the site's files) packed into one
    file: every run copies the site, and the copy costs by the file. What the commands see
    through git is the same."""
    git(repository, "-c", "gc.auto=0", "gc", "-q", "--prune=now")


def interrupt_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `site` (made with v1, edited by its author, v2 released: `update`
    and `check --fix` have work), `update`, `checkfix` and `mv` (`site` after the whole
    command; `mv` moves the section named in `mv-section` to `moved-section`) and
    `brownfield` (hand-written pages: `adopt` has work). Copy before use."""
    return built_once(tmp_path_factory, "interrupt-sites", _build)
