"""What every writer asks of git before it writes: the site is in a repository, and what it
writes is tracked and committed, so that `git diff` shows and can revert the change."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from guidewright.core.errors import GitFailed, InvalidInput
from guidewright.core.git import git_text, untracked_files
from guidewright.site.site import Site


def require_clean_git(
    site: Site, relpaths: Iterable[str], command: str = "update", staged_ok: bool = False
) -> None:
    """Refuse a site outside git or with uncommitted changes in what `command` writes.
    With `staged_ok`, a change staged whole counts as clean: `git diff` still shows just
    what the command changed and `git restore` takes it back (a pre-commit hook runs on
    staged files, their unstaged changes put aside)."""
    try:
        top = Path(git_text("rev-parse", "--show-toplevel", cwd=site.root).strip())
    except GitFailed as error:
        raise InvalidInput(
            f"--dest: {site.root} is not in a git repository; {command} needs git so that "
            "`git diff` shows and can revert what it changed"
        ) from error
    paths = list(relpaths)
    dirty: list[str] = []
    for start in range(0, len(paths), 500):  # stays far below the command-line limit
        chunk = paths[start : start + 500]
        status = git_text(
            "status", "--porcelain", "--untracked-files=all", "--", *chunk, cwd=site.root
        )
        dirty += [
            line[3:]
            for line in status.splitlines()
            if line.strip() and not (staged_ok and line[1] == " " and line[0] != "?")
        ]
    dirty = [os.path.relpath(top / path) for path in dirty]  # shown from here, as the table
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise InvalidInput(
            f"uncommitted changes in {shown}: commit or stash them before running {command}"
        )
    untracked = untracked_files(site.root, paths)  # ignored: git status does not list them
    if untracked:
        shown = os.path.relpath(site.root / untracked[0])
        raise InvalidInput(
            f"{shown} is not tracked by git (ignored?): {command} writes only what git tracks: "
            "git init the site or stop ignoring it"
        )
