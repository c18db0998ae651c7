"""The world moving under a run: an answers file deleted while `update` writes, git failing
(a full disk, a corrupt index). The run fails that page only, or says in one line why
it stopped; never a traceback, and the pages already written are reported."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from edited_guides import clone_site
from support import run_cli, snapshot

ANSWERS = ".guidewright/answers/system-design"
Site3 = tuple[Path, Path, Path]


@pytest.fixture
def site_copy(edited_site: Site3, tmp_path: Path) -> Site3:
    site, repo, home = edited_site
    return clone_site(site, tmp_path / "site"), repo, home


def test_an_answers_file_deleted_mid_update_leaves_that_page_only(
    site_copy: Site3, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The author deletes a page's answers file while the run goes on (after update read
    it, before it replaces it): that pair is left as the author has it and listed, every
    other page is written, and the run does not stop."""
    from guidewright.site import write_session
    from guidewright.site.site import load_site
    from guidewright.update import run
    from guidewright.update.plan import Status

    site, _, _ = site_copy
    before = snapshot(site)
    vanishing = site / ANSWERS / "untouched.yml"
    stage = write_session.WriteSession._stage

    def staging(session: write_session.WriteSession, target_name: str, content: bytes) -> str:
        if target_name == "untouched.md" and vanishing.exists():
            vanishing.unlink()  # the author deletes it while the run goes on
        return stage(session, target_name, content)

    monkeypatch.setattr(write_session.WriteSession, "_stage", staging)
    outcomes = {o.document: o for o in run.update_site(load_site(site), None, None, False, None)}
    left = outcomes["docs/system-design/untouched.md"]
    assert left.status is Status.LEFT, left
    assert (
        snapshot(site)["docs/system-design/untouched.md"]
        == before["docs/system-design/untouched.md"]
    )
    assert not vanishing.exists()  # not recreated
    assert all(o.status is not Status.FAILED for o in outcomes.values())


@pytest.fixture
def failing_git(tmp_path: Path) -> Path:
    """A `git` first on PATH that fails `git status` as a full disk makes it fail, and
    runs the real git for everything else."""
    real = next(
        os.path.join(folder, "git")
        for folder in os.environ["PATH"].split(os.pathsep)
        if os.access(os.path.join(folder, "git"), os.X_OK)
    )
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "git"
    fake.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do [ "$arg" = status ] && {\n'
        '  echo "fatal: unable to write new index file: No space left on device" >&2\n'
        "  exit 128; }\n"
        "done\n"
        f'exec {real} "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return folder


@pytest.mark.parametrize("command", [("update", "--defaults"), ("check", "--fix")])
def test_git_status_failing_is_one_line(
    site_copy: Site3, failing_git: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    site, _, home = site_copy
    page = site / "docs/system-design/untouched.md"
    page.write_text(page.read_text() + "\nText\n- a list MkDocs would not see\n")
    from support import commit_all

    commit_all(site, home, "a list to fix")
    before = snapshot(site)
    monkeypatch.setenv("PATH", f"{failing_git}{os.pathsep}{os.environ['PATH']}")
    result = run_cli(*command, cwd=site, home=home)
    # A failed operation is exit 1, but check's 1 says "findings": check could not run, 2.
    assert result.returncode == (2 if command[0] == "check" else 1)
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
    assert lines[0] == (
        "error: git status failed: fatal: unable to write new index file: No space left on device"
    )
    assert snapshot(site) == before


# ---- a version nobody gave on the command line is never blamed on --vcs-ref -----------------


def test_a_recorded_version_that_is_none_blames_the_answers_file(site_copy: Site3) -> None:
    from support import commit_all

    site, _, home = site_copy
    answers = site / ANSWERS / "untouched.yml"
    text = answers.read_text()
    answers.write_text(text.replace("_commit: v1", "_commit: v9"))
    assert "_commit: v9" in answers.read_text()
    commit_all(site, home, "a version that is none")
    updated = run_cli("update", "--defaults", "--pretend", cwd=site, home=home)
    shown = " ".join(updated.stdout.split())
    assert "its recorded version v9 (_commit) is not a version of" in shown, shown
    checked = run_cli("check", cwd=site, home=home)
    assert "its recorded version v9 (_commit) is not a version of" in checked.stdout
    for result in (updated, checked):
        assert "--vcs-ref" not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_a_template_without_a_commit_says_so(site: Path, home: Path, tmp_path: Path) -> None:
    from support import GUIDE_ARGS, git

    empty = tmp_path / "empty-template"
    empty.mkdir()
    git(empty, home, "init", "-q")
    result = run_cli(
        *GUIDE_ARGS, "--dest", str(site), "--template", str(empty), cwd=site, home=home
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == (
        f"error: the template {empty} has no version to use (HEAD names no commit)"
    )
