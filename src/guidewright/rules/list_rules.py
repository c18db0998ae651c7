"""Rule GW601: a list MkDocs renders otherwise than CommonMark, and its fix.

Every CommonMark renderer, the editor's preview and GitHub included, shows a list where
Python-Markdown, MkDocs' renderer, does not: a list right after a paragraph line (it needs
a blank line before a list) or a child list indented less than 4 spaces (it needs 4 to
nest). Where they differ is rules/list_reading.py's.

The fix (`fix_lists`, which `check --fix` writes and the editor offers) makes MkDocs
render each list as CommonMark reads it, and nothing else of the page changes. A list
right after a paragraph line gets a blank line before it (in a block quote, a `>` line); a
child list indented less than Python-Markdown needs is re-indented, with its continuation
lines, to the indentation `nesting_indent` names. Every byte outside the fixed lines stays
as it was, line ends (CRLF, CR) included. Each round of fixes is kept only if the page
reads the same to its author afterwards (`authors_reading`: the same items, nested the
same way, each container's content read as a page, and the same lines in the same
containers as Python-Markdown makes them: no line moved into or out of an admonition, no
text made one); rounds go on until no finding is left that a fix reaches, so a second run
changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.list_reading import (
    NESTING,
    QUOTE_PREFIX,
    SWALLOWED,
    AuthorsReading,
    CommonMarkItem,
    ListFinding,
    authors_reading,
    commonmark_items,
    fixed_authors_reading,
    item_indent,
    list_findings,
    may_differ,
    nesting_indent,
    one_model_a_text,
)
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.rule import Fix, FixedText, PageDetector, Reads, Rule

if TYPE_CHECKING:
    from guidewright.markdown.site_markdown import SiteMarkdown


def list_problems(
    shown: str, body: str, first_line: int, site: SiteMarkdown | None = None
) -> list[Problem]:
    """`check`'s GW601 findings of a page body whose first line is `first_line`; `site`:
    the site's Python-Markdown, for the pages the quick model does not read."""
    if not (site is not None and site.reads(body)) and not may_differ(body):
        return []
    return [
        LIST_RENDERS_OTHERWISE.problem(shown, first_line + f.line, "list", f.message)
        for f in list_findings(body, commonmark_items(body), site)
    ]


def _lists_of_page(page: PageUnderCheck) -> list[Problem]:
    return list_problems(page.page.shown, page.body, page.first_line, page.lists_read_by_site)


LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
MAX_ROUNDS = 8  # each round fixes every list it can; nested runs need one per level
NO_FIX = "no blank line or indentation makes the build agree"
IN_HTML = "inside HTML blocks"


def fix_lists(text: str, site: SiteMarkdown | None = None) -> FixedText:
    """`text` (a whole page, frontmatter and all) with the lists of its body fixed; `site`:
    the site's own Python-Markdown, for the pages the quick model does not read. A page
    showing an extension of the site's that cannot be loaded is left as it is: its
    reading without it may be wrong."""
    with one_model_a_text():  # the page and each candidate read once by the quick model
        return _fixed_lists(text, site)


