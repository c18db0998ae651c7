"""A file's new text sent as the runs of lines that changed, not as the whole file: a quick
fix of one list, or a rename's edit of a page's links, touches only those lines (and an
editor keeps the cursor, the undo steps and the marks of the rest)."""

from __future__ import annotations

import difflib

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition


def line_edits(before: list[str], after: list[str], codec: PositionCodec) -> list[types.TextEdit]:
    """The lines that differ between two versions of a text (lines with their ends, as the
    protocol splits them), as edits of whole lines; where the text's last line has no line
    break, an edit that reaches it ends at its end (in the client's units)."""
    edits = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for kind, first, last, new_first, new_last in matcher.get_opcodes():
        if kind == "equal":
            continue
        end = types.Position(last, 0)
        if last == len(before) and before and not before[-1].endswith(("\n", "\r")):
            at_end = ServerTextPosition(last - 1, len(before[-1]))
            end = codec.position_to_client_units(before, at_end)
        where = types.Range(types.Position(first, 0), end)
        edits.append(types.TextEdit(range=where, new_text="".join(after[new_first:new_last])))
    return edits
