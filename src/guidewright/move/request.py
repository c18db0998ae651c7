"""What is moved where: OLD and NEW as paths in the docs folder, judged before anything
is read (exit 2 for a move that cannot be one)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from guidewright.core.errors import InvalidInput
from guidewright.site.site import Site, files_under


@dataclass(frozen=True)
class Move:
    """A page (`system-design/a.md` to `fundamentals/b.md`) or a folder (`system-design`
    to `design`) of the docs folder, `/`-separated, relative to it."""

    old: str
    new: str
    folder: bool

    def moved(self, path: str) -> str | None:
        """Where a path of the docs folder (a file or a folder) is after the move; None
        when the move leaves it where it is."""
        if path == self.old:
            return self.new
        if self.folder and path.startswith(self.old + "/"):
            return self.new + path[len(self.old) :]
        return None

    def after(self, path: str) -> str:
        """A path of the docs folder after the move (itself, when the move leaves it)."""
        return self.moved(path) or path


def in_docs(site: Site, given: str, name: str) -> str:
    """`given` as a path of the docs folder: relative to it (`system-design/a.md`), or
    from the site's root when it starts with the docs folder (`docs/system-design/a.md`),
    or absolute (an editor's). InvalidInput when it leaves the docs folder."""
    text = given.replace("\\", "/").rstrip("/")
    docs = site.docs_dir.strip("/")
    if Path(text).is_absolute():
        try:
            text = Path(text).relative_to(site.docs_path).as_posix()
        except ValueError:
            raise InvalidInput(
                f"{name}: {given} is outside the docs folder {docs}/; a page moves within it"
            ) from None
    elif text == docs or text.startswith(docs + "/"):
        text = text[len(docs) :].lstrip("/")
    normal = posixpath.normpath(text) if text else "."
    if normal in (".", "") or normal == ".." or normal.startswith("../") or "\0" in normal:
        raise InvalidInput(
            f"{name}: {given} is outside the docs folder {docs}/; give a page or folder "
            "in it (like system-design/a.md)"
        )
    if any(part.startswith(".") for part in normal.split("/")):
        raise InvalidInput(f"{name}: {given}: a hidden file or folder is no page of the site")
    return normal


def judged_move(site: Site, old_given: str, new_given: str) -> Move:
    """The move OLD to NEW, refused (InvalidInput, exit 2) when OLD is no page or folder
    of pages, NEW exists or leaves the docs folder, or a page would lose its `.md`."""
    old, new = in_docs(site, old_given, "OLD"), in_docs(site, new_given, "NEW")
    old_path, new_path = site.docs_path / old, site.docs_path / new
    if old_path.is_symlink():
        raise InvalidInput(f"OLD: {old_given}: a symbolic link; mv moves no link")
    if new_path.parent.is_symlink():
        raise InvalidInput(f"NEW: {new_given}: in a symbolic link; mv writes nothing through one")
    if old_path.is_dir():
        folder = True
        if new.startswith(old + "/"):
            raise InvalidInput(
                f"NEW: {new_given} is inside {old_given}: a folder cannot move into itself"
            )
        if not files_under(old_path, ".md", skip_hidden=True):
            raise InvalidInput(f"OLD: {old_given} holds no page (.md) to move")
    elif old_path.is_file() and old.endswith(".md"):
        folder = False
        if not new.endswith(".md"):
            raise InvalidInput(f"NEW: {new_given} must name a page (.md), as OLD does")
    else:
        what = "is not a page (.md)" if old_path.is_file() else "does not exist"
        raise InvalidInput(
            f"OLD: {old_given} {what}; give a page or folder of the docs folder "
            f"{site.docs_dir}/ (like system-design/a.md)"
        )
    if new_path.exists() or new_path.is_symlink():
        raise InvalidInput(f"NEW: {new_given} exists already; mv never replaces a file")
    if old == new:
        raise InvalidInput("NEW: the same as OLD: nothing to move")
    return Move(old, new, folder)
