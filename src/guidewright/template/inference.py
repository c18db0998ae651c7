"""What an existing hand-written page says about its own answers.

The template names, in its `_guidewright: infer` block, which question takes which
inference; nothing here knows a question by name. Each inference returns a candidate or
None; the question's validator judges it afterwards, as it judges any answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from guidewright.markdown import pyromark

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# Lines that start something other than a paragraph of prose.
_NOT_PROSE = re.compile(r"^ {0,3}(?:#|>|[-*+] |\d+[.)] |\||<|!!!|\?\?\?|!\[|---|\*\*\*|___|\[\^)")
_INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class PageFacts:
    """What inferences read: the page's body text, its path and what the site knows of it."""

    relpath: str  # in the docs folder, `/`-separated
    body: str
    nav_title: str | None = None
    last_commit: str | None = None  # YYYY-MM-DD
    authors: tuple[str, ...] = ()
    document: str = ""  # relative to the site root


def file_name_title(relpath: str) -> str:
    """The title MkDocs gives a page with no title of its own (mkdocs.structure.pages):
    its file name (its folder's for an index), `-` and `_` as spaces, first letter upper."""
    parts = relpath.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem in {"index", "README"} and len(parts) > 1:
        stem = parts[-2]
    title = stem.replace("-", " ").replace("_", " ")
    return title[:1].upper() + title[1:] if title.lower() == title else title


def first_heading(facts: PageFacts) -> str | None:
    """The first H1, else the nav title, else MkDocs' title from the file name: the
    title MkDocs shows for the page (a nav title shows in the navigation whatever the
    page says, so the page's own comes first)."""
    for heading in pyromark.read(facts.body, list_items=False).headings:
        if heading.level == 1 and heading.text.strip():
            return re.sub(r"\s*\{[^}]*\}\s*$", "", heading.text).strip()
    return facts.nav_title or file_name_title(facts.relpath)


def _plain(text: str) -> str:
    text = _INLINE_LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    for _ in range(3):
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def first_paragraph(facts: PageFacts) -> str | None:
    """The first paragraph of prose as plain one-line text (links as their text)."""
    lines: list[str] = []
    fenced = False
    for line in facts.body.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            if lines:
                break
            continue
        if fenced or (line.startswith(("    ", "\t")) and not lines):
            continue
        if not line.strip():
            if lines:
                break
            continue
        if _NOT_PROSE.match(line) or re.match(r"^ {0,3}(=+|-+)\s*$", line):
            if lines:
                break
            continue
        lines.append(line)
    text = _plain(" ".join(lines))
    return text or None


def clipped(text: str, accepts: Callable[[str], bool]) -> str | None:
    """`text`, else its longest prefix ending at a word (with `…`) that `accepts` takes."""
    return next((candidate for candidate in shortened(text) if accepts(candidate)), None)


def reading_time(facts: PageFacts) -> str:
    """The words at 200 a minute, rounded to 5 minutes (at least 5)."""
    words = len(_WORD.findall(facts.body))
    minutes = max(5, 5 * round(words / WORDS_PER_MINUTE / 5))
    return f"{minutes} min"


def folders(facts: PageFacts) -> list[str] | None:
    """The names of the folders the page is in, outermost first."""
    names = facts.relpath.split("/")[:-1]
    return names or None


INFER: Mapping[str, Callable[[PageFacts], Any]] = {
    "first-heading": first_heading,
    "first-paragraph": first_paragraph,
    "reading-time": reading_time,
    "git-last-commit": lambda facts: facts.last_commit,
    "git-authors": lambda facts: list(facts.authors) or None,
    "folders": folders,
}


@lru_cache(maxsize=256)  # two questions may take the same inference (topic and title)
def infer(how: str, facts: PageFacts) -> Any:
    """The candidate answer inference `how` gives for the page (None: it gives none)."""
    return INFER[how](facts)


def shortened(text: str) -> Iterator[str]:
    """`text`, then each shorter prefix ending at a word, with `…`: for `clipped`."""
    yield text
    words = text.split(" ")
    for end in range(len(words) - 1, 0, -1):
        yield " ".join(words[:end]).rstrip(",;:") + "…"
