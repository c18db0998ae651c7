"""Marks that say which source line a rendered list item comes from.

Before Python-Markdown renders a page, a token (`TOKEN_OPEN` n `TOKEN_CLOSE`: private-use
characters no extension reads) is put at the start of the text of every line n that may
be a list item; the HTML then says which item each token starts (markdown/html_items.py).
A line whose text opens a block of its own (a fence, a heading, a nested marker, an
admonition) gets none, as a token there would change the page's blocks: its item is not
judged, never wrongly judged.
"""

from __future__ import annotations

import re

TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{TOKEN_OPEN}([0-9]+){TOKEN_CLOSE}")
UNKNOWN = -1  # the parent of an item whose parent item's line is not known
# A line that may be a list item: block quote marks, indentation, a marker, blanks, text.
ITEM_LINE = re.compile(r"((?:[ ]{0,3}>[ ]?)*[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)(?=\S)")
# Text that opens a block of its own: a token before it would change the page's blocks.
BLOCK_START = re.compile(
    r"`{3}|~{3}|!{3}|\?{3}|={3}|/{3}|\${2}|[#<>|:]|(?:[-*+]|[0-9]+[.)])(?:\s|$)"
)


def with_tokens(lines: list[str]) -> tuple[str, frozenset[int]]:
    """The body with a token at the start of each list-like line's text, and those lines."""
    out, marked = [], set()
    for number, line in enumerate(lines):
        found = ITEM_LINE.match(line) if line[:1] in " \t>-*+0123456789" else None
        if found is None or BLOCK_START.match(line, found.end()):
            out.append(line)
            continue
        marked.add(number)
        out.append(f"{line[: found.end()]}{TOKEN_OPEN}{number}{TOKEN_CLOSE}{line[found.end() :]}")
    return "\n".join(out), frozenset(marked)
