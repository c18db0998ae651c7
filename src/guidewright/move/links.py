"""A page's links after a move: each link whose target moved, or whose page moved, made to
reach the same file and anchor again.

The links are those `check` reads (markdown/pyromark.py: inline links and images, and
reference links through their definitions; nothing in code or raw HTML), each resolved as
the site's engine resolves it (rules/engine_links.py). Only the target's text changes, in
place: the link's label, title and layout stay. A target is changed where it is written
as the parser read it; one written otherwise (with escapes or entities) is left and
listed, for the author to change by hand.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from guidewright.core.splice import Edit, spliced
from guidewright.markdown import pyromark
from guidewright.move.request import AnyMove
from guidewright.rules.engine_links import ABSOLUTE, resolved_path
from guidewright.site.profile import RELATIVE_TO_DOCS, ZENSICAL, SiteProfile

_REFERENCE_KINDS = ("reference", "collapsed", "shortcut")  # their target is a definition's


@dataclass(frozen=True)
class Unchanged:
    """A link that should follow the move and could not be changed in place."""

    line: int  # 1-based, in the text given
    target: str


@dataclass(frozen=True)
class Retargeted:
    """A page's text with its links following a move."""

    text: str
    changed: int  # links (or definitions) changed
    unchanged: tuple[Unchanged, ...]


def new_target(
    target: str, page: str, new_page: str, move: AnyMove, profile: SiteProfile
) -> str | None:
    """`target`, written in `page` (in the docs folder) that is now `new_page`, made to
    reach what it reached before the move; None when it needs no change (an external
    link, an anchor of the page itself, a target neither moved nor seen from elsewhere)."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = parts.path
    absolute = target.startswith(ABSOLUTE)
    if absolute:
        # Read from the docs folder only where the engine does; otherwise a URL of the
        # built site, which no page path names.
        if profile.engine == ZENSICAL or profile.validation.absolute_links != RELATIVE_TO_DOCS:
            return None
        resolved = posixpath.normpath(unquote(path).lstrip("/\\"))
    else:
        resolved = resolved_path(page, unquote(path))
    reached = move.after(resolved)
    if reached == resolved and new_page == page:
        return None
    if absolute:
        written = "/" + reached
    elif unquote(path).rstrip("/") == _from_the_top(page, resolved):
        written = _from_the_top(new_page, reached)  # the template's style, kept
    else:
        written = posixpath.relpath(reached, posixpath.dirname(new_page) or ".")
    if path.endswith("/") and not written.endswith("/"):
        written += "/"
    if unquote(path) != path:  # the author wrote it URL-encoded: so is the new one
        written = quote(written)
    rebuilt = written + (f"?{parts.query}" if parts.query else "")
    rebuilt += f"#{parts.fragment}" if parts.fragment else ""
    return None if rebuilt == target else rebuilt


def _from_the_top(page: str, target: str) -> str:
    """A link from `page` to `target` that climbs to the top of the docs folder first
    (`../fundamentals/index.md` from a section's page, even to a page beside it): the
    template's links are written so."""
    return "../" * page.count("/") + target


def retarget_links(
    text: str, page: str, new_page: str, move: AnyMove, profile: SiteProfile
) -> Retargeted:
    """`text` (a page's Markdown, frontmatter left out) with every link and reference
    definition that the move concerns changed."""
    if not ("](" in text or "]:" in text):
        return Retargeted(text, 0, ())
    starts = _line_starts(text)
    edits: list[Edit] = []
    unchanged: list[Unchanged] = []

    def follow(target: str, start: pyromark.Position, end: pyromark.Position, after: str) -> None:
        changed = new_target(target, page, new_page, move, profile)
        if changed is None:
            return
        first, last = _offset(starts, start), _offset(starts, end)
        found = _written_target(text, first, last, target, after)
        if found is None:
            unchanged.append(Unchanged(start.line, target))
        else:
            edits.append((found, found + len(target), changed))

    outline = pyromark.read(text, headings=False, list_items=False)
    for link in outline.links:
        if link.kind == "inline":
            follow(link.target, link.start, link.end, "](")
    for definition in pyromark.reference_definitions(text):
        follow(definition.target, definition.start, definition.end, "]:")
    return Retargeted(spliced(text, edits), len(edits), tuple(unchanged))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    found = text.find("\n")
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1)
    return starts


def _offset(starts: list[int], position: pyromark.Position) -> int:
    """A 1-based line and column (in characters) as an offset in the text."""
    return starts[min(position.line, len(starts)) - 1] + position.column - 1


def _written_target(text: str, start: int, end: int, target: str, after: str) -> int | None:
    """Where, in the link or definition written at `start:end`, its target is written: the
    first place it is that follows `after` (`](` of an inline link, `]:` of a definition)
    with only blanks, a line break or the `<` of `<target>` between. None when it is not
    written as read (escapes, entities)."""
    if not target:
        return None
    found = text.find(target, start, end)
    while found >= 0:
        before = text[start:found].rstrip(" \t\r\n")
        before = before.removesuffix("<").rstrip(" \t\r\n")
        if before.endswith(after[1]) and before[:-1].rstrip(" \t").endswith(after[0]):
            return found
        found = text.find(target, found + 1, end)
    return None