def _fixed_lists(text: str, site: SiteMarkdown | None) -> FixedText:
    unmarked = text.removeprefix("\ufeff")  # as MkDocs reads it
    try:
        parts = frontmatter.split(unmarked)
        body = parts[1] if parts else unmarked
        if not may_differ(body) and not (site is not None and site.reads(body)):
            return FixedText(text, 0, 0)
        if parts:  # its YAML read only now: most pages have no list to fix
            frontmatter.parse(text)
    except FrontmatterError:
        return FixedText(text, 0, 0)  # check reports the frontmatter and judges no further
    head = text[: len(text) - len(body)]
    items = commonmark_items(body)
    reading = _Reading(body, items, list_findings(body, items, site), site)
    without = site.judged_without(body) if site is not None else ()
    if without:
        why = f"judged without {', '.join(without)}"
        return FixedText(text, 0, len(reading.findings), _counted([why] * len(reading.findings)))
    fixed, stuck = 0, set[int]()
    for _ in range(MAX_ROUNDS):
        todo = [f for f in reading.findings if reading.place(f) not in stuck]
        if not todo:
            break
        after = _attempt(reading, todo)
        # Findings whose fix leaves them where they were ('1)', which Python-Markdown never
        # numbers) are left out, the others fixed together: one at a time, one a round,
        # they would take more rounds than there are.
        while isinstance(after, list) and 0 < len(after) < len(todo):
            todo = [finding for finding in todo if finding not in after]
            after = _attempt(reading, todo)
        for finding in todo if isinstance(after, list) else []:  # one at a time, then
            after = _attempt(reading, [finding])
            if isinstance(after, _Reading):
                todo = [finding]
                break
            stuck.add(reading.place(finding))  # no fix of its own helps: left as found
        if not isinstance(after, _Reading):
            break
        fixed, reading = fixed + len(todo), after
    # The findings of the text as written are `reading`'s, found as a run on it finds them
    # (`_attempt`): none left, such a run would fix none and leave none.
    settled = not reading.findings
    return FixedText(head + reading.body, fixed, len(reading.findings), _why_left(reading), settled)


def _fix_for_site(text: str, markdown: MarkdownProfile) -> FixedText:
    """`fix_lists` with the site's Python-Markdown (rule.Fix's form)."""
    from guidewright.markdown.site_markdown import site_markdown  # start-up: see rules/page.py

    return fix_lists(text, site_markdown(markdown))


def _why_left(reading: _Reading) -> tuple[tuple[str, int], ...]:
    if not reading.findings:
        return ()
    site = reading.site
    in_html = site.html_block_lines(reading.pieces[0::2]) if site is not None else frozenset()
    return _counted([IN_HTML if f.line in in_html else NO_FIX for f in reading.findings])


def _counted(reasons: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(reasons).items()))


@dataclass(frozen=True)
class _Reading:
    """A body, its CommonMark items and its findings."""

    body: str
    items: list[CommonMarkItem]
    findings: list[ListFinding]
    site: SiteMarkdown | None = None
    fixed_from: _Reading | None = None  # the reading this body is a fix of

    @cached_property
    def authors(self) -> AuthorsReading:
        """The items as the author reads them, containers' content included."""
        before = self.fixed_from
        if before is None:
            return authors_reading(self.body, self.items, self.site)
        return fixed_authors_reading(before.authors, self.body, self.items, self.site)

    def unmoved(self, other: _Reading) -> bool:
        """Whether `other`, this body with fixes, reads the same to its author: the same
        items nested the same way, in the same containers (lines counted as `place`)."""
        mine, theirs = self.authors, other.authors
        return _shape(mine.items) == _shape(theirs.items) and self._places(
            mine.containers
        ) == other._places(theirs.containers)

    def _places(self, containers: list[tuple[int | None, ...]]) -> list[tuple[int, ...]]:
        places = self._text_lines_before
        return [tuple(-1 if n is None else places[n] for n in lines) for lines in containers]

    def place(self, finding: ListFinding) -> int:
        """Where a finding is, in terms a fix does not move: the text lines before it."""
        places = self._text_lines_before
        return places[min(finding.line, len(places) - 1)]

    @cached_property
    def pieces(self) -> list[str]:
        """The body split at its line ends: lines at even indexes, their ends between."""
        return LINE_BREAK.split(self.body)

    @cached_property
    def _text_lines_before(self) -> list[int]:
        """For each line, how many lines before it hold text: counted once per reading,
        not once per finding (a page has dozens of findings, each would split it again)."""
        counts = [0]
        for line in self.pieces[0::2]:
            counts.append(counts[-1] + (1 if line.strip(" \t>") else 0))
        return counts


