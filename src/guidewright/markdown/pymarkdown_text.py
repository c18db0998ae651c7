"""Python-Markdown's preprocessors, as far as lists care: what it does to a page's text
before cutting it into blocks (whitespace normalised, fenced code and raw HTML stashed),
every line keeping its number."""

from __future__ import annotations

import re
from functools import lru_cache

from guidewright.markdown.code_regions import line_spans, quote_prefix, superfences_blocks

TAB = 4
Line = tuple[int, str]  # (line index in the page, text as this container sees it)

LINE_END = re.compile(r"\r\n|\r|\n")
# What opens a raw HTML block at a line's start: a comment, a CDATA section, the doctype
# declaration, a processing instruction (`<?php ... ?>`) or a tag. (Any other `<!` is a
# "bogus comment", which Python-Markdown keeps inline.)
HTML_START = re.compile(r"[ ]{0,3}<(!--|!\[CDATA\[|(?i:!doctype)|\?|[A-Za-z][A-Za-z0-9-]*)")
PLACEHOLDER = "\x02stash\x03"  # what superfences and raw HTML leave in the text
# Python-Markdown's block-level elements: a raw HTML block starts with one of these.
BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "canvas",
        "colgroup",
        "dd",
        "body",
        "dt",
        "group",
        "html",
        "iframe",
        "li",
        "legend",
        "math",
        "map",
        "noscript",
        "output",
        "object",
        "option",
        "progress",
        "script",
        "style",
        "summary",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "tr",
        "video",
        "center",
    )
)
# Block-level tags Python-Markdown's HtmlBlockPreprocessor takes as empty, whatever
# follows (`HTMLExtractor.empty_tags`): the raw block is the tag alone.
EMPTY_TAGS = frozenset({"hr"})


def page_lines(text: str) -> list[str]:
    """The page's lines, split at the line ends Python-Markdown and CommonMark know."""
    return LINE_END.split(text)


def normalised(lines: list[str]) -> list[Line]:
    """Tabs expanded, blank lines emptied (Python-Markdown's NormalizeWhitespace)."""
    out = []
    for number, line in enumerate(lines):
        line = line.expandtabs(TAB) if "\t" in line else line
        out.append((number, line if line.strip(" ") else ""))
    return out


def without_fences(lines: list[Line], fences: dict[int, int]) -> list[Line]:
    """Each fenced code block made one placeholder line, as pymdownx.superfences does
    (markdown/code_regions.py reads them). Each fence's first and last line go into
    `fences`."""
    out: list[Line] = []
    index = 0
    joined = "\n".join(text for _, text in lines)
    for first, last in line_spans(joined, superfences_blocks(joined)):
        out += lines[index:first]
        number, text = lines[first]
        out.append((number, quote_prefix(text) + PLACEHOLDER))
        fences[number] = lines[last][0]
        index = last + 1
    out += lines[index:]
    return out


def first_raw_html_line(text: str) -> int | None:
    """The number (from 0, counted in line feeds) of the first line of `text` that opens
    a raw HTML block as `without_raw_html` reads one, None where no line does: found from
    the text's `<` characters, most pages having few, not from every line."""
    at = text.find("<")
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        if at - line_start <= 3 and not text[line_start:at].strip(" "):
            start = HTML_START.match(text, line_start)
            if start is not None and _opens_raw_html(start.group(1).lower()):
                return text.count("\n", 0, line_start)
        at = text.find("<", at + 1)
    return None


def _opens_raw_html(tag: str) -> bool:
    """Whether a line starting with this tag (as HTML_START reads it, lowercased: `!--`,
    `![cdata[`, `!doctype`, `?`, or a tag's name) opens a raw HTML block."""
    return tag.startswith(("!", "?")) or tag in BLOCK_TAGS


def _closing(tag: str) -> str | None:
    """What ends the raw block this tag opens, as Python-Markdown's HTMLExtractor (Python's
    HTMLParser, with its own `?>`) ends it; None for an element, which ends at its own end
    tag."""
    if tag == "!--":
        return "-->"
    if tag == "![cdata[":
        return "]]>"
    if tag == "?":
        return "?>"
    if tag == "!doctype" or tag in EMPTY_TAGS:
        return ">"
    return None


