"""Text as it can be printed: every output of guidewright is valid UTF-8.

A file name that is not UTF-8 reaches Python as text holding lone surrogates (the
file system's surrogateescape), and so can a YAML key (`"\\ud800"` is a valid escape);
printing either raises UnicodeEncodeError, or writes bytes that are not UTF-8.

A name or a value can also hold control characters: a CR or LF starts a line of its own
(in a CI log, a workflow command: `\\r::add-mask::x`), an ESC a terminal's escape
sequence. Where such text is shown on a line of ours, it is shown escaped (`one_line`)."""

from __future__ import annotations

import re

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 but the tab, DEL, C1, and the line and paragraph separators some readers split at.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\r": "\\r", "\n": "\\n"}


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


def _escaped_control(found: re.Match[str]) -> str:
    character = found.group()
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def has_control(text: str) -> bool:
    """Whether `text` holds a character that `one_line` escapes."""
    return _CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """`text` printable and on one line: each control character (CR, LF, ESC...; a tab
    stays) shown as its escape, `\\r`, `\\n`, `\\x1b`."""
    return _CONTROL.sub(_escaped_control, printable(text))
