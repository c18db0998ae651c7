"""The structure of a page's Markdown as MkDocs reads it, from one parser.

Everything in guidewright that reads Markdown structure (the link and anchor rules, the list
rules, a language server) goes through `read`; the parser is named in this module only, so a
future swap touches this file and nothing else. The parser is pyromark (pulldown-cmark):
wheels for every Python and platform we claim, no panic in 200,000 random inputs, a source
range for every event, and the fastest parser measured (docs: design/markdown.md).

`read(text)` returns an `Outline` of plain, frozen data (`read(text, headings=False,
list_items=False)` leaves those out, at half the cost: `check` wants only links):

- `links`: every link and image of the page's HTML, in source order: inline
  (`[t](url)`), reference (`[t][ref]`, `[t][]`, `[ref]` with a `[ref]: url` definition) and
  autolinks (`<https://...>`, `<someone@example.com>` as `mailto:`). Not links: text in code
  spans, code blocks (fenced, indented, in block quotes) and raw HTML. `Link.kind` says which
  syntax (`"inline"`, `"reference"`, `"collapsed"`, `"shortcut"`, `"autolink"`, `"email"`),
  `label` the reference's label, `image` whether it is `![...]`.
  Reference links are all read, past pulldown-cmark's budget for them too (`_padded`), up
  to a ceiling no real page comes near (`EXPANSION_CEILING`); `references_unread` says
  where a page past it stops being read.
- `headings`: level and text, from which attr_list and toc make the id (`links.heading_ids`):
  its text and code spans, not an image's alt text, a trailing `{#id .class}` kept.
- `list_items`: every item of every list, nested ones included, with its marker (`-`, `*`,
  `+`, `1.`, `1)`), whether its list is ordered, its depth (1 for a top-level list) and
  `indent`, the characters before the marker on its line.

`reference_definitions(text)`: each link reference definition (`[label]: url "title"`), where
it is written: a reference link's target is its definition's, so that is where a tool that
changes a target (`mv`) changes it.

`link_targets(text)` is the quick test `check` makes first: the targets of those links, read
from the page's HTML, where judging them needs no position (most pages: no link broken).

Positions (`Position`, `start` and `end` of each element) are 1-based lines of `text` and
1-based columns counted in characters, as an editor counts them (pyromark reports UTF-8
byte offsets; they are converted here). `start` is the element's first character: the `[`
of a link, the `!` of an image, the `<` of an autolink, the first `#` of a heading, the
list marker. `end` is just past the element's last character (a heading's or an item's
trailing blank lines and line break not included; an item ends with its nested items).

Python-Markdown's admonitions (`!!! note`, `??? tip`), whose content is indented like
code, are read as the block quotes they render like (markdown/admonitions.py): each is
turned into a block quote of the same width first, so that lines and columns stay where
the author sees them. A title (`!!! note "A [link](page.md)"`) is inline Markdown: its
links are read on their own, with the page's reference definitions, and placed where the
title is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

import pyromark

from guidewright.markdown.admonitions import without_admonitions
from guidewright.markdown.text_search import find_mark

if TYPE_CHECKING:
    # Start-up: pyromark's event types are only annotations here, and importing them
    # imports typing_extensions (some 4 ms a run that only judges pages).
    from pyromark.event import BrokenLink, LinkDef, Range

_LINK_KINDS = {
    "Inline": "inline",
    "Reference": "reference",
    "Collapsed": "collapsed",
    "Shortcut": "shortcut",
    "Autolink": "autolink",
    "Email": "email",
    # A title's reference links, resolved with the page's definitions (see _title_links).
    "ReferenceUnknown": "reference",
    "CollapsedUnknown": "collapsed",
    "ShortcutUnknown": "shortcut",
}


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the text read: 1-based line, 1-based column in characters."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image, as the page's HTML will have it."""

    target: str  # href or src: escapes and entities decoded, not URL-decoded
    kind: str  # inline, reference, collapsed, shortcut, autolink, email
    label: str  # a reference link's label ("" for the others)
    image: bool
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading, with what its anchor is made from."""

    level: int  # 1 to 6
    text: str  # its text and code, as written (an attr_list `{#id}` included)
    start: Position
    end: Position


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list (nested lists' items are items too)."""

    marker: str  # `-`, `*`, `+`, or a number and `.` or `)`
    ordered: bool
    depth: int  # 1: a top-level list; 2: a list inside an item of it; ...
    indent: int  # characters before the marker on its line (a tab counts one)
    start: Position  # the marker
    end: Position


