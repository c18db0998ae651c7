"""Author edits as bytes, odd ones included: CRLF, lone CR, NUL, invalid UTF-8, no final
newline. Shared by the merge property test and the differential test against Copier."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = (
    "insert", "replace", "delete", "append", "crlf-line", "lone-cr", "cr-at-end", "nul",
    "latin-1", "no-final-newline", "all-crlf", "trailing-space",
)  # fmt: skip


@dataclass
class EditedDocument:
    """The author's file and the lines (bytes, without b"\\n") the author wrote."""

    content: bytes
    authored: list[bytes] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def has_nul(self) -> bool:
        return b"\0" in self.content

    @property
    def is_utf8(self) -> bool:
        try:
            self.content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True


def _authored_line(kind: str, number: int) -> bytes:
    word = f"AUTHOR {kind} {number}".encode()
    return {
        "crlf-line": word + b"\r",
        "lone-cr": word + b" half\rline",
        "cr-at-end": word + b" ends\r\rwith CR",
        "nul": word + b" nul\0byte",
        "latin-1": word + b" caf\xe9 \xff",
        "trailing-space": word + b"   \t",
    }.get(kind, word)


def apply_edits(original: bytes, edits: list[tuple[str, int]]) -> EditedDocument:
    """Apply (kind, position) edits to `original`; positions wrap around the line count."""
    lines = original.split(b"\n")
    final_newline = lines[-1] == b""
    if final_newline:
        lines.pop()
    document = EditedDocument(b"")
    crlf = False
    for number, (kind, position) in enumerate(edits):
        index = position % max(len(lines), 1)
        document.kinds.append(kind)
        if kind == "no-final-newline":
            final_newline = False
        elif kind == "all-crlf":
            crlf = True
        elif kind == "delete" and len(lines) > 1:
            removed = lines.pop(index)
            if removed in document.authored:
                document.authored.remove(removed)
        elif kind == "replace":
            if lines[index] in document.authored:
                document.authored.remove(lines[index])
            lines[index] = _authored_line(kind, number)
            document.authored.append(lines[index])
        elif kind == "append":
            lines.append(_authored_line(kind, number))
            document.authored.append(lines[-1])
        elif kind != "delete":
            lines.insert(index, _authored_line(kind, number))
            document.authored.append(lines[index])
    if crlf:
        lines = [line if line.endswith(b"\r") else line + b"\r" for line in lines]
        document.authored = [a if a.endswith(b"\r") else a + b"\r" for a in document.authored]
    document.content = b"\n".join(lines) + (b"\n" if final_newline else b"")
    return document


def random_edits(rng: random.Random, count: int) -> list[tuple[str, int]]:
    return [(rng.choice(KINDS), rng.randrange(10_000)) for _ in range(count)]
