"""The oracle of the list rule: Python-Markdown itself, with the site's extensions, against
a CommonMark parser (pyromark), both read from their HTML; and Markdown to feed them.

Every list item of generated Markdown holds a unique token (w1, w2, ...): an item is known
in either HTML by the token that starts its own text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pyromark
from hypothesis import strategies as st

TOKEN = re.compile(r"\bw\d+\b")


class _Items(HTMLParser):
    """token -> (parent item's token, previous item's token in the same list); items are
    counted within their block quote or admonition, as the rule counts them. An item is
    known by its element, its token read from the first text that is its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []  # open elements: (tag, item number or -1)
        self.relations: list[tuple[int | None, int | None]] = []  # per item: parent, previous
        self.tokens: dict[int, str] = {}
        self.read: set[int] = set()  # items whose first own text was read
        self.last_in_list: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("blockquote", "details") or (tag == "div" and "admonition" in classes):
            self.stack.append(("boundary", -1))
            return
        if tag in ("ul", "ol"):
            self.last_in_list.append(None)
        elif tag == "li":
            parent = None
            for element, number in reversed(self.stack):
                if element == "boundary":
                    break
                if element == "li":
                    parent = number
                    break
            previous = self.last_in_list[-1] if self.last_in_list else None
            number = len(self.relations)
            self.relations.append((parent, previous))
            if self.last_in_list:
                self.last_in_list[-1] = number
            self.stack.append((tag, number))
            return
        self.stack.append((tag, -1))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            element, _ = self.stack.pop()
            if element in ("ul", "ol"):
                self.last_in_list.pop()
            if element == tag or (
                element == "boundary" and tag in ("div", "blockquote", "details")
            ):
                break

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        for element, number in reversed(self.stack):
            if element == "li":
                if number not in self.read:
                    # On its own first line: a token on a later line is text the item
                    # runs on into (Python-Markdown's lazy `- not a list` then `1) w9`),
                    # no item of that token's.
                    self.read.add(number)
                    match = TOKEN.search(data.lstrip().split("\n", 1)[0])
                    if match is not None:
                        self.tokens[number] = match.group(0)
                return
            if element in ("ul", "ol", "boundary"):
                return

    def items(self) -> dict[str, tuple[str | None, str | None]]:
        def token(number: int | None) -> str | None:
            return None if number is None else self.tokens.get(number)

        return {
            self.tokens[number]: (token(parent), token(previous))
            for number, (parent, previous) in enumerate(self.relations)
            if number in self.tokens
        }


def items_of(html: str) -> dict[str, tuple[str | None, str | None]]:
    reader = _Items()
    reader.feed(html)
    return reader.items()


def site_markdown_extensions(mkdocs_yml: Path) -> tuple[list[object], dict[str, object]]:
    """The `markdown_extensions` of a site's mkdocs.yml, as MkDocs hands them over."""
    from mkdocs.config import load_config

    config = load_config(str(mkdocs_yml))
    return config["markdown_extensions"], config["mdx_configs"]


def python_markdown_html(text: str, extensions: tuple[list[object], dict[str, object]]) -> str:
    return markdown.Markdown(extensions=extensions[0], extension_configs=extensions[1]).convert(
        text
    )


class _Containers(HTMLParser):
    """The tokens inside each admonition (or details) of Python-Markdown's HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None]] = []  # open elements: (tag, container)
        self.tokens: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "details" or (tag == "div" and "admonition" in classes):
            self.stack.append((tag, len(self.tokens)))
            self.tokens.append([])
        else:
            self.stack.append((tag, None))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, container in self.stack:
            if container is not None:
                self.tokens[container].extend(TOKEN.findall(data))


def containers_of(html: str) -> list[list[str]]:
    """Each admonition's tokens, sorted, outer ones first: which text a container shows.
    Sorted: Python-Markdown's admonition puts an item's text after its sub-list where a
    later block continues the item (its `parse_content` wraps the text in a paragraph
    appended last), an order no list fix decides."""
    reader = _Containers()
    reader.feed(html)
    return [sorted(tokens) for tokens in reader.tokens]


def admonition_bodies(text: str) -> list[str]:
    """The content of each admonition opened at the start of a line, dedented: as
    `documents` gives them, read again from any page (one a fix re-indented too)."""
    found: list[str] = []
    body: list[str] | None = None
    for line in text.splitlines():
        if body is not None and (line.startswith("    ") or not line.strip()):
            body.append(line[4:])
            continue
        if body is not None:
            found.append("\n".join(body).rstrip("\n"))
        body = [] if line[:3] in ("!!!", "???") else None
    if body is not None:
        found.append("\n".join(body).rstrip("\n"))
    return found


def commonmark_html(text: str) -> str:
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
    return pyromark.html(text, options=options)


def oracle_places(
    text: str, admonition_bodies: list[str], extensions: tuple[list[object], dict[str, object]]
) -> set[tuple[int, str]]:
    """(line from 0, kind) of each run of CommonMark list items Python-Markdown renders
    otherwise: as no item ("swallowed") or under another item ("nesting")."""
    return places_in_html(text, admonition_bodies, python_markdown_html(text, extensions))


def authors_items_of(
    text: str, admonition_bodies: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """The items as the author reads them: CommonMark's, each admonition's content read as
    a page. CommonMark has no admonitions, and the page's reading of their lines (lazy
    text of an item before one, in which a fence's deeper line starts an item) is no
    reading of the author's."""
    read = items_of(commonmark_html(text))
    inside = {token for body in admonition_bodies for token in TOKEN.findall(body)}
    read = {token: item for token, item in read.items() if token not in inside}
    for body in admonition_bodies:
        read.update(items_of(commonmark_html(body)))
    return read