@dataclass(frozen=True, slots=True)
class Definition:
    """A link reference definition: the target every link with its label has."""

    label: str  # as written
    target: str  # escapes and entities decoded, not URL-decoded
    start: Position  # the `[` of its label
    end: Position  # just past its target or title


@dataclass(frozen=True, slots=True)
class Outline:
    """The elements of a text that rules read."""

    links: tuple[Link, ...]
    headings: tuple[Heading, ...]
    list_items: tuple[ListItem, ...]
    # The last reference link read where the page's references expand past
    # `EXPANSION_CEILING`: the reference links after it (in the page, or in that
    # admonition's title) are text to the parser, not read; None: every one was read.
    references_unread: Link | None = None


# Tables, as MkDocs' `tables`; no heading attributes (attr_list's rule is applied in links.py:
# pulldown-cmark's differs), no footnotes (not in the site's markdown_extensions).
_OPTIONS = pyromark.Options.ENABLE_TABLES


# pulldown-cmark (0.13.5 in pyromark 0.10.3) stops resolving reference links once those it
# resolved have spent a budget of max(the text's bytes, 100,000): each `[t][ref]`, `[t][]` or
# `[ref]` resolved spends its definition's target and title (bytes, as decoded); once nothing
# is left, every later one is plain text (parse.rs, `link_ref_expansion_limit`: a guard
# against quadratic HTML). Python-Markdown has no such budget. Every reference it resolves is
# a link or image event, so what was spent is read from the links found; where it may have
# reached the budget, the text is read again with blanks after it (`_padded`), which raise the
# budget and change no link, heading or list item before them, twice the budget each time.
_EXPANSION_FLOOR = 100_000
# A page whose references copy more than this (16 MiB of HTML from them alone, which MkDocs
# would write; no real page comes near) is read with a budget of at most this, the references
# past it not read: a hostile page of 1 MB costs about a second and 100 MB, not gigabytes.
EXPANSION_CEILING = 1 << 24
_REFERENCE_KINDS = frozenset({"reference", "collapsed", "shortcut"})


@lru_cache(maxsize=1)
def _parser() -> pyromark.Markdown:
    return pyromark.Markdown(options=_OPTIONS)


class _Positions:
    """Byte offsets of one text to positions: the first few by counting line breaks (most
    pages have a few links), then by bisecting a table of line starts."""

    def __init__(self, source: str) -> None:
        self.encoded = source.encode("utf-8")
        self.ascii = source.isascii()
        self.counted = 0
        self.starts: list[int] = []

    def end(self, start: int, end: int) -> Position:
        """Just past the last character of `start:end` that is not a blank or line break
        (`end` may be in the blanks `_padded` adds after the text)."""
        end = min(end, len(self.encoded))
        while end > start and self.encoded[end - 1] in b" \t\r\n":
            end -= 1
        return self.at(end)

    def at(self, offset: int) -> Position:
        if self.starts:
            line = bisect_right(self.starts, offset) - 1
            start = self.starts[line]
        elif self.counted < 32:
            self.counted += 1
            start = self.encoded.rfind(b"\n", 0, offset) + 1
            line = self.encoded.count(b"\n", 0, start)
        else:
            lines = self.encoded.split(b"\n")
            self.starts = [0, *accumulate(len(line) + 1 for line in lines)]
            return self.at(offset)
        if self.ascii:
            return Position(line + 1, offset - start + 1)
        return Position(line + 1, len(self.encoded[start:offset].decode("utf-8", "replace")) + 1)