# Where HTMLParser reads no tag until a closing string: a comment, and the content of the
# elements whose content is text to it.
_NO_TAGS = re.compile(r"<!--|<(script|style)(?![A-Za-z0-9-])", re.I)
_COMMENT_END = re.compile(r"--!?>")


@lru_cache(maxsize=64)
def _tag_edges(tag: str) -> re.Pattern[str]:
    """A start or end tag of the element `tag`: (`/` of an end tag, what follows the name,
    `>` or nothing where the tag goes on to the next line)."""
    return re.compile(rf"<(/?){re.escape(tag)}(?![A-Za-z0-9-])([^<>]*)(>|$)", re.I)


@lru_cache(maxsize=8)
def _end_tag(tag: str) -> re.Pattern[str]:
    return re.compile(rf"</{re.escape(tag)}(?![A-Za-z0-9-])", re.I)


def _element_end(lines: list[Line], index: int, tag: str) -> tuple[int, int]:
    """Where the element opened at line `index` ends (line, and column after its end tag):
    its end tag, counting the elements of the same name opened inside it, as
    HTMLExtractor's stack of open tags does, and no tag inside a comment or a script
    (`<div/>` is empty, a block of its own); the end of the last line if it never ends."""
    if tag in ("script", "style"):  # its content is text: no element inside it
        for end in range(index, len(lines)):
            found = _end_tag(tag).search(lines[end][1])
            if found is not None:
                closed = lines[end][1].find(">", found.end())
                return end, len(lines[end][1]) if closed < 0 else closed + 1
        return len(lines) - 1, len(lines[-1][1])
    edges = _tag_edges(tag)
    depth = 0
    no_tags_until: re.Pattern[str] | None = None
    for end in range(index, len(lines)):
        text = lines[end][1]
        at = 0
        while True:
            if no_tags_until is not None:
                found = no_tags_until.search(text, at)
                if found is None:
                    break  # the comment or script goes on to the next line
                at, no_tags_until = found.end(), None
            skipped = _NO_TAGS.search(text, at)
            for edge in edges.finditer(text, at, skipped.start() if skipped else len(text)):
                if edge.group(1):
                    depth -= 1
                elif not (edge.group(3) and edge.group(2).rstrip().endswith("/")):
                    depth += 1
                if depth <= 0:
                    return end, edge.end()
            if skipped is None:
                break
            element = skipped.group(1)
            no_tags_until = _end_tag(element.lower()) if element else _COMMENT_END
            at = skipped.end()
    return len(lines) - 1, len(lines[-1][1])


def without_raw_html(lines: list[Line]) -> list[Line]:
    """Raw HTML blocks (a block-level element, a comment, a declaration or an instruction
    at a line's start) stashed, blank lines around them, as Python-Markdown's
    HtmlBlockPreprocessor does."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        number, text = lines[index]
        start = HTML_START.match(text) if "<" in text[:4] else None
        tag = start.group(1).lower() if start else ""
        if not start or not _opens_raw_html(tag):
            out.append(lines[index])
            index += 1
            continue
        closing = _closing(tag)
        if closing is None:
            end, after = _element_end(lines, index, tag)
        else:
            end, after = index, -1
            while end < len(lines) and (after := lines[end][1].find(closing)) < 0:
                end += 1
            if end == len(lines):  # never closed: HTMLParser reads it as text
                out.append(lines[index])
                index += 1
                continue
            after += len(closing)
        out.extend([(number, ""), (number, PLACEHOLDER), (number, "")])
        # What follows the block on its last line stays text (HTMLExtractor's "tail"),
        # even blanks: a line the block parser reads as no blank line, so a list right
        # after it is that paragraph's text.
        tail = lines[end][1][after:]
        if tail:
            out.append((lines[end][0], tail if tail.strip(" ") else PLACEHOLDER))
        index = end + 1
    return out
