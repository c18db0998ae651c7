"""Author edits as bytes, odd ones included: CRLF, lone CR, NUL, invalid UTF-8, no final
newline; and edits inside the frontmatter (a comment line inserted, a line deleted, a value
changed or a key of the author's added). Shared by the merge property tests and the
differential test against Copier."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = (
    "insert",
    "replace",
    "delete",
    "append",
    "crlf-line",
    "lone-cr",
    "cr-at-end",
    "nul",
    "latin-1",
    "no-final-newline",
    "all-crlf",
    "trailing-space",
    "fm-insert",
    "fm-delete",
    "fm-value",
)
# What "fm-value" writes, chosen by position: (key, new value text); a key no question
# owns is added after the line it lands on.
FRONTMATTER_VALUES = (
    (b"difficulty", b'"expert"'),
    (b"status", b'"published"'),
    (b"tags", b'["aws", "coding", "databases"]'),
    (b"estimated_time", b"90 min"),
    (b"audience", b'["L7"]'),
    (b"learning_objectives", b'["Explain it", "Measure it"]'),
    (b"author_note", b'"mine"'),
)


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


def _frontmatter_end(lines: list[bytes]) -> int | None:
    """The index of the closing `---`, or None without a frontmatter."""
    if not lines or lines[0].rstrip(b"\r") != b"---":
        return None
    return next((i for i, line in enumerate(lines[1:], 1) if line.rstrip(b"\r") == b"---"), None)


def _frontmatter_edit(
    lines: list[bytes], kind: str, position: int, number: int, authored: list[bytes]
) -> None:
    """Edit inside the frontmatter; `authored` gains the line that must survive as it is."""
    end = _frontmatter_end(lines)
    if end is None or end < 2:
        return
    index = 1 + position % (end - 1)
    if kind == "fm-insert":
        lines.insert(index, f"# AUTHOR fm-insert {number}".encode())
        authored.append(lines[index])
        return
    if kind == "fm-delete":
        removed = lines.pop(index)
        if removed in authored:
            authored.remove(removed)
        return
    key, value = FRONTMATTER_VALUES[position % len(FRONTMATTER_VALUES)]
    at = next((i for i in range(1, end) if lines[i].startswith(key + b":")), None)
    if at is None:
        lines.insert(index, key + b": " + value)
        return
    line = lines[at]
    comment = line.find(b"  #")
    cr = b"\r" if line.endswith(b"\r") else b""
    rest = line[comment:] if comment >= 0 else cr
    lines[at] = key + b": " + value + rest
    if key == b"learning_objectives":  # a block list becomes a flow list
        while at + 1 < len(lines) and lines[at + 1].startswith(b"  - "):
            lines.pop(at + 1)


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
        elif kind.startswith("fm-"):
            _frontmatter_edit(lines, kind, position, number, document.authored)
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
