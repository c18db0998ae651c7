"""What every writer asks of git before it writes: the site is in a repository, and what it
writes is tracked and committed, so that `git diff` shows and can revert the change."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from guidewright.core.errors import GitFailed, InvalidInput
from guidewright.core.git import folder_pathspecs, git_text, run_git, untracked_files
from guidewright.site.site import Site


def require_clean_git(
    site: Site, relpaths: Iterable[str], command: str = "update", staged_ok: bool = False
) -> None:
    """Refuse a site outside git or with uncommitted changes in what `command` writes.
    With `staged_ok`, a change staged whole counts as clean: `git diff` still shows just
    what the command changed and `git restore` takes it back (a pre-commit hook runs on
    staged files, their unstaged changes put aside)."""
    try:
        top_line, prefix = git_text(
            "rev-parse", "--show-toplevel", "--show-prefix", cwd=site.root
        ).split("\n")[:2]
    except GitFailed as error:
        raise InvalidInput(
            f"--dest: {site.root} is not in a git repository; {command} needs git so that "
            "`git diff` shows and can revert what it changed"
        ) from error
    top = Path(top_line.strip())
    paths = list(relpaths)
    wanted = {posixpath.normpath(p) for p in paths}
    dirty: list[str] = []
    for state, path in changed_files(site.root, paths):
        if staged_ok and state[1] == " " and state[0] != "?":
            continue
        if path.startswith(prefix) and path.removeprefix(prefix) in wanted:
            dirty.append(os.path.relpath(top / path))  # shown from here, as the table
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


def changed_files(root: Path, relpaths: list[str]) -> list[tuple[str, str]]:
    """`git status` of the folders holding `relpaths` (files relative to `root`): each
    changed or untracked file's two-letter state and its path from the repository's top,
    a renamed file under its old name and its new one. Asked of their folders (see
    `folder_pathspecs`): the caller keeps the files it asked about."""
    entries: list[tuple[str, str]] = []
    for specs in folder_pathspecs(relpaths):
        fields = run_git(
            "status", "--porcelain", "-z", "--untracked-files=all", "--", *specs, cwd=root
        ).stdout.split(b"\0")
        at = 0
        while at < len(fields):
            field = fields[at]
            at += 1
            if len(field) < 4:  # the empty field after the last entry
                continue
            state = field[:2].decode("ascii", "replace")
            entries.append((state, field[3:].decode("utf-8", "surrogateescape")))
            # A rename or copy, staged or in the work tree (` R` after `git add -N`), is
            # followed by the name it had.
            if ("R" in state or "C" in state) and at < len(fields):
                entries.append((state, fields[at].decode("utf-8", "surrogateescape")))
                at += 1
    return entries