def places_in_html(text: str, admonition_bodies: list[str], html: str) -> set[tuple[int, str]]:
    """`oracle_places` where the page's HTML is `html` (an engine's own build of it)."""
    rendered = items_of(html)
    read = authors_items_of(text, admonition_bodies)
    lines = text.split("\n")
    line_of = {}
    for number, line in enumerate(lines):
        for token in TOKEN.findall(line):
            line_of[token] = number
    status: dict[str, str | None] = {}
    places = set()
    for token in sorted(read, key=lambda t: line_of[t]):
        parent, previous = read[token]
        if token not in rendered:
            kind: str | None = "swallowed"
        else:
            kind = None if rendered[token][0] == parent else "nesting"
        status[token] = kind
        if kind is None:
            continue
        if parent is not None and status.get(parent) is not None:
            continue
        if previous is not None and status.get(previous) == kind:
            continue
        places.add((line_of[token], kind))
    return places


# Generated Markdown: what the issue names, each item with its token.
WORDS = st.sampled_from(["Some text:", "**Bold** words", "A line, then", "plain"])
MARKERS = st.sampled_from(["-", "*", "+", "1.", "2.", "1)", "- [ ]", "- [x]", "1. [ ]"])
# The composites' other strategies, made once rather than at every draw: making one
# (Hypothesis validates it, or looks it up in its cache) cost more than drawing from it.
# The examples are the same: a seed draws the same documents either way.
BOOLEANS = st.booleans()
ONE_TO_THREE, ZERO_TO_TWO, ZERO_TO_THREE = st.integers(1, 3), st.integers(0, 2), st.integers(0, 3)
ONE_OR_TWO, ONE_TO_FOUR = st.integers(1, 2), st.integers(1, 4)
CHILD_INDENTS = st.sampled_from([1, 2, 3, 4, 5, 6])
BLOCK_KINDS = st.sampled_from(["para-list", "list", "heading-list", "fence", "admonition", "quote"])


class Tokens:
    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"w{self.count}"


@st.composite
def list_lines(draw: st.DrawFn, tokens: Tokens, indent: int = 0, depth: int = 0) -> list[str]:
    lines = []
    marker = draw(MARKERS)
    for _ in range(draw(ONE_TO_THREE)):
        lines.append(" " * indent + f"{marker} {tokens.next()}")
        content = indent + len(marker.split(" ")[0]) + 1
        if draw(BOOLEANS):
            lines.append(" " * content + "more text")
        if depth < 2 and draw(ZERO_TO_TWO) == 0:
            if draw(BOOLEANS):
                lines.append("")
            child = indent + draw(CHILD_INDENTS)
            lines.extend(draw(list_lines(tokens, child, depth + 1)))
        if draw(ZERO_TO_THREE) == 0:
            lines.append("")
    return lines


@st.composite
def block_lines(draw: st.DrawFn, tokens: Tokens, bodies: list[str], depth: int = 0) -> list[str]:
    kind = draw(BLOCK_KINDS)
    if kind == "para-list":
        return [draw(WORDS) for _ in range(draw(ONE_OR_TWO))] + draw(list_lines(tokens))
    if kind == "heading-list":
        return ["### A heading", *draw(list_lines(tokens))]
    if kind == "list":
        return draw(list_lines(tokens))
    if kind == "fence":
        inside = ["dependencies:", "  - [dependency-1]", "- not a list"]
        fence = ["```yaml", *inside, "```"]
        after = draw(list_lines(tokens)) if draw(BOOLEANS) else [draw(WORDS)]
        return [*fence, *after] if draw(BOOLEANS) else [*draw(list_lines(tokens)), *fence]
    if depth >= 1:
        return draw(list_lines(tokens))
    inner = draw(block_lines(tokens, bodies, depth + 1))
    if kind == "admonition":
        bodies.append("\n".join(inner))
        return ['!!! note "Note"', *[("    " + line) if line else "" for line in inner]]
    return [("> " + line) if line else ">" for line in inner]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(Markdown text, the content of each admonition in it)."""
    tokens, bodies, lines = Tokens(), [], []
    for _ in range(draw(ONE_TO_FOUR)):
        lines.extend(draw(block_lines(tokens, bodies)))
        if draw(BOOLEANS):
            lines.append("")
    return "\n".join(lines) + "\n", bodies


def init_site_extensions(tmp: Path) -> tuple[list[object], dict[str, object]]:
    """The markdown_extensions of the mkdocs.yml `guidewright init` writes."""
    from guidewright.site.init_site import site_files

    for relpath, content in site_files("Site", None, None).items():
        (tmp / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp / relpath).write_text(content, "utf-8")
    return site_markdown_extensions(tmp / "mkdocs.yml")
