"""What an existing hand-written page says about its own answers.

The template names, in its `_guidewright: infer` block, which question takes which
inferences, in the order they are tried; nothing here knows a question by name. Each
inference gives its candidates (none, one, or several in the order they are tried); the
question's validator judges each, as it judges any answer. A text candidate is always a
whole: a heading, a title, or whole sentences of the author's own text, never a text cut
at a word or given an ellipsis the author did not write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from guidewright.markdown import pyromark
from guidewright.markdown.code_regions import commonmark_code_lines

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
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
    body = facts.body.splitlines()
    code = commonmark_code_lines(body)  # the page as its author reads it
    for number, line in enumerate(body):
        if code[number]:
            if lines:
                break
            continue
        if line.startswith(("    ", "\t")) and not lines:
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


# Words ending in a full stop that end no sentence.
_LATIN = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "incl.", "esp.", "fig.", "no.")
_TITLES = ("dr.", "mr.", "mrs.", "ms.", "st.", "jr.", "sr.")
_ABBREVIATIONS = frozenset(_LATIN + _TITLES)
_INITIALS = re.compile(r"(?:[A-Za-z]\.){1,3}")  # U.S., A.B.C.
# A sentence's end: its mark (and closing quotes or brackets), then space, then what can
# start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[]?[A-Z0-9`*_])")


def sentences(text: str) -> list[str]:
    """The sentences of a one-line text, in order, each whole (with its mark)."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start : match.end()].strip()
        last_word = piece.rsplit(" ", 1)[-1]
        if last_word.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(last_word):
            continue
        found.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        found.append(rest)
    return found


def first_sentence(facts: PageFacts) -> list[str]:
    """The first sentence of the first paragraph of prose."""
    paragraph = first_paragraph(facts)
    return sentences(paragraph)[:1] if paragraph else []


def first_sentences(facts: PageFacts) -> list[str]:
    """The first paragraph's leading sentences: all of them, then one fewer, down to one
    (the first the question takes is the most the page says within its rules)."""
    found = sentences(first_paragraph(facts) or "")
    return [" ".join(found[:count]) for count in range(len(found), 0, -1)]


# ASCII text in three classes for `word_count`: a word's character (a letter or digit, as
# `_WORD` takes them), a joiner inside a word (`'`, `-`), anything else.
_ASCII_CLASSES = (
    bytes(
        ord("w") if chr(c).isalnum() else ord("j") if chr(c) in "'-" else ord(" ")
        for c in range(128)
    )
    + b" " * 128
)


def word_count(text: str) -> int:
    """How many words `_WORD` finds in `text`. An ASCII text (most pages) is counted by
    byte searches, some four times faster than a match object a word: `adopt` counts the
    words of every page, and the regular expression was a quarter of its planning. In
    `_ASCII_CLASSES`, the words are the runs of word characters, less each joiner with a
    word character on both sides (it makes two runs one word)."""
    if not text.isascii():
        return len(_WORD.findall(text))
    classes = text.encode("ascii").translate(_ASCII_CLASSES)
    runs = classes.count(b" w") + classes.count(b"jw") + classes.startswith(b"w")
    joined = (
        classes.count(b"wj")
        - classes.count(b"wj ")
        - classes.count(b"wjj")
        - classes.endswith(b"wj")
    )
    return runs - joined


def reading_time(facts: PageFacts) -> str:
    """The words at 200 a minute, rounded to 5 minutes (at least 5)."""
    words = word_count(facts.body)
    minutes = max(5, 5 * round(words / WORDS_PER_MINUTE / 5))
    return f"{minutes} min"


def folders(facts: PageFacts) -> list[str] | None:
    """The names of the folders the page is in, outermost first."""
    names = facts.relpath.split("/")[:-1]
    return names or None


def _one(found: Any) -> list[Any]:
    return [] if found is None else [found]


# The question's default, worked out as if the page were last changed the day it is
# adopted: every answer `git-last-commit` gave is replaced by that day. It needs the
# question and the other answers, so the caller works it out (adopt/answers.py).
AFTER_ADOPTION = "after-adoption"
# The inference whose dates `after-adoption` replaces by the day of adoption.
HISTORY_DATE = "git-last-commit"

INFER: Mapping[str, Callable[[PageFacts], list[Any]]] = {
    "nav-title": lambda facts: _one(facts.nav_title),
    "first-heading": lambda facts: _one(first_heading(facts)),
    "first-sentence": first_sentence,
    "first-sentences": first_sentences,
    "first-paragraph": lambda facts: _one(first_paragraph(facts)),
    "reading-time": lambda facts: [reading_time(facts)],
    HISTORY_DATE: lambda facts: _one(facts.last_commit),
    "git-authors": lambda facts: [list(facts.authors)] if facts.authors else [],
    "folders": lambda facts: _one(folders(facts)),
}


@lru_cache(maxsize=256)  # two questions may take the same inference (topic and title)
def infer(how: str, facts: PageFacts) -> tuple[Any, ...]:
    """The candidate answers inference `how` gives for the page, in the order they are
    tried (none: it gives none)."""
    return tuple(INFER[how](facts))