def read(text: str, *, headings: bool = True, list_items: bool = True) -> Outline:
    """The links, headings and list items of `text` (see the module's docstring);
    `headings=False` or `list_items=False` leaves those out (empty), for speed."""
    source, titles = without_admonitions(text)
    positions = _Positions(source)
    padding = 0
    while True:
        if headings or list_items:
            outline, expanded = _outline(source, positions, padding, headings, list_items)
        else:
            outline, expanded = _links_only(source, positions, padding)
        needed = _padding_needed(expanded, len(positions.encoded), padding)
        if not needed:
            break
        padding = needed
    unread = _last_reference(outline.links, expanded, len(positions.encoded), padding)
    if titles:
        in_titles, unread_in_title = _title_links(source, titles)
        links = [*outline.links, *in_titles]
        links.sort(key=lambda link: (link.start.line, link.start.column))
        unread = unread or unread_in_title
        outline = Outline(tuple(links), outline.headings, outline.list_items, unread)
    elif unread is not None:
        outline = Outline(outline.links, outline.headings, outline.list_items, unread)
    return outline


def _outline(
    source: str, positions: _Positions, padding: int, headings: bool, list_items: bool
) -> tuple[Outline, int]:
    """`read`'s outline of `source` (admonitions' titles aside) read with `padding` blanks
    after it, and the bytes its reference links expanded to (`_expansion`)."""
    at = positions.at
    expanded = 0
    links: list[Link] = []
    found_headings: list[Heading] = []
    items: list[ListItem] = []
    lists: list[int | None] = []  # the open lists' first numbers (None: not ordered)
    heading: tuple[int, int, int, list[str]] | None = None  # level, range, text so far
    in_image = 0
    nested = headings or list_items  # only then do ends and text matter
    # Adjacent text merged: fewer events, and only the ranges of starts are used.
    for event, span in _parser().events_with_range(_padded(source, padding), merge_text=True):
        if type(event) is not dict:
            continue  # SoftBreak, HardBreak, Rule
        start = event.get("Start")
        if start is None:
            if not nested:
                continue
            if heading is not None and not in_image and ("Text" in event or "Code" in event):
                heading[3].append(event["Text"] if "Text" in event else event["Code"])
                continue
            end = event.get("End")
            if end == "Image":
                in_image -= 1
            elif type(end) is dict:
                if "List" in end and list_items:
                    lists.pop()
                elif "Heading" in end and heading is not None:
                    found_headings.append(_heading(*heading, positions))
                    heading = None
        elif type(start) is not dict:
            if start == "Item" and list_items:
                items.append(_item(positions, span, lists))
        elif "Link" in start or "Image" in start:
            in_image += "Image" in start
            fields = _link_fields(start)
            if fields is not None:
                links.append(Link(*fields, at(span["start"]), at(span["end"])))
                if fields[1] in _REFERENCE_KINDS:
                    expanded += _expansion(start)
        elif "Heading" in start:
            if headings:
                level = int(start["Heading"]["level"][1])
                heading = (level, span["start"], span["end"], [])
        elif "List" in start and list_items:
            lists.append(start["List"])
    return Outline(tuple(links), tuple(found_headings), tuple(items)), expanded


def reference_definitions(text: str) -> tuple[Definition, ...]:
    """The link reference definitions of `text` (those in admonitions included), in
    source order."""
    source, _ = without_admonitions(text)
    positions = _Positions(source)
    found = []
    for label, definition in _parser().reference_definitions(source).items():
        start, end = definition["span"]["start"], definition["span"]["end"]
        target = str(definition["dest"])
        found.append(Definition(label, target, positions.at(start), positions.end(start, end)))
    return tuple(sorted(found, key=lambda found: (found.start.line, found.start.column)))


