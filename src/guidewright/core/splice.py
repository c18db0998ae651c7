"""Edits of a text by place: each rewrites only its own span, the rest stays byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

Edit = tuple[int, int, str]  # start and end (offsets in the text), and the new text there


def spliced(text: str, edits: Iterable[Edit]) -> str:
    """`text` with each edit's span replaced (the spans must not overlap)."""
    pieces: list[str] = []
    done = 0
    for start, end, replacement in sorted(edits):
        pieces += (text[done:start], replacement)
        done = end
    pieces.append(text[done:])
    return "".join(pieces)
