"""`check --fix`: the mechanical fixes of GW601, made so that MkDocs renders each list as
CommonMark reads it, and nothing else of the page changes (and GW602's blank line between
joined label lines, rules/labels.py, on the same pages in the same run).

A list right after a paragraph line gets a blank line before it (in a block quote, a `>`
line); a child list indented less than Python-Markdown needs is re-indented, with its
continuation lines, to the indentation `nesting_indent` names. Every byte outside the fixed
lines stays as it was, line ends (CRLF, CR) included. Each round of fixes is kept only if
the page reads the same to CommonMark afterwards (the same items, nested the same way);
rounds go on until no finding is left that a fix reaches, so a second run changes nothing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from guidewright.core.atomic import write_all_atomic
from guidewright.core.errors import FrontmatterError, InvalidInput, OperationFailed
from guidewright.core.parallel import map_on_all_cores
from guidewright.markdown import frontmatter
from guidewright.rules.labels import fix_labels
from guidewright.rules.list_rules import (
    NESTING,
    QUOTE_PREFIX,
    SWALLOWED,
    CommonMarkItem,
    ListFinding,
    commonmark_items,
    item_indent,
    list_findings,
    may_differ,
    nesting_indent,
)
from guidewright.site.git_checks import require_clean_git
from guidewright.site.lock import update_lock
from guidewright.site.site import Site, files_under

LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
MAX_ROUNDS = 8  # each round fixes every list it can; nested runs need one per level


@dataclass(frozen=True)
class FixedText:
    """A page's text with its lists fixed, and how many runs of list items were fixed."""

    text: str
    fixed: int
    unfixed: int  # findings left: no blank line or indentation makes MkDocs agree


def fix_lists(text: str) -> FixedText:
    """`text` (a whole page, frontmatter and all) with the lists of its body fixed."""
    unmarked = text.removeprefix("\ufeff")  # as MkDocs reads it
    try:
        parts = frontmatter.split(unmarked)
        body = parts[1] if parts else unmarked
        if not may_differ(body):
            return FixedText(text, 0, 0)
        if parts:  # its YAML read only now: most pages have no list to fix
            frontmatter.parse(text)
    except FrontmatterError:
        return FixedText(text, 0, 0)  # check reports the frontmatter and judges no further
    head = text[: len(text) - len(body)]
    items = commonmark_items(body)
    reading = _Reading(body, items, list_findings(body, items))
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
    return FixedText(head + reading.body, fixed, len(reading.findings))


@dataclass(frozen=True)
class _Reading:
    """A body, its CommonMark items and its findings."""

    body: str
    items: list[CommonMarkItem]
    findings: list[ListFinding]

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
    if _shape(items) != _shape(reading.items):
        return findings
    # As `check` reads a page (list_problems): no findings where `may_differ` says no list
    # can render otherwise, which a fixed page mostly is; the second reading then costs a
    # cheap scan instead of Python-Markdown's model of the page.
    left = list_findings(candidate, items) if may_differ(candidate) else []
    after = _Reading(candidate, items, left)
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


@dataclass(frozen=True)
class PageFix:
    """One page whose lists `check --fix` fixes: where, its bytes after (and before, for
    --pretend's diff: otherwise None, half the bytes the workers send back)."""

    path: Path  # absolute
    relpath: str  # relative to the site's root
    before: bytes | None
    after: bytes
    fixed: int
    labels: int = 0  # label lines set apart (GW602, rules/labels.py)


@dataclass(frozen=True)
class SiteFix:
    """What `check --fix` changed (with --pretend: would change)."""

    pages: list[PageFix]
    unfixed: int  # findings no fix reaches, in every page read


def _fix_page(task: tuple[Path, str, bool]) -> tuple[PageFix | None, int]:
    path, relpath, keep_before = task
    try:
        before = path.read_bytes()
        text = before.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None, 0  # check reports it (GW001)
    result = fix_lists(text)
    labels = fix_labels(result.text)  # after the lists: a label line may end one
    unfixed = result.unfixed + labels.unfixed
    if labels.text == text:
        return None, unfixed
    after = labels.text.encode("utf-8")
    kept = before if keep_before else None
    return PageFix(path, relpath, kept, after, result.fixed, labels.fixed), unfixed


def fix_site_lists(site: Site, paths: list[Path] | None, pretend: bool) -> SiteFix:
    """Fix the lists of the given pages (default: every page of the docs folder) in place,
    as `update` writes: under its lock, only if git has no uncommitted change in a page it
    changes, each page replaced atomically; with `pretend`, nothing written."""
    from guidewright.check.site_check import PARALLEL_FROM, pages_to_check

    listed = files_under(site.docs_path, ".md", skip_hidden=True)
    tasks = []
    for text_path, _ in pages_to_check(site, paths, listed):
        path = Path(text_path)
        try:
            relpath = path.relative_to(site.root).as_posix()
        except ValueError as error:
            message = f"PATHS: {path} is outside the site; --fix changes the site's pages only"
            raise InvalidInput(message) from error
        tasks.append((path, relpath, pretend))
    with update_lock(site, pretend):
        results = map_on_all_cores(_fix_page, tasks, minimum=PARALLEL_FROM)
        pages = [page for page, _ in results if page is not None]
        if not pretend and pages:
            require_clean_git(site, [page.relpath for page in pages])
            try:
                write_all_atomic([(page.path, page.after) for page in pages])
            except OSError as error:
                shown = os.path.relpath(error.filename or site.root)
                raise OperationFailed(
                    f"{shown}: not written ({error.strerror}); other pages may be fixed already"
                    " (git diff shows which), none is half-written"
                ) from error
    return SiteFix(pages, sum(unfixed for _, unfixed in results))
