"""`check --fix`: every fix the registry's rules offer (rules/rule.Fix: today GW601's, the
lists), applied to the site's pages in the registry's order and written as `update`
writes, in a write session (site/write_session.py): only if git has no uncommitted change
in a page it changes, each page replaced only while it still is the page read (a page
saved meanwhile, or a symbolic link, is left and listed); with --pretend, nothing written.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from guidewright.check.site_check import PARALLEL_FROM, pages_to_check
from guidewright.core.atomic import ABSENT, LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.core.parallel import map_with_context
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.rule import FixedText, Rule
from guidewright.site.pages import page_bytes
from guidewright.site.site import Site, files_under
from guidewright.site.write_session import GroupResult, Target, WriteSession, Written


@dataclass(frozen=True)
class PageFix:
    """One page `check --fix` changes: where, its bytes after (and before, for --pretend's
    diff: otherwise None, half the bytes the workers send back)."""

    path: Path  # absolute
    relpath: str  # relative to the site's root
    before: bytes | None
    after: bytes
    fixed: tuple[int, ...]  # findings fixed, by rule (SiteFix.rules' order)
    seen: Seen  # the page as read: it is replaced only while it still is


@dataclass(frozen=True)
class SiteFix:
    """What `check --fix` changed (with --pretend: would change)."""

    rules: tuple[Rule, ...]  # the rules whose fixes ran
    pages: list[PageFix]
    unfixed: int  # findings left, as `check` then finds them, in every page read
    left_because: dict[str, int]  # those findings, by why
    # Pages not written: changed meanwhile, or symbolic links (nothing is written through one)
    left: list[GroupResult] = field(default_factory=list)


# Passes of every rule's fix over a page until one changes nothing. One rule's fix can
# make work for another's (GW602's blank line between two label lines in a list item
# starts a paragraph that a list right below it then follows: GW601's), so what a rule
# said was left, before a later rule changed the page, is not what `check` finds after.
MAX_PASSES = 4
INTERFERING = "fixes of different rules undoing each other"


def fix_text(
    text: str, rules: tuple[Rule, ...], markdown: MarkdownProfile
) -> tuple[str, tuple[int, ...], Counter[str]]:
    """`text` with each rule's fix applied in turn (the site's Markdown: `markdown`), pass
    after pass until one changes nothing: the text, the findings each fixed, and those
    left, by why: what `check` then finds of the rules, counted on the text as written."""
    fixed = [0] * len(rules)
    for _ in range(MAX_PASSES):
        changed, left = False, Counter[str]()
        judged: list[tuple[str, FixedText]] = []  # each rule's text and what it made of it
        for number, rule in enumerate(rules):
            assert rule.fix is not None  # Registry.fixable: rules with a fix
            result = rule.fix.apply(text, markdown)
            judged.append((text, result))
            changed = changed or result.text != text
            text = result.text
            fixed[number] += result.fixed
            left.update(_left_by_why(result))
        if not changed or all(_would_repeat(seen, result, text) for seen, result in judged):
            # Every rule judged this very text, or would as it did: what it left is left.
            return text, tuple(fixed), left
    # Still changing (no fix of guidewright's does so): every finding a fix would reach on
    # the text as written is left, with those none reaches.
    left = Counter[str]()
    for rule in rules:
        assert rule.fix is not None
        result = rule.fix.apply(text, markdown)
        left.update(_left_by_why(result))
        left.update({INTERFERING: result.fixed} if result.fixed else {})
    return text, tuple(fixed), left


def _would_repeat(seen: str, result: FixedText, text: str) -> bool:
    """Whether a rule's fix, which made `result` of `seen`, would make of `text` (the
    pass's last) nothing new and leave the same: it saw `text` and changed nothing, or
    made `text` and says it is settled. Then a next pass need not ask it."""
    return (seen == text and result.text == text) or (result.text == text and result.settled)


def _left_by_why(result: FixedText) -> dict[str, int]:
    """The findings a fix left, by why (a fix that does not say why: "left")."""
    return result.left_because or ({"left": result.unfixed} if result.unfixed else {})


def _fix_page(
    context: tuple[tuple[Rule, ...], MarkdownProfile], task: tuple[Path, str, bool, str]
) -> tuple[PageFix | None, Counter[str]]:
    rules, markdown = context
    path, relpath, keep_before, root = task
    try:
        try:
            before, seen = read_seen(path, PAGE_BYTES)
        except LinkRefused:  # read as check reads it; its write is refused, naming it
            before, seen = page_bytes(path, root), ABSENT
        text = before.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None, Counter()  # check reports it (GW001)
    after, fixed, left = fix_text(text, rules, markdown)
    if after == text:
        return None, left
    kept = before if keep_before else None
    return PageFix(path, relpath, kept, after.encode("utf-8"), fixed, seen), left


def _left(results: list[tuple[PageFix | None, Counter[str]]]) -> tuple[int, dict[str, int]]:
    """The findings no fix reached, in every page read: how many, and by why."""
    left: Counter[str] = Counter()
    for _, page_left in results:
        left.update(page_left)
    return sum(left.values()), dict(left)


def fix_site(
    site: Site, paths: list[Path] | None, pretend: bool, registry: Registry = REGISTRY
) -> SiteFix:
    """Apply the registry's fixes to the given pages (default: every page of the docs
    folder) in place; with `pretend`, nothing written."""
    listed = files_under(site.docs_path, ".md", skip_hidden=True)
    tasks = []
    for text_path, _ in pages_to_check(site, paths, listed):
        path = Path(text_path)
        try:
            relpath = path.relative_to(site.root).as_posix()
        except ValueError as error:
            message = f"PATHS: {path} is outside the site; --fix changes the site's pages only"
            raise InvalidInput(message) from error
        tasks.append((path, relpath, pretend, os.fspath(site.root)))
    rules = registry.fixable
    # The rules and the site's Markdown reach each worker when it is forked, not with
    # every page.
    context = (rules, site.profile.markdown)
    if pretend:
        results = map_with_context(_fix_page, context, tasks, minimum=PARALLEL_FROM)
        pages = [page for page, _ in results if page is not None]
        return SiteFix(rules, pages, *_left(results))
    with WriteSession(site, "check --fix") as session:
        results = map_with_context(_fix_page, context, tasks, minimum=PARALLEL_FROM)
        pages = [page for page, _ in results if page is not None]
        if pages:
            # A fix is of the page as it is: one staged (pre-commit's) is as revertible.
            session.require_clean_git([page.relpath for page in pages], staged_ok=True)
        written = session.write([[Target(p.relpath, p.seen, p.after)] for p in pages])
    failed = [r for r in written if r.status is Written.FAILED]
    if failed:
        raise OperationFailed(
            f"{failed[0].message}; other pages may be fixed already (git diff shows which), "
            "none is half-written"
        )
    done = [p for p, r in zip(pages, written, strict=True) if r.status is Written.WRITTEN]
    left = [r for r in written if r.status in (Written.LEFT, Written.REFUSED)]
    return SiteFix(rules, done, *_left(results), left)
