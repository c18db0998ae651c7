"""Text as it can be printed: every output of guidewright is valid UTF-8.

A file name that is not UTF-8 reaches Python as text holding lone surrogates (the
file system's surrogateescape), and so can a YAML key (`"\\ud800"` is a valid escape);
printing either raises UnicodeEncodeError, or writes bytes that are not UTF-8."""

from __future__ import annotations

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte the file system could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def well_formed(text: str) -> str:
    """`text` with each lone surrogate read as U+FFFD, one character for one (so every
    position in it stays): what an editor's buffer may hold and no UTF-8 file can."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """`text` with each lone surrogate shown as a backslash escape: a byte of a file name
    that is not UTF-8 as `\\xe9`, any other as `\\ud800`."""
    return _LONE_SURROGATE.sub(_escaped, text)
