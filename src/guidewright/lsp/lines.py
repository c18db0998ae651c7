"""Lines as the Language Server Protocol counts them: only `\\n`, `\\r\\n` and `\\r` end a
line. Python's `splitlines` also breaks at U+2028, U+2029, U+0085, form feeds and other
separators, which text pasted from a web page carries: a document split that way puts
every position after one on the wrong line, and an edit the client sends lands elsewhere.
`check` counts lines by `\\n` alone; `LineMap` turns its (line, column) into the LSP's."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from pygls.workspace import TextDocument, Workspace

LINE_END = re.compile(r"\r\n|\r|\n")


def lsp_lines(text: str) -> list[str]:
    """`text`'s lines as the protocol counts them, each with its line end."""
    lines, start = [], 0
    for end in LINE_END.finditer(text):
        lines.append(text[start : end.end()])
        start = end.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


class LspTextDocument(TextDocument):
    """pygls' document, its lines (which its incremental edits and positions use) split as
    the protocol splits them."""

    @property
    def lines(self) -> list[str]:
        return lsp_lines(self.source)


class LspWorkspace(Workspace):
    """pygls' workspace making `LspTextDocument`s."""

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


class LineMap:
    """Positions in a text as `check` counts them (lines ended by `\\n` alone) turned into
    the protocol's (a lone `\\r` ends a line too); both in code points, 0-based."""

    def __init__(self, text: str) -> None:
        self.identity = "\r" not in text.replace("\r\n", "")
        if not self.identity:
            self.check_starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))]
            self.lsp_starts = [0, *accumulate(map(len, lsp_lines(text)))]

    def to_lsp(self, line: int, character: int) -> tuple[int, int]:
        if self.identity:
            return line, character
        offset = self.check_starts[min(line, len(self.check_starts) - 1)] + character
        at = bisect_right(self.lsp_starts, offset) - 1
        return at, offset - self.lsp_starts[at]