# pulldown-cmark's HTML writer opens each link and image with its target, escaped by
# `escape_href`: `&` and `'` as entities, and every byte it does not keep as `%XX`.
_HTML_TARGET = re.compile(r'<(?:a href|img src)="([^"]*)"')
# What `escape_href` writes, its `%XX` aside (refused on their own): the bytes it keeps and
# the two entities. Anything else was not written by it: raw HTML's own `<a href="...`
# with a quote left open, whose match runs on into the next link's `<a href="` and would
# hide that link.
# A link's or image's title as the writer writes it (`escape_html`: `"` as `&quot;`).
_HTML_TITLE = re.compile(r' title="([^"]*)"')
_ESCAPED_HREF = re.compile(r"(?:[A-Za-z0-9!#$()*+,\-./:;=?@^_~]|&amp;|&#x27;)*")


def link_targets(text: str) -> list[str] | None:
    """The target of every link and image `read(text).links` holds, perhaps with a few
    more (raw HTML's own `<a href>`), read from the HTML the parser renders, which makes no
    Python object per event: a third of `read`'s cost. None where the HTML cannot say them
    exactly; `read` can:

    - an image on the page: its alt text renders a link inside it as text only;
    - a target with `%`: the writer's own `%XX` cannot be told from the author's (and a
      web address the author wrote with brackets or other characters the writer encodes
      may be one no URL parser reads, MkDocs' included);
    - a link in an admonition's title (read on its own, see `_title_links`);
    - a target the writer cannot have written (raw HTML's, say `<a href="/` left open);
    - a page whose reference links may have spent pulldown-cmark's budget (`_targets_in`)."""
    source, titles = without_admonitions(text)
    if find_mark(source, "![") >= 0 or any("[" in title or "<" in title for _, _, title in titles):
        return None
    targets, _, whole = _html_reading(source, headings=False)
    if not whole:
        return None
    for target in targets:
        if "%" in target or _ESCAPED_HREF.fullmatch(target) is None:
            return None
    return [target.replace("&#x27;", "'").replace("&amp;", "&") for target in targets]


# A heading as pulldown-cmark's HTML writer opens and closes it; raw HTML of the page
# that could be taken for one (`<h2>`, `</H3`) sends the page to the events instead.
_HTML_HEADING = re.compile(r"<h[1-6]>(.*?)</h[1-6]>\n", re.DOTALL)
_RAW_HEADING_TAG = re.compile(r"</?h[1-6]", re.IGNORECASE)
# The tags the writer makes inside a heading's text: emphasis, code, links and autolinks,
# images (whose alt text is no part of the heading's text, as in `read`), line breaks.
# A raw tag the author wrote that has their shape is left out of `read`'s text too.
_WRITER_TAG = re.compile(
    r"</?(?:em|strong|code)>|</a>|<a href=\"[^\"]*\"(?: title=\"[^\"]*\")?>"
    r"|<img src=\"[^\"]*\" alt=\"[^\"]*\"(?: title=\"[^\"]*\")? />"
)
# What the writer escapes in text (`"` and `'` are written as they are).
_TEXT_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITY_CHARACTER = {"amp": "&", "lt": "<", "gt": ">"}


def heading_texts(text: str) -> tuple[str, ...]:
    """The text of each heading of `text`, in order, as `read(text).headings` gives it
    (what a page's anchors are made from), with no position: read from the HTML the
    parser renders, which makes no Python object per event, where that HTML says it
    exactly; else from `read`. Not exact, and so left to `read`: a heading with raw HTML
    or with a line break in it (`read` joins its lines with nothing between them), a page
    whose raw HTML has a heading tag, a heading with a `[` on a page whose reference
    links may have spent pulldown-cmark's budget: a reference past it is its text,
    brackets included. Whether they may have is told from the HTML (`_targets_in`) where
    the page has no image, whose alt text holds its links' text but not their targets."""
    source, _ = without_admonitions(text)
    if _RAW_HEADING_TAG.search(source) is None:
        _, headings, whole = _html_reading(source, headings=True)
        bracketed = any("[" in inner for inner in headings)
        if not bracketed or (whole and find_mark(source, "![") < 0):
            found = []
            for inner in headings:
                plain = _WRITER_TAG.sub("", inner) if "<" in inner else inner
                if "<" in plain or "\n" in plain:
                    break
                found.append(_TEXT_ENTITY.sub(_entity_character, plain).strip())
            else:
                return tuple(found)
    return tuple(heading.text for heading in read(text, list_items=False).headings)


