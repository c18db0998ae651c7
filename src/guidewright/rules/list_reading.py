"""Where MkDocs reads a page's lists differently from what the author reads: the reading
that rule GW601 and its fix (rules/list_rules.py) stand on.

Every CommonMark renderer, the editor's preview and GitHub included, shows a list where
Python-Markdown, MkDocs' renderer, does not: a list right after a paragraph line (it needs
a blank line before a list) or a child list indented less than 4 spaces (it needs 4 to
nest). A finding is a CommonMark list item that Python-Markdown makes no item of, or nests
under another item, and that starts a run: the first such item of its list, under an
item that renders right. The CommonMark reading is a parse `check` makes of the page (see
`CommonMarkItem`); Python-Markdown's is `pymarkdown_lists`, a model of its block parser.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidewright.markdown.code_regions import agreed_block_end
from guidewright.markdown.line_tokens import UNKNOWN
from guidewright.markdown.pymarkdown_text import first_raw_html_line
from guidewright.markdown.text_search import find_mark

if TYPE_CHECKING:
    from guidewright.markdown.pymarkdown_lists import Admonitions, Rendered
    from guidewright.markdown.pymarkdown_text import Line
    from guidewright.markdown.site_markdown import SiteMarkdown

SWALLOWED, NESTING = "swallowed", "nesting"
QUOTE_PREFIX = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
MARKER = re.compile(r"[ ]*(?:[-*+]|\d{1,9}[.)])([ ]*)")


@dataclass(frozen=True)
class CommonMarkItem:
    """A list item as a CommonMark parser reads it, lines counted from 0 in the parsed text.

    `parent` is the marker line of the item it is nested in and `previous` that of the item
    before it in the same list; both None where there is none, and `parent` None also at the
    top of a block quote (list items never cross a quote's edge for this rule).
    """

    line: int
    end_line: int  # the item's last line, its nested content included
    parent: int | None
    previous: int | None


@dataclass(frozen=True)
class ListFinding:
    """Where MkDocs renders a list differently: the line (from 0) of the run's first item."""

    line: int
    kind: str  # SWALLOWED: not a list at all; NESTING: not under the item CommonMark reads
    message: str
    item: CommonMarkItem
    run_end: int  # the last line of the run's last item (the run: its items rendered alike)


def commonmark_items(text: str) -> list[CommonMarkItem]:
    """The list items of `text` read by pulldown-cmark (pyromark), with their lines."""
    if not any(marker in text for marker in "-*+.)"):
        return []  # no list marker, no list
    encoded = text.encode("utf-8")
    starts = [0]
    for match in re.finditer(rb"\r\n|\r|\n", encoded):
        starts.append(match.end())
    items: list[CommonMarkItem] = []
    # One frame per open list or quote: (is a quote, marker line of the last item seen).
    open_items: list[tuple[int, int]] = []  # (marker line, end line) of open items
    lists: list[int | None] = []  # per open list: its last item's marker line
    quotes: list[int] = []  # how many items were open when each quote opened
    import pyromark  # start-up: a run whose verdicts are kept reads no page

    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_TASKLISTS
    # Adjacent text merged: fewer events; only starts and ends are read.
    for event, span in pyromark.events_with_range(text, options=options, merge_text=True):
        if type(event) is not dict:
            continue
        start = event.get("Start")
        if start is not None:
            if start == "Item":
                line = bisect_right(starts, span["start"]) - 1
                end_line = bisect_right(starts, max(span["end"] - 1, span["start"])) - 1
                top = quotes[-1] if quotes else 0
                parent = open_items[-1][0] if len(open_items) > top else None
                items.append(CommonMarkItem(line, end_line, parent, lists[-1] if lists else None))
                if lists:
                    lists[-1] = line
                open_items.append((line, end_line))
            elif type(start) is dict:
                if "List" in start:
                    lists.append(None)
                elif "BlockQuote" in start:
                    quotes.append(len(open_items))
            continue
        end = event.get("End")
        if end is None:
            continue
        if end == "Item":
            open_items.pop()
        elif type(end) is dict:
            if "List" in end:
                lists.pop()
            elif "BlockQuote" in end:
                quotes.pop()
    return items


def _admonition_items(body: list[Line]) -> list[CommonMarkItem]:
    """An admonition's (or any container's) content read by CommonMark as the page it is,
    lines mapped back."""
    numbers = [number for number, _ in body]
    items = commonmark_items("\n".join(text for _, text in body))

    def mapped(line: int | None) -> int | None:
        return None if line is None else numbers[line]

    return [
        CommonMarkItem(numbers[i.line], numbers[i.end_line], mapped(i.parent), mapped(i.previous))
        for i in items
    ]


def list_findings(
    text: str, items: Sequence[CommonMarkItem], site: SiteMarkdown | None = None
) -> list[ListFinding]:
    """Where MkDocs shows the lists of `text` (a page's body) other than CommonMark does.

    `items` are the page's CommonMark list items (`commonmark_items`, or the same from a
    parse `check` shares); admonitions, which CommonMark does not know, are read here.
    `site`: the site's own Python-Markdown, which reads the pages whose extensions the
    quick model does not know (`SiteMarkdown.reads`).
    """
    if site is not None and site.reads(text):
        return _site_findings(text, items, site)
    admonitions = "!!!" in text or "???" in text
    if not items and not admonitions:
        return []
    # The model of Python-Markdown is imported by the few pages that need it (see may_differ).
    from guidewright.markdown.pymarkdown_text import page_lines

    lines = page_lines(text)
    if not admonitions and not _items_may_differ(lines, items, first_raw_html_line(text)):
        return []
    quick = _quick_reading(text, items)
    if quick is None:
        return []  # nested deeper than Python recurses: nothing is said of such a page
    return _judged(quick.lines, quick.by_line, quick.rendered.items, None)


@dataclass(frozen=True)
class _QuickReading:
    """A page's lists as the quick model of Python-Markdown reads them, and its
    CommonMark items by line, each admonition read as the author means it (its content
    read as a page, not as lazy text)."""

    lines: list[str]
    rendered: Rendered
    admonitions: Admonitions  # each admonition's content, fenced code put back
    by_line: dict[int, CommonMarkItem]


# Within `one_model_a_text`: each text's reading, made once (None: none is kept).
_quick_kept: list[dict[str, _QuickReading | None] | None] = [None]


@contextlib.contextmanager
def one_model_a_text() -> Iterator[None]:
    """Within it, the quick model reads each text once (`_quick_reading`): a page's fix
    asks it of the page and of each fixed candidate twice, for their findings and for the
    containers the fix must leave as they are (`authors_reading`), the model costing
    most of a fix. Kept for that while only: a page's texts, then let go."""
    outer = _quick_kept[0]
    _quick_kept[0] = {}
    try:
        yield
    finally:
        _quick_kept[0] = outer


def _quick_reading(text: str, items: Sequence[CommonMarkItem]) -> _QuickReading | None:
    """`_QuickReading` of `text` (a page's body; `items`: its CommonMark items), None
    where it nests deeper than Python recurses; made once a text within
    `one_model_a_text`."""
    kept = _quick_kept[0]
    if kept is not None and text in kept:
        return kept[text]
    # See list_findings.
    from guidewright.markdown.pymarkdown_lists import Admonitions, python_markdown_lists
    from guidewright.markdown.pymarkdown_text import page_lines

    lines = page_lines(text)
    try:
        rendered = python_markdown_lists(lines)
    except RecursionError:
        found = None
    else:
        admonitions = Admonitions.of(lines, rendered)
        by_line = _with_containers(lines, items, admonitions.bodies)
        found = _QuickReading(lines, rendered, admonitions, by_line)
    if kept is not None:
        kept[text] = found
    return found


def _site_findings(
    text: str, items: Sequence[CommonMarkItem], site: SiteMarkdown
) -> list[ListFinding]:
    """`list_findings` by the site's own Python-Markdown: every container's content (tabs,
    blocks, markdown-enabled HTML too) read by CommonMark as its author means it."""
    from guidewright.markdown.pymarkdown_text import page_lines  # as in list_findings

    lines = page_lines(text)
    reading = site.lists(lines)
    by_line = _with_containers(lines, items, reading.containers)
    known = frozenset(reading.items) | reading.shown_as_text
    return _judged(lines, by_line, reading.items, known, site.counts_spaces)


def _with_containers(
    lines: list[str], items: Sequence[CommonMarkItem], containers: list[list[Line]]
) -> dict[int, CommonMarkItem]:
    """The page's items by line, each container's own reading taking its lines (outer
    containers first: an inner reading is the closer).

    The reading taking a container's lines drops every item the outer one had there:
    CommonMark, knowing no container, reads one's lines as the lazy text of an item
    before it, in which a deeper line (`  - a` of YAML in a fence) starts a nested item
    that the container's own reading, the author's, has not. An item before it ends
    where the container opens, its lazy text (a fix re-indenting the item moves no line
    of the container: `  !!! note` would be no admonition).
    """
    by_line = {item.line: item for item in items}
    for body in containers:
        inside = {number for number, _ in body}
        opener = _opener(lines, body)
        outside = {}
        for line, item in by_line.items():
            if line in inside:
                continue
            if (
                opener is not None
                and item.line < opener <= item.end_line
                and item_indent(lines[opener]) < content_column(lines[item.line])
            ):
                item = dataclasses.replace(item, end_line=opener - 1)
            outside[line] = item
        by_line = outside
        by_line.update((item.line, item) for item in _admonition_items(body))
    return by_line


def _opener(lines: list[str], body: list[Line]) -> int | None:
    """The line that opens a container (`!!! note`, `/// note`, `<div markdown>`): the
    last line with text before the first of its content (None: it has none)."""
    first = next((number for number, text in body if text.strip()), None)
    if first is None:
        return None
    return next((n for n in range(first - 1, -1, -1) if lines[n].strip(" \t>")), None)


@dataclass(frozen=True)
class AuthorsReading:
    """A page's lists as its author reads them, and the containers they are read in."""

    items: list[CommonMarkItem]  # CommonMark's, each container's content read as a page
    # Per container (outer first): its opener's line, then its content's lines with text.
    containers: list[tuple[int | None, ...]]
    # The quick model's admonitions, where they are the containers (None: not)
    admonitions: Admonitions | None = None


def authors_reading(
    text: str, items: Sequence[CommonMarkItem], site: SiteMarkdown | None = None
) -> AuthorsReading:
    """The list items of `text` as its author reads them: CommonMark's `items`, each
    container's content read as a page, the containers as Python-Markdown makes them (the
    site's where it reads the page, the quick model's admonitions otherwise). `--fix`
    keeps both the same: a fix that moved a line into or out of an admonition, or made
    text of one, would change what the site shows beyond the nesting it announces."""
    reads = site is not None and site.reads(text)
    if not reads and "!!!" not in text and "???" not in text:
        return AuthorsReading(list(items), [])
    from guidewright.markdown.pymarkdown_text import page_lines  # as in list_findings

    lines = page_lines(text)
    if site is not None and reads:  # each container as the site's Python-Markdown reads it
        bodies = site.containers(lines)
        return _in_containers(lines, _with_containers(lines, items, bodies), bodies)
    if (quick := _quick_reading(text, items)) is not None:  # the quick model's admonitions
        return _in_containers(lines, quick.by_line, quick.admonitions.bodies, quick.admonitions)
    # Nested deeper than Python recurses: as list_findings reads it.
    return _in_containers(lines, {item.line: item for item in items}, [])


def _in_containers(
    lines: list[str],
    by_line: dict[int, CommonMarkItem],
    bodies: list[list[Line]],
    admonitions: Admonitions | None = None,
) -> AuthorsReading:
    containers = [
        (_opener(lines, body), *(n for n, line in body if line.strip())) for body in bodies
    ]
    return AuthorsReading([by_line[line] for line in sorted(by_line)], containers, admonitions)


def fixed_authors_reading(
    reading: AuthorsReading,
    text: str,
    items: Sequence[CommonMarkItem],
    site: SiteMarkdown | None = None,
) -> AuthorsReading:
    """`authors_reading(text, items, site)` where `text` is a page read as `reading`,
    with a fix: its admonitions known from the page's where the fix changed none
    (`moved_admonitions`) rather than from the quick model's reading of `text`, which
    costs most of a fix's check."""
    quick = not (site is not None and site.reads(text)) and ("!!!" in text or "???" in text)
    if quick and reading.admonitions is not None:
        # The model's module, as in list_findings: only where a page is read by it.
        from guidewright.markdown.pymarkdown_lists import moved_admonitions
        from guidewright.markdown.pymarkdown_text import page_lines

        lines = page_lines(text)
        moved = moved_admonitions(reading.admonitions, lines)
        if moved is not None:
            by_line = _with_containers(lines, items, moved.bodies)
            return _in_containers(lines, by_line, moved.bodies, moved)
    return authors_reading(text, items, site)


def _judged(
    lines: list[str],
    by_line: dict[int, CommonMarkItem],
    rendered: dict[int, int | None],
    known: frozenset[int] | None,
    counts_spaces: bool = True,
) -> list[ListFinding]:
    """The findings, each the first of a run of items rendered alike: an item `rendered`
    (marker line -> its parent's) does not hold is swallowed, one under another parent
    nested otherwise. `known`: the only items judged (None: all); an item whose rendered
    parent is UNKNOWN is not judged for its nesting."""
    status: dict[int, str | None] = {}
    findings = []
    for _, item in sorted(by_line.items()):
        if known is not None and item.line not in known:
            kind = None  # a line the reading cannot place: never judged, never wrongly
        elif item.line in rendered:
            parent = rendered[item.line]
            kind = None if parent in (item.parent, UNKNOWN) else NESTING
        else:
            kind = SWALLOWED
        status[item.line] = kind
        if kind is None:
            continue
        if item.parent is not None and status.get(item.parent) is not None:
            continue  # its parent is wrong already: fixed with it, or found once it is
        if item.previous is not None and status.get(item.previous) == kind:
            continue  # the same run
        above = by_line.get(item.parent) if item.parent is not None else None
        if kind == NESTING and above is not None and above.end_line < item.line:
            message = ENDED_BY_CONTAINER  # CommonMark's lazy text is the container's opener
        else:
            message = _message(lines, item, kind, counts_spaces)
        findings.append(ListFinding(item.line, kind, message, item, -1))
    following = {i.previous: i for i in by_line.values() if i.previous is not None}
    ended = []
    for finding in findings:
        last = finding.item
        while last.line in following and status.get(following[last.line].line) == finding.kind:
            last = following[last.line]
        ended.append(dataclasses.replace(finding, run_end=last.end_line))
    return ended


def _items_may_differ(
    lines: list[str], items: Sequence[CommonMarkItem], raw_html: int | None
) -> bool:
    """False where every item's line is plain (see `may_differ`) and follows a blank line,
    a heading or another plain item's line, no other line inside an item looks like a
    list line, and no item ends after `raw_html`, the first line that opens a raw HTML
    block (None: none does): then Python-Markdown reads each alike.

    The other lines count because Python-Markdown makes an item of every marker line of a
    list's block, where CommonMark reads some as text: "2." cannot interrupt a paragraph,
    so in "- a\n  2. b" it is the text of item a, and a list indented under it nests in b
    in Python-Markdown, in a in CommonMark.
    """
    if raw_html is not None and any(item.end_line >= raw_html for item in items):
        return True  # see may_differ
    block_indents: dict[int, int] = {}  # plain item line -> its block's first indent
    ordered = sorted(items, key=lambda i: i.line)
    item_lines = {item.line for item in ordered}
    scanned = -1  # the last line read for list lines that are no item
    for item in ordered:
        for number in range(max(item.line, scanned) + 1, item.end_line + 1):
            # Most lines inside items are indented text: told by their first character.
            other = lines[number]
            if (
                other.lstrip(" ")[:1] in LIST_MARK_START
                and number not in item_lines
                and _list_line(other) != "text"
            ):
                return True
        scanned = max(scanned, item.end_line)
        line = lines[item.line]
        if not (line[:2] == "- " and line[2:3] not in GAPS) and _list_line(line) != "plain":
            return True
        indent = len(line) - len(line.lstrip(" "))
        block_indent = block_indents.get(item.line - 1)
        if block_indent is None and item.line:
            previous = lines[item.line - 1]
            if previous.strip() and not _after_own_heading(lines, item.line, indent, False):
                return True
        if block_indent is not None and indent < block_indent:
            return True  # Python-Markdown dedents the block's lines as its first
        block_indents[item.line] = indent if block_indent is None else block_indent
    return False


ENDED_BY_CONTAINER = (
    "MkDocs does not nest this list under the item above: the admonition (or other "
    "container) between them ends that item, and no blank line or indentation makes "
    "the build agree"
)


def _message(lines: list[str], item: CommonMarkItem, kind: str, counts_spaces: bool) -> str:
    if kind == SWALLOWED and re.match(r"[ \t>]*\d+\)", lines[item.line]):
        return "MkDocs shows this list as text: Python-Markdown numbers lists '1.', not '1)'"
    if kind == SWALLOWED and item.line and lines[item.line - 1].strip(" \t>"):
        return "MkDocs shows this list as text: it needs a blank line before it"
    if item.parent is None:
        return "MkDocs does not show this list as CommonMark does"
    indent, needed = item_indent(lines[item.line]), nesting_indent(lines[item.parent])
    if indent < needed and counts_spaces:
        return (
            f"MkDocs does not nest this list: indented {indent} spaces, it needs {needed} "
            "to nest it under the item above"
        )
    return "MkDocs does not nest this list under the item above as CommonMark does"


def _unquoted(text: str) -> str:
    quote = QUOTE_PREFIX.match(text) if ">" in text[:8] else None
    return text[quote.end() :] if quote else text


def item_indent(text: str) -> int:
    """The indentation of a line, within its block quote."""
    inner = _unquoted(text).expandtabs(4)
    return len(inner) - len(inner.lstrip(" "))


def nesting_indent(parent: str) -> int:
    """The indentation Python-Markdown needs to nest a list under this item's line: the
    next multiple of 4, and no less than where CommonMark reads the item's content."""
    return max(content_column(parent), item_indent(parent) // 4 * 4 + 4)


def content_column(item: str) -> int:
    """Where CommonMark reads the content of the item on this line, within its block
    quote: a line less indented continues the item only as lazy text."""
    inner = _unquoted(item).expandtabs(4)
    marker = MARKER.match(inner)
    indent = len(inner) - len(inner.lstrip(" "))
    return marker.end() if marker and 0 < len(marker.group(1)) <= 4 else indent + 2


# The quick test: a page where every list line is plain (indented a multiple of 4 spaces,
# outside block quotes, a marker of at most 2 digits or a bullet and one space before its
# text) and follows a blank line, a heading or another list line, and no list line comes
# after a line that opens a raw HTML block, renders its lists alike in Python-Markdown
# and CommonMark: only the other pages, few, pay for both readings. (Python-Markdown's
# raw HTML runs on to its closing tag, over blank lines, CommonMark's `<div>` to the
# next blank line: a list after an unclosed `<div>` is text on the site.)
# Fenced code and comments are skipped by finding their few marks, prose lines by their
# first character: a regular expression tried at every line start costs more.
ORDERED_MARKER = re.compile(r"(\d+)[.)]")
LIST_LINE_START = frozenset("-*+0123456789 \t>")
LIST_MARK_START = LIST_LINE_START - {" "}  # of a list line's text after its indentation
ENDS = ("", "\r")
GAPS = (" ", "\t", "\r", "")
BULLETS = ("-", "*", "+")


def may_differ(text: str) -> bool:
    """False only where no list of `text` can render differently (a sound, cheap test)."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return True  # lone CR line ends: not split here
    segments = _prose_segments(text)
    if segments is None:
        return True
    raw_html: int | None = None  # the first line opening raw HTML, in this segment or before
    for segment, after_fence in segments:
        lines = segment.split("\n")
        raw_html = -1 if raw_html is not None else first_raw_html_line(segment)
        last_plain, block_indent = -2, 0
        for index in [i for i, line in enumerate(lines) if line[:1] in LIST_LINE_START]:
            line = lines[index]
            # Most list lines are "- text", most others "---" or "**bold**": told at once.
            if line[:2] == "- " and line[2:3] not in GAPS:
                indent = 0
            elif line[0] in BULLETS and line[1:2] not in GAPS:
                continue  # a bullet with text right after it: no list line
            elif (quick := _plain_item_indent(line)) is not None:
                indent = quick  # "    - text", "1. text": `_list_line`'s "plain", told at once
            else:
                kind = _list_line(line)
                if kind == "text":
                    continue
                if kind != "plain":
                    return True
                indent = len(line) - len(line.lstrip(" "))
            if raw_html is not None and index > raw_html:
                return True  # perhaps in raw HTML to Python-Markdown, not to CommonMark
            if index == 0:
                if after_fence:
                    return True
                block_indent = indent
            elif last_plain != index - 1:
                previous = lines[index - 1]
                if previous.strip() and not _after_own_heading(lines, index, indent, after_fence):
                    return True
                block_indent = indent  # a block of its own starts here
            elif indent < block_indent:
                return True  # Python-Markdown dedents the block's lines as its first
            last_plain = index
    return False


def _after_own_heading(lines: list[str], index: int, indent: int, after_fence: bool) -> bool:
    """Is the line before `index` a heading that starts a block of its own, the list line
    unindented? Then the heading ends the block and the list starts one at the top."""
    if indent or lines[index - 1][:1] != "#":
        return False
    if index >= 2:
        return not lines[index - 2].strip()
    return not after_fence


DIGITS = frozenset("0123456789")


def _plain_item_indent(line: str) -> int | None:
    """The indentation of a line `_list_line` calls "plain" of the commonest shapes (a
    nested `- text`, `1. text`), None for any other line, left to `_list_line`."""
    rest = line.lstrip(" ")
    if rest[:2] == "- ":
        after = rest[2:3]
    elif rest[1:3] == ". " and rest[:1] in DIGITS:
        after = rest[3:4]
    else:
        return None
    indent = len(line) - len(rest)
    return indent if after not in GAPS and not indent % 4 else None


def _list_line(line: str) -> str:
    """ "plain": a list line both parsers read alike; "text": no list line; else "odd"."""
    rest = line.lstrip(" ")
    indent = len(line) - len(rest)
    lead = rest[:1]
    if lead in ("-", "*", "+"):
        marker_end = 1
    elif lead.isdigit():
        number = ORDERED_MARKER.match(rest)
        if number is None:
            return "text"
        marker_end = number.end()
        if rest[marker_end : marker_end + 1] in GAPS and (
            len(number.group(1)) > 2 or rest[marker_end - 1] == ")"
        ):
            return "odd"
    elif lead in ("\t", ">") or "\t" in line[:indent]:
        inner = rest.lstrip(" \t>")[:1]
        return "odd" if inner and inner in "-*+0123456789" else "text"
    else:
        return "text"
    gap = rest[marker_end : marker_end + 1]
    if gap not in GAPS:
        return "text"  # "---", "**bold**", "3.5"
    if indent % 4 or gap != " " or rest[marker_end + 1 : marker_end + 2] in GAPS:
        return "odd"
    return "plain"


def _prose_segments(text: str) -> list[tuple[str, bool]] | None:
    """The text between closed fenced code blocks and comments that open a line, each
    with whether a fence closes right before it; None where a fence or comment is one the
    two parsers may read differently (in a block quote, unclosed, oddly indented)."""
    segments: list[tuple[str, bool]] = []
    start, after_fence = 0, False
    search = 0
    found = {mark: find_mark(text, mark) for mark in ("```", "~~~", "<!--")}
    while True:
        for mark, at in found.items():
            if 0 <= at < search:
                found[mark] = find_mark(text, mark, search)
        hits = [(at, mark) for mark, at in found.items() if at >= 0]
        if not hits:
            break
        at, mark = min(hits)
        line_start = text.rfind("\n", 0, at) + 1
        prefix = text[line_start:at]
        if prefix.strip(" "):
            search = at + len(mark)
            continue  # inside a line: prose
        end = _quiet_block_end(text, line_start, at, mark)
        if end is None:
            return None
        segments.append((text[start:line_start], after_fence))
        start, after_fence = end, mark != "<!--"
        search = end
    segments.append((text[start:], after_fence))
    return segments


def _quiet_block_end(text: str, line_start: int, at: int, mark: str) -> int | None:
    """Where the line after a fenced code block or comment starts (None: an odd one, a
    fence the two parsers may close apart: markdown/code_regions.py)."""
    if mark == "<!--":
        if at - line_start > 3:
            return None
        close = text.find("-->", at)
        line_end = text.find("\n", close) if close >= 0 else -1
        # Anything after it on its line, blanks too, is text to Python-Markdown (the raw
        # block's tail), which the next line may continue: not a quiet block.
        if close < 0 or text[close + 3 : line_end if line_end >= 0 else len(text)].rstrip("\r"):
            return None
        return len(text) if line_end < 0 else line_end + 1
    close_end = agreed_block_end(text, line_start, at)
    if close_end is None:
        return None
    return len(text) if close_end == len(text) else close_end + 1
