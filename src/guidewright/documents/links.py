"""A page's links and anchors as MkDocs sees them, found by a Markdown parser.

MkDocs (Python-Markdown) checks the `href` of every link and the `src` of every image its
Markdown makes, not text in code or raw HTML; a reference link (`[text][ref]` with
`[ref]: page.md`) is a link like any other. The parser is markdown-it (its Rust port,
which gives source positions and is fast enough to parse every page); Python-Markdown's
admonitions, whose content is indented like code, are first turned into block quotes of the
same width, so that lines and columns stay where the author sees them.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

# `!!! note "Title"`, `??? tip`, `???+ example`: content follows, indented by four.
_ADMONITION = re.compile(r"^( *)(?:!!!|\?\?\?\+?)[ \t]")
# A heading's own id, as attr_list writes it: `## Heading {#id}` or `{: #id .class }`.
_ATTR_ID = re.compile(r"\s*\{:?[^}]*?#([^\s}]+)[^}]*\}\s*$")
_HTML_ID = re.compile(r"""<[^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Link:
    """A link or image target in a page, where the author wrote it."""

    target: str
    line: int  # 1-based, in the page
    column: int  # 1-based: the link's opening bracket


@dataclass(frozen=True)
class BrokenLink:
    """A link MkDocs would warn about, and why."""

    link: Link
    reason: str


@lru_cache(maxsize=1)
def _parser() -> Any:
    import markdown_it_pyrs

    return markdown_it_pyrs.MarkdownIt("commonmark").enable("table")


def as_commonmark(body: str) -> str:
    """`body` with admonition content as block quotes: same lines, same columns."""
    if "!!!" not in body and "???" not in body:
        return body
    lines = body.split("\n")
    for number in [i for i, line in enumerate(lines) if _ADMONITION.match(line)]:
        header = lines[number]
        if not _ADMONITION.match(header):
            continue  # already content of the admonition before it
        inside = len(header) - len(header.lstrip(" "))
        lines[number] = " " * len(header)  # the title is not Markdown
        for following in range(number + 1, len(lines)):
            line = lines[following]
            if not line.strip():
                continue
            if len(line) - len(line.lstrip(" ")) < inside + 4:
                break
            lines[following] = line[:inside] + "> " + line[inside + 2 :]
    return "\n".join(lines)


def _text(node: Any) -> str:
    return "".join(
        n.meta.get("content", "") for n in node.walk() if n.name in {"text", "code_inline"}
    )


def slugify(text: str) -> str:
    """A heading's id as Python-Markdown's toc makes it (MkDocs' default)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^\w\s-]", "", ascii_text).strip().lower()
    return re.sub(r"[-\s]+", "-", words)


@dataclass(frozen=True)
class ParsedPage:
    """What a page links to, and the anchors it offers."""

    links: list[Link]
    anchors: frozenset[str]


def parse_page(body: str, first_line: int, with_anchors: bool = True) -> ParsedPage:
    """The links and anchors of a page's Markdown (`body` starts at line `first_line`);
    `with_anchors=False` skips the anchors (only same-page links need them)."""
    source = as_commonmark(body)
    try:
        with _quiet_stderr():
            tree = _parser().tree(source)
    except BaseException as error:
        # markdown-it-pyrs 0.4 panics on a few inputs (`[` then an unclosed backtick):
        # such a page is read by markdown-it-py, slower and with line-level positions.
        if type(error).__name__ != "PanicException":
            raise
        links, headings = _parse_in_python(source, with_anchors)
    else:
        links, headings = _links_and_headings(tree, source.encode("utf-8"), with_anchors)
    found = [Link(url, first_line + line, column) for line, column, url in links]
    return ParsedPage(found, _anchors(source, headings) if with_anchors else frozenset())


def _links_and_headings(
    tree: Any, encoded: bytes, with_anchors: bool
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """(line from 0, column from 1, target) of each link, and the headings' texts."""
    starts, headings = [], []
    for node in tree.walk():  # in the parser: a Python walk costs three times more
        if node.name in {"link", "image"}:
            starts.append((node.srcmap[0] if node.srcmap else 0, str(node.meta.get("url", ""))))
        elif node.name == "heading" and with_anchors:
            headings.append(_text(node))
    links, line, counted = [], 0, 0
    for start, url in sorted(starts):  # byte offsets; lines counted on from the link before
        line += encoded.count(b"\n", counted, start)
        counted = start
        line_start = encoded.rfind(b"\n", 0, start) + 1
        links.append((line, len(encoded[line_start:start].decode("utf-8", "replace")) + 1, url))
    return links, headings


def _parse_in_python(
    source: str, with_anchors: bool
) -> tuple[list[tuple[int, int, str]], list[str]]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    lines = source.split("\n")
    links, headings = [], []
    for number, token in enumerate(tokens):
        if token.type == "heading_open" and with_anchors and number + 1 < len(tokens):
            children = tokens[number + 1].children or []
            headings.append(
                "".join(c.content for c in children if c.type in {"text", "code_inline"})
            )
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            url = child.attrs.get("href" if child.type == "link_open" else "src")
            if child.type not in {"link_open", "image"} or not isinstance(url, str):
                continue
            block = range(token.map[0], min(token.map[1], len(lines)))
            line = next((i for i in block if url in lines[i]), token.map[0])
            links.append((line, _column_of(lines[line] if line < len(lines) else "", url), url))
    return links, headings


def _column_of(line: str, url: str) -> int:
    """The column of `[text](url)`'s bracket (`!` of an image) on its line, else of `url`."""
    closing = line.find("](" + url)
    if closing < 0:
        return line.find(url) + 1
    opening = line.rfind("[", 0, closing)
    return opening if opening > 0 and line[opening - 1] == "!" else opening + 1


_STDERR: list[int] = []


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Rust prints a panic to the process' stderr before Python can catch it."""
    if not _STDERR:
        _STDERR.append(os.open(os.devnull, os.O_WRONLY))
    saved = os.dup(2)
    os.dup2(_STDERR[0], 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _anchors(source: str, headings: list[str]) -> frozenset[str]:
    anchors = set(_HTML_ID.findall(source)) if ("id=" in source or "name=" in source) else set()
    seen: set[str] = set()
    for text in headings:
        own = _ATTR_ID.search(text)
        anchor = own.group(1) if own else slugify(text)
        unique, count = anchor, 0
        while unique in seen:  # toc's rule for repeated headings: _1, _2, ...
            count += 1
            unique = f"{anchor}_{count}"
        seen.add(unique)
        anchors.add(unique)
    return frozenset(anchors)


def may_link(body: str) -> bool:
    """Whether `body` can hold a link at all (most bodies are skipped unparsed)."""
    return "](" in body or "]:" in body or "![" in body


def broken_links(
    page: str,
    parsed: ParsedPage,
    files: frozenset[str],
    anchors_of: Callable[[str], frozenset[str] | None],
) -> list[BrokenLink]:
    """Links of `page` (relative to the docs folder) that MkDocs would warn about, given
    the docs folder's `files` and a way to read another page's anchors."""
    broken = []
    for link in parsed.links:
        scheme, netloc, path, _, anchor = urlsplit(link.target)
        if scheme or netloc or link.target.startswith(("/", "\\")):
            continue  # external, or absolute: MkDocs leaves those as they are
        if not path:
            if anchor and anchor not in parsed.anchors:
                broken.append(BrokenLink(link, "matches no heading or anchor on this page"))
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
        target = target.lstrip("/")
        if target not in files:
            if target.startswith("../") or target == "..":
                reason = "leaves the docs folder"
            elif not posixpath.splitext(unquote(path))[1]:
                reason = "is not a page or file (link the page itself, like folder/index.md)"
            else:
                reason = "does not exist"
            broken.append(BrokenLink(link, reason))
            continue
        if anchor and target.endswith(".md"):
            offered = anchors_of(target)
            if offered is not None and anchor not in offered:
                broken.append(BrokenLink(link, f"matches no heading or anchor in {target}"))
    return broken