# What `link_targets` and `heading_texts` read of a page's HTML, kept for the page's second
# reading: `check` reads a page's links when it judges it and its headings when a page links
# to one of its anchors, before or after: one rendering serves both. The headings are read
# from the HTML only when asked for (most pages' never are: a regular expression over the
# whole HTML, a quarter of the rendering's cost), the HTML kept meanwhile. Kept for the last
# pages read (a site's pages, unless it is large), within a budget of characters: the
# page's text (the key), its HTML until its headings are read, and what was read of it,
# which an untrusted page can make many times its size (`%XX`-escaped targets, `&lt;` in
# headings, one reference used often), each string counted with what Python spends on it.
# 8 MB at worst (4 bytes a character); a forked worker holds its own.
KEPT_CHARACTERS = 2_000_000
KEPT_UP_TO = 32_768  # characters of a page's Markdown; a longer page is rendered each time
_STRING_COST = 50  # characters' worth of what one string costs beyond its characters
_Reading = tuple[tuple[str, ...], tuple[str, ...], bool]


class _Kept:
    """A page's kept reading: its text, its targets and whether its HTML is whole
    (`_targets_in`), its HTML until its headings are read from it, and its weight in
    characters."""

    __slots__ = ("headings", "html", "size", "source", "targets", "whole")

    def __init__(self, source: str, targets: tuple[str, ...], whole: bool, html: str) -> None:
        self.source, self.targets, self.whole = source, targets, whole
        self.html: str | None = html
        self.headings: tuple[str, ...] | None = None
        self.size = 0


# A kept reading is found by its text's length and ends (`_KEY_ENDS` characters each), and
# the text compared: hashing a whole page (13,000 characters, four bytes each where it
# holds an emoji) costs a third of rendering it, these a few hundred characters whatever
# its size. Two pages of one length and the same ends take each other's place.
_KEY_ENDS = 128
_kept: dict[tuple[int, str, str], _Kept] = {}  # oldest first
_kept_size = [0]
# Whether a page's headings were asked for in this process: until one is, no reading is
# kept. A site whose links name no heading of another page (a generated one) never asks,
# and keeping every page's HTML there costs more CPU than the renderings it would save
# (a fresh string of its size written each time, the kept ones out of the cache: some
# 15 ms a thousand pages).
_headings_asked = [False]


def _html_reading(source: str, headings: bool) -> _Reading:
    """The link targets of `source`'s HTML, the headings' inner HTML (with `headings`;
    else none) and whether the HTML is whole (`_targets_in`)."""
    _headings_asked[0] = _headings_asked[0] or headings
    if len(source) > KEPT_UP_TO or not _headings_asked[0]:
        html = _parser().html(source)
        targets, whole = _targets_in(html, source)
        return targets, _headings_in(html) if headings else (), whole
    key = len(source), source[:_KEY_ENDS], source[-_KEY_ENDS:]
    kept = _kept.pop(key, None)
    if kept is not None:
        _kept_size[0] -= kept.size
    if kept is None or kept.source != source:
        html = _parser().html(source)
        kept = _Kept(source, *_targets_in(html, source), html)
    if headings and kept.html is not None:
        kept.headings, kept.html = _headings_in(kept.html), None
    reading = kept.targets, kept.headings or (), kept.whole
    strings = (*key[1:], source, kept.html or "", *kept.targets, *(kept.headings or ()))
    kept.size = sum(len(text) + _STRING_COST for text in strings)
    _kept_size[0] += kept.size
    _kept[key] = kept  # the newest
    while _kept_size[0] > KEPT_CHARACTERS and _kept:
        _kept_size[0] -= _kept.pop(next(iter(_kept))).size  # alone beyond it: not kept
    return reading


