"""Finding a mark of a few characters (a fence, an admonition's `!!!`, a conflict marker)
in a page's text, fast on every page.

A page with one character beyond the Basic Multilingual Plane (an emoji: the template's
own pages have some) is held by Python four bytes a character, and there its search for
a text of several characters walks the page about ten times slower than its search for
one character (which the C library does). A mark is found from its first character,
each of the few places it occurs tried in turn: most marks start with a character a page
holds a few times, and most pages hold no mark at all, which a search for the mark itself
learns only by walking the whole page slowly.
"""

from __future__ import annotations


def find_mark(text: str, mark: str, start: int = 0) -> int:
    """`text.find(mark, start)`, found from `mark`'s first character."""
    find, at = text.find, text.find(mark[0], start)
    while at >= 0 and not text.startswith(mark, at):
        at = find(mark[0], at + 1)
    return at
