"""The clean-git check every writer makes (site/git_checks.py): which files it refuses and
how it names them, whatever else the repository holds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from guidewright.core.errors import InvalidInput
from guidewright.site.git_checks import changed_files, require_clean_git
from guidewright.site.site import Site, SiteConfig

PAGES = ["docs/a/one.md", "docs/a/two.md", "docs/b/three.md"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose site is its folder `site/`, every page committed; the check
    is run from the repository's top, which is where it names files from."""
    for relpath in [*PAGES, "docs/a/other.md", "outside.md"]:
        path = tmp_path / "site" / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("text\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "pages")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(repo: Path, relpaths: list[str], staged_ok: bool = False) -> str | None:
    site = Site(repo / "site", "docs", SiteConfig())
    try:
        require_clean_git(site, relpaths, "adopt", staged_ok)
    except InvalidInput as error:
        return error.message
    return None


def test_committed_pages_pass_whatever_else_is_changed(repo: Path) -> None:
    (repo / "site/docs/a/other.md").write_text("changed\n")
    (repo / "site/outside.md").write_text("changed\n")
    (repo / "site/docs/a/new.md").write_text("new\n")
    assert check(repo, PAGES) is None


def test_a_changed_or_new_page_is_named(repo: Path) -> None:
    (repo / "site/docs/b/three.md").write_text("changed\n")
    (repo / "site/docs/a/four.md").write_text("new\n")
    found = check(repo, [*PAGES, "docs/a/four.md"])
    assert found == (
        "uncommitted changes in site/docs/b/three.md, site/docs/a/four.md: "
        "commit or stash them before running adopt"
    )


def test_a_page_staged_whole_is_clean_only_where_staged_changes_are(repo: Path) -> None:
    (repo / "site/docs/a/one.md").write_text("changed\n")
    git(repo, "add", "site/docs/a/one.md")
    assert check(repo, PAGES, staged_ok=True) is None
    assert check(repo, PAGES) is not None
    (repo / "site/docs/a/one.md").write_text("changed again\n")
    assert check(repo, PAGES, staged_ok=True) is not None


def test_a_page_renamed_is_changed_under_either_name(repo: Path) -> None:
    git(repo, "mv", "site/docs/a/two.md", "site/docs/a/moved.md")
    assert "site/docs/a/two.md" in (check(repo, PAGES) or "")
    assert "site/docs/a/moved.md" in (check(repo, ["docs/a/moved.md"]) or "")


def test_a_page_in_a_repository_of_its_own_is_not_tracked(repo: Path) -> None:
    inner = repo / "site/docs/c"
    inner.mkdir()
    (inner / "page.md").write_text("text\n")
    git(inner, "init", "-q")
    found = check(repo, ["docs/c/page.md"])
    assert found is not None and found.startswith("site/docs/c/page.md is not tracked by git")


def test_an_ignored_page_or_one_through_a_link_is_not_tracked(repo: Path) -> None:
    (repo / ".gitignore").write_text("secret.md\n")
    (repo / "site/docs/a/secret.md").write_text("text\n")
    found = check(repo, ["docs/a/secret.md"])
    assert found is not None and "not tracked by git" in found
    os.symlink("a", repo / "site/docs/link")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "link")
    found = check(repo, ["docs/link/one.md"])
    assert found is not None and "not tracked by git" in found


def test_a_missing_page_is_no_business_of_gits(repo: Path) -> None:
    assert check(repo, [*PAGES, "docs/a/not-yet.md", "docs/new-folder/page.md"]) is None


def test_a_page_named_like_a_pattern_is_only_itself(repo: Path) -> None:
    """Its name is no pattern matching other pages (as it was when each page was a
    pathspec of `git status`: `[o]ne.md` stood for `one.md` too)."""
    (repo / "site/docs/a/[o]ne.md").write_text("text\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "odd")
    (repo / "site/docs/a/one.md").write_text("changed\n")
    assert check(repo, ["docs/a/[o]ne.md"]) is None
    (repo / "site/docs/a/[o]ne.md").write_text("changed\n")
    assert "site/docs/a/[o]ne.md" in (check(repo, ["docs/a/[o]ne.md"]) or "")


def test_a_site_outside_git_is_refused(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    found = check(tmp_path, PAGES)
    assert found is not None and "is not in a git repository" in found


def test_a_rename_in_the_work_tree_is_read_as_its_two_names(repo: Path) -> None:
    # After `git add -N`, git reports a rename not staged (` R`): its old name follows in
    # a field of its own, which is no entry of another file.
    (repo / "site/docs/a/two.md").rename(repo / "site/docs/a/moved.md")
    git(repo, "add", "-N", "site/docs/a/moved.md")
    found = changed_files(repo, ["site/docs/a/moved.md"])
    assert {path for _, path in found} == {"site/docs/a/moved.md", "site/docs/a/two.md"}


def test_the_users_literal_pathspec_setting_changes_no_verdict(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's environment setting GIT_LITERAL_PATHSPECS=1 would read the check's own
    pathspecs (each folder a `:(literal)` pathspec) as file names: every committed page
    was "not tracked by git". The verdicts are those without it. GIT_GLOB_, _NOGLOB_ and
    _ICASE_PATHSPECS are cleared too, but cannot change a verdict here: a `:(literal)`
    pathspec overrides the first two, and the third only adds files the check drops."""
    (repo / "site/docs/a/[o]ne.md").write_text("text\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "odd")
    (repo / "site/docs/b/three.md").write_text("changed\n")
    asked = [[*PAGES[:2], "docs/a/[o]ne.md"], PAGES]
    without = [check(repo, relpaths) for relpaths in asked]
    assert without[0] is None and without[1] is not None
    monkeypatch.setenv("GIT_LITERAL_PATHSPECS", "1")
    assert [check(repo, relpaths) for relpaths in asked] == without