def kept_characters() -> int:
    """What the kept readings weigh, in characters (within `KEPT_CHARACTERS`)."""
    return _kept_size[0]


def _targets_in(html: str, source: str) -> tuple[tuple[str, ...], bool]:
    """The link targets (as written in the HTML) of `source`'s `html`, and whether that
    rendering is whole: True where its reference links cannot have spent pulldown-cmark's
    budget, as the targets and titles of all its links and images, written at least as
    long as decoded (`escape_href`, `escape_html`), do not reach it, the budget taken as
    the text's characters (not more than its bytes)."""
    targets = _HTML_TARGET.findall(html) if "<a href" in html or "<img src" in html else ()
    budget = max(len(source), _EXPANSION_FLOOR)
    # The targets and titles are text of the HTML, never more bytes than it has (4 a
    # character at most): most pages' HTML cannot reach the budget, and their titles are
    # not looked for (a search for ` title="` walks the whole HTML).
    if (len(html) if html.isascii() else 4 * len(html)) < budget:
        return tuple(targets), True
    spent_at_most = sum(map(len, targets))  # `escape_href` writes ASCII: a byte a character
    if ' title="' in html:
        spent_at_most += sum(len(title.encode("utf-8")) for title in _HTML_TITLE.findall(html))
    return tuple(targets), spent_at_most < budget


def _headings_in(html: str) -> tuple[str, ...]:
    """The inner HTML of each heading of `html`."""
    return tuple(_HTML_HEADING.findall(html)) if "<h" in html else ()


def _entity_character(entity: re.Match[str]) -> str:
    return _ENTITY_CHARACTER[entity.group(1)]


def _links_only(source: str, positions: _Positions, padding: int) -> tuple[Outline, int]:
    """`_outline` for links alone (what `check` wants of most pages): only starts matter,
    and most events are text or ends, passed over at once."""
    links: list[Link] = []
    at = positions.at
    expanded = 0
    for event, span in _parser().events_with_range(_padded(source, padding), merge_text=True):
        start = event.get("Start") if type(event) is dict else None
        if type(start) is dict and ("Link" in start or "Image" in start):
            fields = _link_fields(start)
            if fields is not None:
                links.append(Link(*fields, at(span["start"]), at(span["end"])))
                if fields[1] in _REFERENCE_KINDS:
                    expanded += _expansion(start)
    return Outline(tuple(links), (), ()), expanded


def _expansion(start: Mapping[str, Any]) -> int:
    """What a reference link's or image's start spent of pulldown-cmark's budget."""
    data = start["Image"] if "Image" in start else start["Link"]
    return len(str(data["dest_url"]).encode("utf-8")) + len(str(data["title"]).encode("utf-8"))


def _budget(size: int, padding: int) -> int:
    """pulldown-cmark's budget for the references of a text of `size` bytes read with
    `padding` blanks after it."""
    return max(size + padding, _EXPANSION_FLOOR)


def _padding_needed(expanded: int, size: int, padding: int) -> int:
    """The blanks to read a text of `size` bytes again with, after a reading with `padding`
    blanks whose reference links `expanded` to so many bytes; 0: that reading is the last
    (its budget was never spent: it is whole; or doubling it would pass
    `EXPANSION_CEILING`: see `_last_reference`)."""
    budget = _budget(size, padding)
    if expanded < budget or 2 * budget > EXPANSION_CEILING:
        return 0
    return 2 * budget - size


def _last_reference(links: Sequence[Link], expanded: int, size: int, padding: int) -> Link | None:
    """The last reference link of a text's last reading (`_padding_needed`) where its
    references spent the budget, raised as far as the ceiling lets it: those after it may
    be unread. None where the budget was not spent: every reference was read."""
    if expanded < _budget(size, padding):
        return None
    return next(link for link in reversed(links) if link.kind in _REFERENCE_KINDS)


