"""Where a finding sits in the page: a range in characters (code points), which the server
then gives in the client's position encoding (UTF-16 code units unless negotiated)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidewright.rules.problems import Problem

LINK_END = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|\]:\s*\S+")


@dataclass(frozen=True)
class Span:
    """0-based line, and 0-based start and end characters on it."""

    line: int
    start: int
    end: int


def span_of(problem: Problem, lines: list[str]) -> Span:
    """The range of a finding: a link from its `[` to its closing `)`, else the line's
    text (a key and its value, a list item), without its indentation or line end."""
    line = min(max(problem.line, 1), max(len(lines), 1)) - 1
    text = lines[line].rstrip("\r\n") if lines else ""
    if problem.column > 0:
        start = min(problem.column - 1, len(text))
        end_match = LINK_END.search(text, start)
        end = end_match.end() if end_match else len(text)
        return Span(line, start, end)
    start = len(text) - len(text.lstrip())
    return Span(line, start, max(start, len(text.rstrip())))
