"""Fenced code in a page's Markdown: which lines open a fence, and where each block ends.
Every scan of guidewright for ``` and ~~~ fences is a call here.

Two readings, because the two parsers a page meets close a fence differently, and each
rule judges by the one whose output it speaks of:

- CommonMark's (`commonmark_blocks`): the editor's preview, GitHub, pulldown-cmark. A
  fence is 3 or more backticks or tildes after at most 3 spaces, outside block quotes
  (a backtick fence's info string holds no backtick); it closes on a line of the same
  character, at least as long, after at most 3 spaces, with nothing but blanks after it;
  one never closed runs to the end of the text. Git's conflict markers (GW302) and the
  author's own prose are read so.
- pymdownx.superfences' (`superfences_blocks`): MkDocs' renderer as `init` configures
  it. A fence opens after any blanks and block quote markers; each line of its content
  starts with its opening line's blanks and markers; it closes only on exactly the same
  fence; one never closed is no fence at all, its lines text. What MkDocs renders (lists,
  label lines, placeholders, the content of its containers) is read so.

Where a caller needs to know that the two agree, `agreed_block_end` says where a block
both read alike ends (the list rule's quick test skips only such blocks). All are found
from the few fence marks of a text (`fence_lines`), not line by line: a regular
expression tried at every line start costs ten times more on a long page; the marks
themselves by `text_search.find_mark`, fast on a page holding an emoji. Indented code
is not read here: each model that needs it reads it with its own block rules (Python-
Markdown's, markdown/pymarkdown_lists.py; a label line's paragraph, rules/labels.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

from guidewright.markdown.text_search import find_mark

FENCE_MARKS = ("```", "~~~")
MAX_COMMONMARK_INDENT = 3


class FenceLine(NamedTuple):  # a tuple: made for every fence of every page, at once
    """A line whose text, after blanks and block quote markers, starts with a fence."""

    start: int  # offset of the line's first character
    end: int  # offset of its line break (the text's length on the last line)
    prefix: str  # blanks and `>` before the fence
    run: str  # the backticks or tildes
    info: str  # the rest of the line


class CodeBlock(NamedTuple):
    """A fenced code block, from its opening line to its closing line, by offsets."""

    start: int  # offset of the opening line's first character
    end: int  # offset of the closing line's line break (the text's length at its end)
    closed: bool  # False: a CommonMark block never closed, which runs to the text's end


def fence_lines(text: str) -> list[FenceLine]:
    """Each line of `text` whose first characters other than blanks (spaces, tabs) and
    `>` are 3 or more backticks or tildes, in order."""
    found: list[FenceLine] = []
    for mark in FENCE_MARKS:
        at = find_mark(text, mark)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:at].strip(" \t>"):
                run_end = at + 3
                while run_end < line_end and text[run_end] == mark[0]:
                    run_end += 1
                prefix, run, info = text[line_start:at], text[at:run_end], text[run_end:line_end]
                found.append(FenceLine(line_start, line_end, prefix, run, info))
            at = find_mark(text, mark, line_end)
    if found and found[0].run[0] != found[-1].run[0]:
        found.sort()  # both marks found, one after the other: in order of place
    return found


def _commonmark_opening(line: FenceLine) -> bool:
    return (
        len(line.prefix) <= MAX_COMMONMARK_INDENT
        and not line.prefix.strip(" ")
        and not (line.run[0] == "`" and "`" in line.info)
    )


def _commonmark_closing(line: FenceLine, opening: FenceLine) -> bool:
    return (
        len(line.prefix) <= MAX_COMMONMARK_INDENT
        and not line.prefix.strip(" ")
        and line.run[0] == opening.run[0]
        and len(line.run) >= len(opening.run)
        and not line.info.strip()
    )


def commonmark_blocks(text: str, fences: list[FenceLine] | None = None) -> list[CodeBlock]:
    """The fenced code blocks of `text` as CommonMark reads them (see the module's
    docstring), outside block quotes and lists; `fences`: its `fence_lines`, if found."""
    blocks: list[CodeBlock] = []
    opening: FenceLine | None = None
    for line in fence_lines(text) if fences is None else fences:
        if opening is None:
            if _commonmark_opening(line):
                opening = line
        elif _commonmark_closing(line, opening):
            blocks.append(CodeBlock(opening.start, line.end, True))
            opening = None
    if opening is not None:
        blocks.append(CodeBlock(opening.start, len(text), False))
    return blocks


def quote_prefix(text: str) -> str:
    """The blanks and `>` a line starts with: its block quote markers and indentation."""
    end = 0
    while end < len(text) and text[end] in " >":
        end += 1
    return text[:end]


def superfences_blocks(text: str, fences: list[FenceLine] | None = None) -> list[CodeBlock]:
    """The fenced code blocks of `text` as pymdownx.superfences reads them (see the
    module's docstring); only closed blocks are code. Tabs are the caller's to expand
    (Python-Markdown does before its block parser); a CR before a line break is part of
    the line end. `fences`: its `fence_lines`, if found."""
    blocks: list[CodeBlock] = []
    reached = -1  # the end of the block before: fence lines inside it are code
    for line in fence_lines(text) if fences is None else fences:
        if line.start <= reached or "\t" in line.prefix:
            continue
        if line.run[0] == "`" and "`" in line.info:
            continue
        end = _superfences_close(text, line)
        if end is not None:
            blocks.append(CodeBlock(line.start, end, True))
            reached = end
    return blocks


# A content line of a fence opened at the line start that ends it unclosed: one whose first
# character other than blanks is `>` (a block quote), not made of blanks and `>` alone.
_QUOTED_LINE = re.compile(r"^[ ]*>[ >]*(?:[^ >\r\n]|\r(?=[^\n]))", re.MULTILINE)


@lru_cache(maxsize=16)
def _closing_line(run: str) -> re.Pattern[str]:
    """A line that is `run` alone, blanks after it allowed (a CR before its line break)."""
    return re.compile(rf"^{re.escape(run)}[ ]*\r?$", re.MULTILINE)


def _superfences_close(text: str, opening: FenceLine) -> int | None:
    """Where the line that closes the fence `opening` opens ends, None where no line
    closes it before one that leaves its indentation or block quote."""
    if not opening.prefix:  # most fences: found by two searches, not line by line
        closing = _closing_line(opening.run).search(text, opening.end)
        if closing is None or _QUOTED_LINE.search(text, opening.end, closing.start()):
            return None
        return closing.end()
    prefix, at = opening.prefix, opening.end
    quotes = prefix.count(">")
    while at < len(text):
        start = at + 1
        at = text.find("\n", start)
        at = len(text) if at < 0 else at
        line = text[start:at].removesuffix("\r")
        if not line.strip(" >"):
            continue
        if not line.startswith(prefix):
            return None  # not indented enough: superfences drops the fence
        if line[len(prefix) :].rstrip(" ") == opening.run:
            return at
        if quotes != quote_prefix(line).count(">"):
            return None
    return None


def agreed_block_end(text: str, line_start: int, at: int) -> int | None:
    """Where the fenced code block whose fence starts at `at` (its line starting at
    `line_start`, nothing but spaces before the fence) ends, the offset of its closing
    line's line break, where CommonMark and superfences both read it as that one closed
    block: closed by a line that is the opening line's indentation and fence exactly, no
    other line starting with the fence's mark in between, no content line less indented
    than the fence. None where the two may read it apart (the list rule's quick test then
    reads the page whole). Found from the fence's marks, as `fence_lines`."""
    mark = text[at : at + 3]
    run_end = at
    while run_end < len(text) and text[run_end] == mark[0]:
        run_end += 1
    fence = text[line_start:run_end]
    first_end = text.find("\n", run_end)
    if first_end < 0 or (mark[0] == "`" and "`" in text[run_end:first_end]):
        return None
    # The closing line: the same indentation and fence, nothing after but spaces.
    content_start, search = first_end + 1, first_end + 1
    while True:
        close = find_mark(text, mark, search)
        if close < 0:
            return None
        close_line = text.rfind("\n", 0, close) + 1
        if text[close_line:close].strip(" "):
            search = close + 3
            continue  # not at a line start: code
        close_end = text.find("\n", close)
        close_end = len(text) if close_end < 0 else close_end
        if text[close_line:close_end].rstrip(" \r") != fence:
            return None  # another fence line inside: the two parsers may close it apart
        break
    indent = at - line_start
    if indent:
        for line in text[content_start:close_line].split("\n"):
            if line.strip() and not line.startswith(" " * indent):
                return None  # less indented than the fence: superfences drops it
    return close_end


def line_spans(text: str, blocks: list[CodeBlock]) -> list[tuple[int, int]]:
    """Each block's first and last line (from 0, lines split at "\n")."""
    spans, number, counted = [], 0, 0
    for block in blocks:
        number += text.count("\n", counted, block.start)
        last = number + text.count("\n", block.start, block.end)
        spans.append((number, last))
        number, counted = last, block.end
    return spans


def _code_lines(lines: Sequence[str], reading: Callable[[str], list[CodeBlock]]) -> list[bool]:
    text = "\n".join(lines)
    inside = [False] * len(lines)
    for first, last in line_spans(text, reading(text)):
        inside[first : last + 1] = [True] * (last + 1 - first)
    return inside


def commonmark_code_lines(lines: Sequence[str]) -> list[bool]:
    """For each of `lines` (a text split at its line ends), whether it is a line of a
    fenced code block as CommonMark reads it, its fences included."""
    return _code_lines(lines, commonmark_blocks)


def superfences_code_lines(lines: Sequence[str]) -> list[bool]:
    """For each of `lines`, whether it is a line of a fenced code block as
    pymdownx.superfences reads it, its fences included."""
    return _code_lines(lines, superfences_blocks)
