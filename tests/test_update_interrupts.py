"""Ctrl-C or SIGTERM at any moment of an `update`: every document is still whole with its
answers file (both old or both new), no temporary file stays, the run ends at once with
exit 130 and no traceback, and the report says which documents were done."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from interrupt_sites import interrupt_sites
from support import (
    GUIDEWRIGHT,
    HANG,
    ctrl_c_as_from_a_terminal,
    dropped_by_python,
    isolated_env,
    stopped_before_guidewright,
)

SEED = int(os.environ.get("GUIDEWRIGHT_FUZZ_SEED", "20261123"))


def pairs(site: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each document with its answers file, by answers file."""
    found = {}
    for answers in sorted((site / ".guidewright/answers").rglob("*.yml")):
        relative = answers.relative_to(site / ".guidewright/answers")
        document = site / "docs" / relative.with_suffix(".md")
        found[relative.as_posix()] = (document.read_bytes(), answers.read_bytes())
    return found


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:  # type: ignore[type-arg]
    """A site of 400 documents behind its template (enough for the render workers and
    several seconds of writing), and what a whole `update` makes of it."""
    root = interrupt_sites(tmp_path_factory)  # each test updates a copy
    return root / "site", pairs(root / "site"), pairs(root / "update")


@pytest.mark.parametrize("attempt", range(6))
def test_an_interrupt_at_any_moment_leaves_every_pair_whole(
    before_and_after: tuple[Path, dict, dict],  # type: ignore[type-arg]
    tmp_path: Path,
    attempt: int,
) -> None:
    site, old, new = before_and_after
    rng = random.Random(SEED + attempt)
    copy = shutil.copytree(site, tmp_path / "site", symlinks=True)
    with ctrl_c_as_from_a_terminal():  # inherited as a terminal's shell leaves it
        process = subprocess.Popen(
            [GUIDEWRIGHT, "update", "--defaults"],
            cwd=copy,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=isolated_env(tmp_path / "home"),
        )
    time.sleep(rng.uniform(0.2, 3.0))
    process.send_signal(signal.SIGTERM if attempt % 3 == 2 else signal.SIGINT)
    stdout, stderr = process.communicate(timeout=HANG)
    now = pairs(copy)
    if stopped_before_guidewright(stderr) or (process.returncode < 0 and not stderr):
        # The signal came while the interpreter was still starting (0.3 s, attempt 4, is
        # within a loaded machine's start-up): Python stopped before any code of ours ran.
        assert now == old, "written before guidewright started"
    elif dropped_by_python(stderr):
        pass  # Python discarded it as it started: the run went on; its pairs are checked below
    else:
        assert process.returncode in (0, 130), stderr
        assert "Traceback" not in stderr, stderr
    changed = 0
    for key, pair in now.items():
        assert pair in (old[key], new[key]), f"{key}: document and answers disagree"
        changed += pair == new[key] != old[key]
    if process.returncode == 130 and 0 < changed < len(now):  # stopped while writing
        assert f"interrupted: {changed} document" in stdout, stdout
        assert stderr.strip().splitlines()[-1].startswith("error: interrupted"), stderr
    assert not [p for p in copy.rglob("*.tmp")], "a temporary file stayed"
    assert not (copy / ".guidewright/update.lock").exists()
