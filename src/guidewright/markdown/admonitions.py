"""Python-Markdown's admonitions (`!!! note`, `??? tip`) as the block quotes they render
like, for a CommonMark parser: their content is indented like code, so each is turned into
a block quote of the same width first, lines and columns kept where the author sees them.
A title (`!!! note "A [link](page.md)"`) is inline Markdown, handed back to be read on its
own (markdown/pyromark.py)."""

from __future__ import annotations

import re

from guidewright.markdown.text_search import find_mark

# `!!! note "Title"`, `??? tip`, `???+ example`: content follows, indented by four.
_ADMONITION = re.compile(r"^( *)(?:!!!|\?\?\?\+?)[ \t]", re.MULTILINE)
# Its title, `"..."` after the type, is inline Markdown (its links are links).
_TITLE = re.compile(r' *(?:!!!|\?\?\?\+?) ?[\w\-]+(?: +[\w\-]+)* +"(.*?)" *$')


def as_commonmark(text: str) -> str:
    """`text` with admonition content as block quotes: same lines, same columns."""
    return without_admonitions(text)[0]


def _admonition_starts(text: str) -> list[int]:
    """Where the lines that open an admonition start, found from their marks (a regular
    expression tried at every line start costs more)."""
    starts = set()
    for mark in ("!!!", "???"):
        found = find_mark(text, mark)
        while found >= 0:
            line_start = text.rfind("\n", 0, found) + 1
            if _ADMONITION.match(text, line_start):
                starts.add(line_start)
            found = find_mark(text, mark, found + 3)
    return sorted(starts)


def without_admonitions(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with admonition content as block quotes, and the admonitions' titles as
    (line from 1, characters before the title, title), blanked in the text.

    Only the admonitions' lines are rewritten; the text around them is copied in slices
    (most pages have one admonition, near the end)."""
    titles: list[tuple[int, int, str]] = []
    starts = _admonition_starts(text)
    if not starts:
        return text, titles
    pieces: list[str] = []
    copied = 0  # text[:copied] is in pieces
    for line_start in starts:
        if line_start < copied:
            continue  # already content of the admonition before it
        line_end = _line_end(text, line_start)
        header = text[line_start:line_end]
        inside = len(header) - len(header.lstrip(" "))
        title = _TITLE.match(header)
        if title and title.group(1).strip():
            # Leading blanks dropped: inline Markdown, never an indented code block.
            words = title.group(1).lstrip()
            number = text.count("\n", 0, line_start) + 1
            titles.append((number, title.end(1) - len(words), words))
        # The title is read on its own (_title_links).
        pieces += (text[copied:line_start], " " * len(header))
        copied = line_end
        while line_end < len(text):  # at the line break before the next line
            following = line_end + 1
            line_end = _line_end(text, following)
            line = text[following:line_end]
            if not line.strip():
                continue
            if len(line) - len(line.lstrip(" ")) < inside + 4:
                break
            pieces += (text[copied:following], line[:inside] + "> " + line[inside + 2 :])
            copied = line_end
    pieces.append(text[copied:])
    return "".join(pieces), titles


def _line_end(text: str, line_start: int) -> int:
    """Where the line starting at `line_start` ends (its line break, or the text's end)."""
    end = text.find("\n", line_start)
    return len(text) if end < 0 else end
