"""Unresolved merge conflicts left in a page: `<<<<<<< label`, `=======`, `>>>>>>> label`.

A conflicted `update` (or `copier update`, or a git merge) leaves these for the author to
resolve; committed, they publish as text. Only the whole sequence at line starts counts, and
only outside fenced and indented code: a git tutorial's example conflict in a code block is
none, and neither is a lone `=======` (a setext heading's underline). diff3's `|||||||` base
section may sit between the first marker and `=======`. CRLF and CR line ends count as ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guidewright.markdown.code_regions import commonmark_code_lines
from guidewright.markdown.text_search import find_mark
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule

MARKER = 7  # git's conflict-marker-size
_START = re.compile(r"<{7}(?:[ \t].*)?\Z")
_BASE = re.compile(r"\|{7}(?:[ \t].*)?\Z")
_MIDDLE = re.compile(r"={7}[ \t]*\Z")
_END = re.compile(r">{7}(?:[ \t].*)?\Z")


@dataclass(frozen=True)
class Conflict:
    """One unresolved conflict: the lines of its first and last marker (1-based)."""

    start: int
    end: int


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def find_conflicts(text: str) -> list[Conflict]:
    """Every complete conflict outside code, in order."""
    lines = _lines(text)
    # Fenced code as CommonMark reads it: the author's view of the page. (Indented code
    # needs no reading: every line of it is indented, and a marker counts only at the
    # line's very start.)
    code = commonmark_code_lines(lines)
    found: list[Conflict] = []
    start, middle = 0, 0  # 1-based line numbers of the open conflict's markers
    for number, line in enumerate(lines, 1):
        if code[number - 1]:
            continue
        if _START.match(line):
            start, middle = number, 0
        elif start and not middle and _MIDDLE.match(line):
            middle = number
        elif start and middle and _END.match(line):
            found.append(Conflict(start, number))
            start, middle = 0, 0
        elif start and not middle and _BASE.match(line):
            continue
    return found


def conflict_problems(shown: str, text: str) -> list[Problem]:
    """Each unresolved conflict of a page as an error at its first marker's line."""
    if find_mark(text, "<" * MARKER) < 0:
        return []  # most pages: no need to read them line by line
    return [
        MERGE_CONFLICT.problem(
            shown,
            conflict.start,
            "conflict",
            f"unresolved merge conflict (lines {conflict.start}-{conflict.end}): keep what "
            "is meant and delete the <<<<<<<, ======= and >>>>>>> lines",
        )
        for conflict in find_conflicts(text)
    ]


def _conflicts_of_page(page: PageUnderCheck) -> list[Problem]:
    return conflict_problems(page.page.shown, page.text)


MERGE_CONFLICT = Rule(
    code="GW302",
    name="merge-conflict",
    severity=ERROR,
    summary="an unresolved merge conflict (<<<<<<<, =======, >>>>>>> outside code)",
    why=(
        "A conflicted `update` (or `copier update`, or a git merge) leaves the markers for "
        "the author to resolve; committed, they publish as text. Only the whole sequence "
        "at line starts counts, outside fenced and indented code: a git tutorial's example "
        "conflict is none, and a lone `=======` (a heading's underline) neither. Any page "
        "is read for them, even one whose frontmatter does not parse."
    ),
    example=(
        "```markdown\n<<<<<<< before updating\nLevel: L6\n=======\nLevel: L7\n"
        ">>>>>>> after updating\n```"
    ),
    family="conflict markers",
    detector=PageDetector(Reads.TEXT, _conflicts_of_page),
)