def _attempt(reading: _Reading, findings: list[ListFinding]) -> _Reading | list[ListFinding]:
    """The body with these findings fixed, if CommonMark reads it the same and none of
    them is found again; otherwise the findings in the way: those found again, or all
    where the fixes change nothing or change CommonMark's reading."""
    candidate = _apply(reading, findings)
    if candidate == reading.body:
        return findings
    items = commonmark_items(candidate)
    site = reading.site
    unjudged = _Reading(candidate, items, [], site, reading)
    if not reading.unmoved(unjudged):
        return findings
    # As `check` reads a page (list_problems): no findings where `may_differ` says no list
    # can render otherwise, which a fixed page mostly is; the second reading then costs a
    # cheap scan instead of Python-Markdown's model of the page.
    reads = site is not None and site.reads(candidate)
    left = list_findings(candidate, items, site) if reads or may_differ(candidate) else []
    after = _Reading(candidate, items, left, site, reading)
    again = {after.place(finding) for finding in after.findings}
    found_again = [finding for finding in findings if reading.place(finding) in again]
    return found_again or after


def _shape(items: list[CommonMarkItem]) -> list[tuple[int | None, int | None]]:
    """The items' nesting, by order rather than line (a fix moves lines)."""
    order = {item.line: index for index, item in enumerate(items)}

    def at(line: int | None) -> int | None:
        return None if line is None else order.get(line)

    return [(at(item.parent), at(item.previous)) for item in items]


def _apply(reading: _Reading, findings: list[ListFinding]) -> str:
    """Each finding's fix, from the last line up so that earlier lines keep their numbers."""
    pieces = reading.pieces
    lines, breaks = pieces[0::2], [*pieces[1::2], ""]
    for finding in sorted(findings, key=lambda f: f.line, reverse=True):
        _fix(lines, breaks, finding)
    return "".join(line + end for line, end in zip(lines, breaks, strict=True))


def _fix(lines: list[str], breaks: list[str], finding: ListFinding) -> None:
    item = finding.item
    line = lines[item.line]
    after_text = item.line > 0 and bool(lines[item.line - 1].strip(" \t>"))
    if item.parent is not None and (finding.kind == NESTING or not after_text):
        wanted = nesting_indent(lines[item.parent])
        _reindent(lines, item.line, finding.run_end, wanted - item_indent(line))
        return
    if after_text and finding.kind in (SWALLOWED, NESTING):
        quote = QUOTE_PREFIX.match(line) if ">" in line[:8] else None
        blank = quote.group(0).rstrip(" ") if quote else ""
        lines.insert(item.line, blank)
        breaks.insert(item.line, breaks[item.line - 1])


def _reindent(lines: list[str], first: int, last: int, shift: int) -> None:
    """Lines `first` to `last` moved `shift` columns, within their block quote; a line
    that cannot move so far left (a tab, too few spaces) leaves them all as they are."""
    if not shift:
        return
    moved = []
    for number in range(first, last + 1):
        text = lines[number]
        quote = QUOTE_PREFIX.match(text) if ">" in text[:8] else None
        start = quote.end() if quote else 0
        if not text[start:].strip():
            moved.append(text)
            continue
        if shift > 0:
            moved.append(text[:start] + " " * shift + text[start:])
        elif text[start : start - shift] == " " * -shift:
            moved.append(text[:start] + text[start - shift :])
        else:
            return
    lines[first : last + 1] = moved


LIST_RENDERS_OTHERWISE = Rule(
    code="GW601",
    name="list-renders-otherwise",
    severity=WARNING,
    summary="a list MkDocs renders otherwise than CommonMark: as text after a paragraph "
    "line, or not nested (Python-Markdown needs 4 spaces)",
    why=(
        "The editor's preview and GitHub show the list the author meant; the published "
        "site shows a paragraph with dashes in it, or a flat list where a nested one was "
        "meant. Every page is read for them, with guidewright frontmatter or not."
    ),
    example=(
        "```markdown\nBefore starting, ensure you have:\n- a laptop\n- an hour\n\n"
        "- Caching\n  - write-through\n```\n\n"
        "`check --fix` adds the blank line before the first list and indents "
        "`- write-through` by 4 spaces."
    ),
    family="lists",
    detector=PageDetector(Reads.BODY, _lists_of_page),
    fix=Fix(_fix_for_site, unit="list", title="fix the lists as `check --fix` does"),
)
