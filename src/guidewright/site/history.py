"""What the site knows of its pages besides their text: git history and nav titles.

The git history is read once for the whole run (one `git log` over the docs folder), not
once per page: a site has hundreds of pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from guidewright.core.errors import GitFailed
from guidewright.core.git import run_git
from guidewright.site.site import Site

_COMMIT = "\x1e"  # starts each commit's header in the log read below


@dataclass
class PageHistory:
    """Per page (its path relative to the site root): its last commit date, its authors."""

    last_commit: dict[str, str] = field(default_factory=dict)
    authors: dict[str, list[str]] = field(default_factory=dict)


def read_history(site: Site) -> PageHistory:
    """The history of every page of the docs folder, from one `git log` (empty outside git)."""
    history = PageHistory()
    try:
        top = run_git("rev-parse", "--show-prefix", cwd=site.root).stdout.decode().strip()
        log = run_git(
            "log",
            "-z",
            "--no-renames",
            f"--format={_COMMIT}%as%x00%an",
            "--name-only",
            "--",
            site.docs_dir,
            cwd=site.root,
        ).stdout.decode("utf-8", "replace")
    except GitFailed:
        return history
    newest_first: dict[str, list[str]] = {}
    for entry in log.split(_COMMIT)[1:]:
        fields = entry.split("\0")
        date, author, names = fields[0], fields[1], [n.strip("\n") for n in fields[2:]]
        for name in names:
            if not name:
                continue
            relpath = name.removeprefix(top) if top else name
            history.last_commit.setdefault(relpath, date)
            newest_first.setdefault(relpath, []).append(author)
    for relpath, authors in newest_first.items():
        history.authors[relpath] = list(dict.fromkeys(reversed(authors)))  # oldest first
    return history


def nav_titles(site: Site) -> dict[str, str]:
    """Page (path in the docs folder) -> the title the configuration's `nav` gives it."""
    return dict(site.profile.nav_titles)


def relpath_in_docs(site: Site, path: Path) -> str:
    """A page's path in the docs folder, `/`-separated."""
    return path.relative_to(site.docs_path).as_posix()
