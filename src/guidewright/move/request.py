"""What is moved where: OLD and NEW as paths in the docs folder, judged before anything
is read (exit 2 for a move that cannot be one)."""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from itertools import combinations, product
from pathlib import Path

from guidewright.core.errors import InvalidInput
from guidewright.core.shown_text import has_control, one_line
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

    @property
    def each(self) -> tuple[Move, ...]:
        return (self,)


@dataclass(frozen=True)
class Moves:
    """Several moves made as one (an editor renaming several files at once: the pages
    that link to two of them, and `nav`, change once for both); none moves a path
    another moves or moves to (`together` judges that)."""

    each: tuple[Move, ...]

    def moved(self, path: str) -> str | None:
        return next((new for one in self.each if (new := one.moved(path)) is not None), None)

    def after(self, path: str) -> str:
        return self.moved(path) or path


AnyMove = Move | Moves


def together(moves: list[Move]) -> Moves | None:
    """The moves as one, None when two touch the same paths (one moves a folder the other
    moves out of or into, or to its place): those are made one after the other."""
    for one, other in combinations(moves, 2):
        for mine, theirs in product((one.old, one.new), (other.old, other.new)):
            if mine == theirs or mine.startswith(theirs + "/") or theirs.startswith(mine + "/"):
                return None
    return Moves(tuple(moves))


def in_docs(site: Site, given: str, name: str, cwd: Path | None = None) -> str:
    """`given` as a path of the docs folder: from the current folder `cwd` when that is in
    the docs folder (as a shell completes it there, as `check` and `git mv` read it);
    else relative to the docs folder (`system-design/a.md`), or from the site's root when
    it starts with the docs folder (`docs/system-design/a.md`); or absolute (an
    editor's). InvalidInput when it leaves the docs folder."""
    text = given.replace("\\", "/").rstrip("/")
    docs = site.docs_dir.strip("/")
    if cwd is not None and text and not Path(text).is_absolute() and _inside(cwd, site):
        text = os.path.normpath(cwd.resolve() / text)
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


def _inside(cwd: Path, site: Site) -> bool:
    """Whether `cwd` is the docs folder or a folder in it."""
    here, docs = cwd.resolve(), site.docs_path.resolve()
    return here == docs or docs in here.parents


_ABSENT, _LINK, _FOLDER, _FILE, _OTHER = "absent", "link", "folder", "file", "other"


def _kind(path: Path, name: str, given: str) -> str:
    """What is at `path` (a link not followed); InvalidInput naming the argument when it
    cannot be looked at (a name too long for the file system, a folder not readable)."""
    try:
        mode = path.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return _ABSENT
    except OSError as error:
        raise InvalidInput(f"{name}: {given}: {error.strerror or error}") from None
    if stat.S_ISLNK(mode):
        return _LINK
    if stat.S_ISDIR(mode):
        return _FOLDER
    return _FILE if stat.S_ISREG(mode) else _OTHER


def judged_move(site: Site, old_given: str, new_given: str, cwd: Path | None = None) -> Move:
    """The move OLD to NEW (paths read as `in_docs` reads them, from `cwd` when it is in
    the docs folder; NEW an existing folder: into it, under OLD's name), refused
    (InvalidInput, exit 2) when OLD is no page or folder of pages, NEW exists or leaves the
    docs folder, or a page would lose its `.md`."""
    old, new = in_docs(site, old_given, "OLD", cwd), in_docs(site, new_given, "NEW", cwd)
    for which, path, given in (("OLD", old, old_given), ("NEW", new, new_given)):
        if not is_utf8(path):
            raise InvalidInput(
                f"{which}: {given}: a name that is not UTF-8; mv writes only UTF-8 names "
                "(links and the engine's configuration hold them)"
            )
        if which == "NEW" and has_control(path):
            raise InvalidInput(
                f"NEW: {one_line(given)}: a name holding a control character (a line break, an "
                "escape); give a name of printable characters"
            )
    if _kind(site.docs_path / new, "NEW", new_given) == _FOLDER:
        new = f"{new}/{posixpath.basename(old)}"  # into the folder, as mv and git mv move
    old_path, new_path = site.docs_path / old, site.docs_path / new
    old_kind = _kind(old_path, "OLD", old_given)
    if old_kind == _LINK:
        raise InvalidInput(f"OLD: {old_given}: a symbolic link; mv moves no link")
    if _kind(new_path.parent, "NEW", new_given) == _LINK:
        raise InvalidInput(f"NEW: {new_given}: in a symbolic link; mv writes nothing through one")
    if old_kind == _FOLDER:
        folder = True
        if new.startswith(old + "/"):
            raise InvalidInput(
                f"NEW: {new_given} is inside {old_given}: a folder cannot move into itself"
            )
        if not files_under(old_path, ".md", skip_hidden=True):
            raise InvalidInput(f"OLD: {old_given} holds no page (.md) to move")
    elif old_kind == _FILE and old.endswith(".md"):
        folder = False
        if not new.endswith(".md"):
            raise InvalidInput(f"NEW: {new_given} must name a page (.md), as OLD does")
    else:
        what = "does not exist" if old_kind == _ABSENT else "is not a page (.md)"
        raise InvalidInput(
            f"OLD: {old_given} {what}; give a page or folder of the docs folder "
            f"{site.docs_dir}/ (like system-design/a.md)"
        )
    if _kind(new_path, "NEW", new_given) != _ABSENT:
        raise InvalidInput(f"NEW: {new_given} exists already; mv never replaces a file")
    if old == new:
        raise InvalidInput("NEW: the same as OLD: nothing to move")
    return Move(old, new, folder)


def is_utf8(name: str) -> bool:
    """Whether a name (as the file system gave it) is UTF-8: one that is not holds lone
    surrogates, and no link, YAML file or answer can hold it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