def _padded(source: str, padding: int) -> str:
    """`source` and `padding` bytes more: a line break and a line of blanks, a blank line
    wherever it ends (an open block ends or takes it in as blank; a fence, a raw HTML block
    left open takes it as text), which CommonMark reads no link, heading or item from."""
    return f"{source}\n{' ' * (padding - 1)}" if padding else source


def _link_fields(start: Mapping[str, Any]) -> tuple[str, str, str, bool] | None:
    """Target, kind, label and image-or-not of a link's or image's start (None: a kind of
    link MkDocs does not have, a wiki link, say)."""
    image = "Image" in start
    data = start["Image"] if image else start["Link"]
    kind = _LINK_KINDS.get(str(data["link_type"]))
    if kind is None:
        return None
    target = f"mailto:{data['dest_url']}" if kind == "email" else str(data["dest_url"])
    return target, kind, str(data["id"]), image


def _title_links(source: str, titles: list[tuple[int, int, str]]) -> tuple[list[Link], Link | None]:
    """The links of admonitions' titles: inline Markdown, its references the page's; and
    the first title's last reference link read where its references expand past the
    ceiling (`_last_reference`)."""
    definitions: dict[str, LinkDef] = {}

    def resolve(reference: BrokenLink) -> tuple[str, str] | None:
        if not definitions:  # read once, when a title has a reference
            for label, definition in _parser().reference_definitions(source).items():
                definitions[" ".join(label.casefold().split())] = definition
        found = definitions.get(" ".join(reference["reference"].casefold().split()))
        return (found["dest"], found["title"] or "") if found else None

    links = []
    unread: Link | None = None
    for line, before, title in titles:
        if "[" not in title and "<" not in title:
            continue  # no link, no autolink
        encoded, padding = title.encode("utf-8"), 0
        while True:  # its references resolved within a budget of its own (`_padded`)
            found: list[Link] = []
            expanded = 0
            events = pyromark.events_with_range(
                _padded(title, padding),
                options=_OPTIONS,
                merge_text=True,
                broken_link_callback=resolve,
            )
            for event, span in events:
                start = event.get("Start") if type(event) is dict else None
                if type(start) is not dict or not ("Link" in start or "Image" in start):
                    continue
                fields = _link_fields(start)
                if fields is None:
                    continue
                first, last = (
                    Position(line, before + len(encoded[:offset].decode("utf-8", "replace")) + 1)
                    for offset in (span["start"], span["end"])
                )
                found.append(Link(*fields, first, last))
                if fields[1] in _REFERENCE_KINDS:
                    expanded += _expansion(start)
            needed = _padding_needed(expanded, len(encoded), padding)
            if not needed:
                break
            padding = needed
        links.extend(found)
        unread = unread or _last_reference(found, expanded, len(encoded), padding)
    return links, unread


def _heading(level: int, start: int, end: int, pieces: list[str], positions: _Positions) -> Heading:
    text = "".join(pieces).strip()
    return Heading(level, text, positions.at(start), positions.end(start, end))


def _item(positions: _Positions, span: Range, lists: list[int | None]) -> ListItem:
    """An item, its marker found from the start of its range (which may be a blank line
    or a block quote's `>` before it)."""
    encoded, offset = positions.encoded, span["start"]
    while offset < span["end"] and encoded[offset] in b" \t\r\n>":
        offset += 1
    marker_end = offset
    while marker_end < span["end"] and encoded[marker_end] in b"0123456789":
        marker_end += 1
    marker_end += 1  # the bullet, or the `.` or `)` after the number
    marker = encoded[offset:marker_end].decode("utf-8", "replace")
    start = positions.at(offset)
    ordered = bool(lists) and lists[-1] is not None
    return ListItem(
        marker, ordered, len(lists), start.column - 1, start, positions.end(offset, span["end"])
    )
