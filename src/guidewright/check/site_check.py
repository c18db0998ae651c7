"""`check` over the site: which pages, read from disk, each judged by the version it
records (check/page_check.py judges one page), and the site-wide warnings.

Only plain data in and out: `check_site` returns `Problem`s; the CLI formats them.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import functools
import operator
import os
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from guidewright.check import kept_questionnaire, site_index
from guidewright.check.kept_questionnaire import KeptJudge, TemplateAt
from guidewright.check.page_check import (
    PageVerdict,
    anchors_in,
    check_page,
    page_warnings,
    site_facts,
)
from guidewright.check.site_index import AskedFiles, PageRow, SiteIndexFile
from guidewright.core.errors import (
    FrontmatterError,
    GuidewrightError,
    InvalidInput,
    UnusableAnswers,
)
from guidewright.core.safe_yaml import texts_in
from guidewright.markdown import frontmatter
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.page import PageListing, PageRef, SiteIndex
from guidewright.rules.prerequisites import listed_prerequisites, prerequisites_key
from guidewright.rules.problems import Problem
from guidewright.rules.reading import INVALID_FRONTMATTER, unreadable, without_frontmatter
from guidewright.rules.recorded_answers import orphaned, unusable
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.tags import LONE_TAG, lone_tag_warnings, tag_use
from guidewright.rules.template_versions import older_version
from guidewright.site.answers_files import (
    RecordedDocument,
    full_answers,
    read_all_recorded,
    read_recorded,
)
from guidewright.site.pages import frontmatters, page_bytes, page_text
from guidewright.site.profile import SiteProfile
from guidewright.site.section_meta import SectionMeta, read_section_meta
from guidewright.site.site import ANSWERS_DIR, CONFIG_RELPATH, Site, files_under
from guidewright.template.block import read_block, template_settings
from guidewright.template.newest_known import RecordedSources
from guidewright.template.source import OpenTemplate, open_template, resolve_template

if TYPE_CHECKING:
    from guidewright.copier_compat.config import TemplateConfig
    from guidewright.copier_compat.expression_reads import Outside
    from guidewright.template.block import Block
    from guidewright.template.questionnaire import Questionnaire
    from guidewright.template.versions import TemplateRepository


def pages_to_check(
    site: Site, paths: list[Path] | None, documents: Iterable[str]
) -> list[tuple[str, PageRef]]:
    """(path, page) of each page to judge: `paths` (pages and folders), else `documents`
    (the docs folder's, without a Path or a relpath apiece: a site has thousands).
    `check` and `check --fix` share it."""
    if not paths:
        docs, shown = os.fspath(site.docs_path), site.docs_dir.rstrip("/")
        return [
            (os.path.join(docs, relpath), PageRef(f"{shown}/{relpath}", relpath))
            for relpath in documents
        ]
    targets = []
    for path in paths:
        absolute = path.resolve()
        if absolute.is_dir():
            targets.extend(sorted(p for p in absolute.rglob("*.md") if not p.is_dir()))
        elif absolute.is_file():
            targets.append(absolute)
        else:
            raise InvalidInput(f"PATHS: {path} does not exist")
    return [
        (os.fspath(target), PageRef(_shown(site, target), _in_docs(site, target)))
        for target in targets
    ]


def _in_docs(site: Site, path: Path) -> str:
    return os.path.relpath(path, site.docs_path).replace(os.sep, "/")


def _shown(site: Site, path: Path) -> str:
    try:
        return path.relative_to(site.root).as_posix()
    except ValueError:
        return os.path.relpath(path)


PARALLEL_FROM = 300  # documents `check --fix` fixes; below this, workers cost more than they save
# `check` judges its pages on every core from this much work: below it, starting the
# workers costs more than they save. The work is counted in bytes: judging a page costs
# close to its size (45 to 55 ms of CPU a megabyte, a template's page or a long
# hand-written one alike: 300 generated pages are 4.3 MB, the 188 real-shaped ones 1.2 MB)
# plus a cost of its own whatever its size (reading, splitting, its verdict: about 0.1 ms,
# what judging 2,000 bytes costs; 3,000 pages of 155 bytes took 0.35 s of CPU), the
# workers about 0.05 s of CPU (forked, set up, their verdicts sent back), so on 2 idle
# cores they pay from about 1.2 MB (the real-shaped site, 1.6 MB weighed, measured again
# after imports: 0.05 s of work cost 0.045 s more on two workers, its anchors read in
# each). Measured: docs/pages/design/benchmarks.md, "Judging on every core".
PARALLEL_FROM_BYTES = 2_000_000
PAGE_COST_BYTES = 2_000


def _loaded_for_workers(judges: Judges, tasks: list[tuple[str, PageRef, int]]) -> int:
    """`bytes_to_judge(tasks)`; where that forks workers, the current questionnaire loaded
    first (if it was not): they inherit it, where each would load it again on a page
    that needs it (a site that large mostly has template pages). A template that does
    not load is no error here (a run judging no template page never loads it, whatever
    the site's size): its pages are judged in this process instead, where the first that
    needs it stops the run with the template's error, as a run of few pages does."""
    work = bytes_to_judge(tasks)
    if work >= PARALLEL_FROM_BYTES and len(tasks) > 1 and judges.loadable() is None:
        return 0
    return work


def bytes_to_judge(tasks: Iterable[tuple[str, PageRef, int]]) -> int:
    """The work of judging the pages, in bytes (`PAGE_COST_BYTES` a page, and its size),
    added up to `PARALLEL_FROM_BYTES` at most (a large site's first few hundred pages are
    looked at, not all): whether judging them pays for workers. A link is not followed:
    its page is refused, at no cost."""
    total = 0
    for path, _, _ in tasks:
        total += PAGE_COST_BYTES
        with contextlib.suppress(OSError):  # judged as unreadable, at no cost
            status = os.lstat(path)
            if stat.S_ISREG(status.st_mode):
                total += status.st_size
        if total >= PARALLEL_FROM_BYTES:
            break
    return total


@dataclass(frozen=True)
class _JudgedWith:
    """What every page of one run is judged with; a worker inherits it when forked."""

    index: SiteIndex
    questionnaires: list[Questionnaire]  # by number
    registry: Registry
    root: str  # the site's: no page is read through a link that leads out of it


def disk_anchors(site: Site, markdown: MarkdownProfile) -> Callable[[str], frozenset[str] | None]:
    """Anchors of the docs folder's pages, each page read once, on first need (per run),
    their headings' ids as the site's `markdown` makes them."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)

    @lru_cache(maxsize=4096)
    def anchors_of(target: str) -> frozenset[str] | None:
        try:
            text = page_text(os.path.join(docs, target), root).removeprefix("\ufeff")
            return anchors_in(text, markdown)
        except (OSError, UnicodeDecodeError):
            return None

    return anchors_of


LISTINGS_KEPT = 65536  # pages' places in the prerequisite graph, per process: bounded memory


def disk_listings(site: Site, questionnaire: Questionnaire) -> Callable[[str], PageListing | None]:
    """Each page's place in the prerequisite graph (rules/prerequisites.py), read on first
    need: a page's prerequisites are followed only as far as a cycle could lead."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)
    type_key, key = questionnaire.block.type_question, prerequisites_key(questionnaire)

    @lru_cache(maxsize=LISTINGS_KEPT)
    def listing_of(target: str) -> PageListing | None:
        try:
            parsed = frontmatter.parse(page_text(os.path.join(docs, target), root))
        except (OSError, UnicodeDecodeError, FrontmatterError):
            return None
        if parsed is None or type_key not in parsed.data:
            return PageListing(content=False)
        title = parsed.data.get("title")
        return PageListing(
            site.is_content_page(target),
            listed_prerequisites(parsed.data.get(key)) if key else (),
            title if isinstance(title, str) else None,
        )

    return listing_of


def disk_links(
    site: Site, questionnaire: Questionnaire, documents: Iterable[str]
) -> Callable[[str], frozenset[str] | None]:
    """Which pages link to each page or list it (the `site-documents` questions: its
    prerequisites, its related content), every page of `documents` read once, on first
    need: only a run with GW206 on asks, once in each process."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)
    keys = [
        k for k, source in questionnaire.block.suggestions.items() if source == "site-documents"
    ]
    found: dict[str, set[str]] = {}
    gathered: list[bool] = []

    def gather() -> None:
        # Start-up: only GW206 (optional) gathers; the link rules' family is imported
        # where a page is judged (rules/registry.py).
        from guidewright.markdown import pyromark
        from guidewright.rules.engine_links import linked_page
        from guidewright.rules.links import may_link, parse_page

        for relpath in documents:
            try:
                text = page_text(os.path.join(docs, relpath), root).removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                parsed = frontmatter.parse(text)
            except FrontmatterError:
                parsed = None
            body = text if parsed is None else parsed.body
            targets = pyromark.link_targets(body) if may_link(body) else []
            if targets is None:
                targets = [link.target for link in parse_page(body, 1, with_anchors=False).links]
            reached = {page for t in targets if (page := linked_page(relpath, t)) is not None}
            data = parsed.data if parsed is not None else {}
            for key in keys:
                reached.update(listed_prerequisites(data.get(key)))
            for page in reached:
                found.setdefault(page, set()).add(relpath)
        gathered.append(True)

    def linked_from(target: str) -> frozenset[str] | None:
        if not gathered:
            gather()
        return frozenset(found.get(target, ()))

    return linked_from


def disk_recorded(
    site: Site, recorded: Iterable[RecordedDocument]
) -> Callable[[str], dict[str, Any] | UnusableAnswers | None]:
    """Each page's full recorded answers, its answers file read on first need: the site
    was read for what places each page only, and the rest is read where the page is judged
    (in the workers, spread over the cores)."""
    placed = {answers.document: answers for answers in recorded}

    def recorded_of(shown: str) -> dict[str, Any] | UnusableAnswers | None:
        answers = placed.get(shown)
        if answers is None:
            return None
        try:
            return full_answers(site, answers)
        except UnusableAnswers as error:
            return error

    return recorded_of


def _check_document(run: _JudgedWith, task: tuple[str, PageRef, int]) -> PageVerdict | Problem:
    path, page, number = task
    try:
        text = page_text(path, run.root)
    except (OSError, UnicodeDecodeError) as error:  # a dangling link, a FIFO, not UTF-8
        return unreadable(page.shown, error)
    return check_page(page, text, run.index, run.questionnaires[number], run.registry)


def _judged_for_the_site(run: _JudgedWith, task: tuple[str, PageRef, int]) -> PageVerdict | Problem:
    """`_check_document`, keeping of the page's frontmatter only what the site-wide warnings
    read: a worker sends back that little, and the parent never holds the site's answers."""
    verdict = _check_document(run, task)
    if isinstance(verdict, Problem) or verdict.parsed is None:
        return verdict
    current = run.questionnaires[0]  # check_documents numbers the current one first
    return dataclasses.replace(verdict, parsed=site_facts(verdict.parsed, current))


@dataclass
class _SiteWide:
    """The site-wide warnings, taken from each page's verdict as it arrives: those that need
    the page alone at once, and its tags kept (as a tuple) until every page's are counted."""

    today: dt.date
    current: Questionnaire
    answered: frozenset[str]
    registry: Registry
    tagged: list[tuple[str, int, tuple[object, ...]]] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.tags_key = self.current.block.tags_question  # asked for each page: found once

    def take(self, shown: str, parsed: frontmatter.Frontmatter) -> list[Problem]:
        found = page_warnings(
            shown, parsed, self.today, None, self.current, self.answered, self.registry
        )
        key = self.tags_key
        tags = parsed.data.get(key) if key else None
        if key and isinstance(tags, list) and tags:
            # One text per tag for the whole site, not one per page that uses it.
            kept = tuple(sys.intern(t) if type(t) is str else t for t in tags)
            self.tagged.append((shown, parsed.key_lines.get(key, 1), kept))
        return found

    def tag_warnings(
        self,
        site: Site,
        explicit: bool,
        every_page: tuple[Counter[str] | None, Iterable[object]] | None = None,
    ) -> list[Problem]:
        """GW402 on the pages taken, once every page's tags are counted (its detector
        finds nothing before); a run of given pages counts the tags of every page (read
        from the pages, or `every_page`: the pages' tags as the index has them, some
        counted already)."""
        key = self.current.block.tags_question
        if not key or self.registry.get(LONE_TAG.code) is not LONE_TAG:
            return []
        counted = None
        if explicit and every_page is not None:
            counted, lists = every_page
        elif explicit:
            lists = (data.get(key) for _, data in frontmatters(site))
        else:
            lists = (tags for _, _, tags in self.tagged)
        used = tag_use(site.config.tags, lists, counted)
        return [
            problem
            for shown, line, tags in self.tagged
            for problem in lone_tag_warnings(shown, line, tags, used, key)
        ]


def _raw_tags(text: str, key: str | None) -> tuple[str, ...] | None:
    """A page's tags as `check PATHS` counts them (`frontmatters`: its own frontmatter,
    whatever its type), their texts only: None when they are not a list."""
    try:
        parsed = frontmatter.parse(text)
    except FrontmatterError:
        return None
    return _tag_texts(parsed.data.get(key) if parsed is not None and key else None)


def _tag_texts(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple):
        return None
    return tuple(sys.intern(t) for t in value if isinstance(t, str))


@dataclass(frozen=True)
class _IndexedVerdict:
    """A page judged for the index: its verdict, and what the index keeps of the page
    (its digest, tags and anchors read) and of what the verdict was made from."""

    verdict: PageVerdict | Problem
    digest: str | None  # None: its bytes could not be had (the verdict says why)
    tags: tuple[str, ...] | None
    files_asked: frozenset[str]
    anchors_asked: frozenset[str]
    anchors_read: tuple[tuple[str, frozenset[str] | None], ...]
    listings_asked: frozenset[str] = frozenset()
    # Whether it read more of its questionnaire than the block: keyed by the judges'
    # digest then, else by the block's (`Judges.block_judged_by`).
    read_questionnaire: bool = True


@dataclass(frozen=True)
class _IndexedContext:
    """What every page of an indexed run is judged with: the run, and the sets its
    index notes what each page's rules asked in."""

    run: _JudgedWith
    files: AskedFiles
    documents: AskedFiles
    anchors_asked: set[str]
    anchors_read: dict[str, frozenset[str] | None]
    listings_asked: set[str]
    tags_key: str | None
    raw_is_effective: bool  # no section metadata: a page's parsed frontmatter is its own


def _judged_for_the_index(
    context: _IndexedContext, task: tuple[str, PageRef, int]
) -> _IndexedVerdict:
    """`_judged_for_the_site`, noting what the page's rules asked of the rest of the site."""
    path, page, number = task
    run = context.run
    asked: set[str] = set()
    context.files.asked = context.documents.asked = asked
    context.anchors_asked.clear()
    context.listings_asked.clear()
    try:
        content = page_bytes(path, run.root)
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return _IndexedVerdict(
            unreadable(page.shown, error), None, None, frozenset(), frozenset(), ()
        )
    judge = run.questionnaires[number]
    reads_before = beyond_block_reads(judge)
    try:
        verdict = check_page(page, text, run.index, judge, run.registry)
    finally:
        context.files.asked = context.documents.asked = None
    read_questionnaire = reads_before is None or beyond_block_reads(judge) != reads_before
    tags_key = context.tags_key
    if verdict.parsed is not None and context.raw_is_effective:
        tags = _tag_texts(verdict.parsed.data.get(tags_key)) if tags_key else None
    else:
        tags = _raw_tags(text, tags_key)
    if verdict.parsed is not None:
        current = run.questionnaires[0]
        verdict = dataclasses.replace(verdict, parsed=site_facts(verdict.parsed, current))
    anchors = context.anchors_asked
    read = tuple((t, context.anchors_read[t]) for t in anchors if t in context.anchors_read)
    return _IndexedVerdict(
        verdict,
        site_index.digest(content),
        tags,
        frozenset(asked),
        frozenset(anchors),
        read,
        frozenset(context.listings_asked),
        read_questionnaire,
    )


@dataclass
class KeptIndex:
    """The index of the site's last run, its answers files brought up to date: what
    `check_site` hands `check_documents` to judge only what can have changed."""

    path: Path
    old: SiteIndexFile
    new: SiteIndexFile
    recorded: list[RecordedDocument]
    unusable: list[UnusableAnswers]
    started: int  # when this run began (its index's `written_ns`)
    dirty: bool = False  # the index on disk no longer says what this run knows


_NEVER_SAME = "-"  # the version of an answers file the index cannot stand for: no match


def keep_index(site: Site) -> KeptIndex:
    """The site's index (empty when there is none worth trusting), its answers files
    read again where they changed."""
    started = site_index.now_ns()
    not_content = (site.config.template, tuple(site.config.not_content))
    key = site_index.index_key(
        os.path.realpath(site.root),
        site.docs_dir,
        site.profile,
        not_content,
        read_section_meta(site),
    )
    path = site_index.index_path(site.root, site.docs_dir)
    old = site_index.load(path, key)
    new = SiteIndexFile(key, started)
    listing = site_index.scan(os.fspath(site.root / ANSWERS_DIR), ".yml", prefix=f"{ANSWERS_DIR}/")
    relpaths = listing.stated
    changed = not old.written_ns  # no index worth trusting: one to write
    if _as_indexed(old, listing, relpaths == list(old.answers), old.answers_status):
        # Every answers file as indexed, told by one comparison: what each places, kept.
        new.answers = old.answers
        placed = site_index.placed_of(old.answers)
    else:
        rows: dict[str, site_index.AnswersRow] = {}
        placed = []
        for relpath, now in zip(relpaths, listing.signatures, strict=True):
            row = old.answers.get(relpath)
            if now is None or row is None or not old.fresh(row.signature, now):
                row = _answers_row(site, relpath, now, started)
                changed = True
            if row.signature == now:  # the index keeps no link's
                rows[relpath] = row
            placed.append(row.placed)
        new.answers = rows
        changed = changed or new.answers.keys() != old.answers.keys()
    recorded = [found for found in placed if not isinstance(found, str)]
    unusable_files = [UnusableAnswers(found) for found in placed if isinstance(found, str)]
    return KeptIndex(path, old, new, recorded, unusable_files, started, changed)


def _as_indexed(
    old: SiteIndexFile, listing: site_index.Listing, same_files: bool, packed: bytes | None
) -> bool:
    """Whether every file of `listing` is as `old` indexed it, told from their statuses
    alone (`same_files`: the listing is the index's; `packed`: the statuses it holds):
    the same files, each status the same, every time well before the run that wrote it
    (the rule of `SiteIndexFile.fresh`, for all of them at once)."""
    if not old.written_ns or not same_files or packed is None:
        return False
    now = listing.packed()
    return (
        now is not None
        and now == packed
        and listing.newest_ns() < old.written_ns - site_index.RACY_NS
    )


def _answers_row(
    site: Site, relpath: str, now: site_index.Signature | None, started: int
) -> site_index.AnswersRow:
    """An answers file read afresh, as `read_all_recorded` reads it. Its version (what a
    page's verdict records of it) is its status: any write changes its ctime, save one in
    the clock tick it was read in, so a file written that lately has a version no verdict
    matches (its pages are judged again on the next run too)."""
    placed: RecordedDocument | str
    try:
        placed = read_recorded(site, relpath, placing_only=True)
    except UnusableAnswers as error:
        placed = str(error)
    settled = started - site_index.RACY_NS
    if now is None or now[1] >= settled or now[2] >= settled:
        return site_index.AnswersRow(now or (-1, -1, -1, -1), _NEVER_SAME, placed)
    return site_index.AnswersRow(now, "{}:{}:{}:{}".format(*now), placed)


class _IndexedRun:
    """One run of `check` with the index: the pages' rows brought up to date, the pages
    whose verdicts can have changed judged, the others' verdicts taken from the index."""

    def __init__(
        self,
        site: Site,
        kept: KeptIndex,
        listing: site_index.Listing,
        section_meta: SectionMeta,
        judges: Judges,
        numbered: _Numbered,
    ) -> None:
        self.site, self.kept, self.judges = site, kept, judges
        self.section_meta, self.numbered = section_meta, numbered
        self.listing, self.files, self.listed = listing, listing.files, listing.stated
        self.docs, self.root = os.fspath(site.docs_path), os.fspath(site.root)
        self.shown_docs = site.docs_dir.rstrip("/")
        self.tags_key = kept.new.tags_key = judges.block.tags_question
        if kept.old.tags_key != self.tags_key:  # the pages' tags are another question's
            kept.old = dataclasses.replace(
                kept.old, pages={}, files=frozenset(), file_list=None, table=None
            )
        # Each judge's digest by its number, worked out where a row asks for it: the
        # current one's as the index has it, when it stands (then no questionnaire is
        # loaded for it), and not at all where every row is keyed by the block's.
        self.judge_prints: dict[int, str] = {}
        # The version of each document's answers file (the last that places it); one pass.
        versions = site_index.versions_of(kept.new.answers)
        self.answers_of: dict[str, str] = {}
        for recorded in judges.recorded:
            self.answers_of[recorded.document] = versions.get(recorded.answers_relpath, _NEVER_SAME)
        self.rows: MutableMapping[str, PageRow] = {}
        self.signatures: Mapping[str, site_index.Signature] = {}
        # Nothing changed since the index was written: its rows stand as they are, each
        # verdict's judge and answers compared where the verdict is used.
        self.unchanged = False
        self.uncached: set[str] = set()  # pages the index cannot stand for (links, ...)
        # Anchors the rules read of pages whose rows this run has not made yet.
        self.anchors_read: dict[str, frozenset[str] | None] = {}

    def _judge_print(self, number: int) -> str:
        found = self.judge_prints.get(number)
        if found is None:
            judges = self.judges
            if number == 0:
                found = judges.judged_by
            else:
                found = site_index.fingerprint(_judged_by(self.numbered.others[number - 1]))
            self.judge_prints[number] = found
        return found

    def _judge_of(self, shown: str, row: PageRow) -> str:
        """The digest `row`'s verdict is to be keyed by now: the block's, where it read
        the block alone and the current questionnaire judges the page, else its judge's."""
        number = self.numbered.of(shown)
        if number == 0 and row.judge.startswith(BLOCK_ONLY):
            return self.judges.block_judged_by
        return self._judge_print(number)

    def refresh(self, explicit: bool) -> None:
        """Each page's row as the page is now: a page whose status changed is read again
        (its digest, tags and, where asked for, anchors); a verdict that can have changed
        is dropped, to be judged again."""
        old = self.kept.old
        table = old.table
        same = table is not None and self.listed == table.paths and self.files == old.file_list
        if table is not None and _as_indexed(old, self.listing, same, table.status):
            self.unchanged = True
            self.rows = old.pages
            if isinstance(old.pages, site_index.LazyRows):  # the same numbers: held once
                old.pages.signatures = self.listing.flat
            self.signatures = _Signatures(self.listing)
            return
        rows: dict[str, PageRow] = {}
        signatures: dict[str, site_index.Signature] = {}
        self.rows, self.signatures = rows, signatures
        files = frozenset(self.files)
        indexed = old.files if old.file_list is None else frozenset(old.file_list)
        changes = site_index.Changes(set(files.symmetric_difference(indexed)))
        for relpath, now in zip(self.listed, self.listing.signatures, strict=True):
            if now is None:  # a link: what it leads to may have changed unseen
                self.uncached.add(relpath)
                changes.anchors.add(relpath)
                changes.pages.add(relpath)
                continue
            signatures[relpath] = now
            row = old.pages.get(relpath)
            if row is None:  # new, or not indexed (unreadable): what it offers is news
                changes.anchors.add(relpath)
                changes.pages.add(relpath)
            if row is not None and old.fresh(row.signature, now):
                rows[relpath] = row
                continue
            self.kept.dirty = True
            if row is not None or explicit:
                read = self._read_row(relpath, now, row)
                if read is None:
                    self.uncached.add(relpath)
                    changes.anchors.add(relpath)
                    changes.pages.add(relpath)
                    continue
                if row is not None and read is not row:
                    changes.pages.add(relpath)
                    # Anchors never asked for are not known: a page that read them from
                    # the page itself is judged again too.
                    if not read.has_anchors or read.anchors != row.anchors:
                        changes.anchors.add(relpath)
                rows[relpath] = read
        for relpath, row in old.pages.items():
            if relpath not in rows:
                self.kept.dirty = True
                changes.pages.add(relpath)
                if row.has_anchors:
                    changes.anchors.add(relpath)
        if changes.came_or_went:
            self.kept.dirty = True
        for relpath, row in rows.items():
            if not row.judged:
                continue
            shown = f"{self.shown_docs}/{relpath}"
            answers = self.answers_of.get(shown, "")
            if answers == _NEVER_SAME or row.stale(changes, self._judge_of(shown, row), answers):
                row.forget()
                self.kept.dirty = True

    def _read_row(
        self, relpath: str, now: site_index.Signature, row: PageRow | None
    ) -> PageRow | None:
        """The row of a page read again (None: it cannot be read); its verdict kept only
        when its bytes are as indexed."""
        try:
            content = page_bytes(os.path.join(self.docs, relpath), self.root)
        except OSError:
            return None
        found = site_index.digest(content)
        if row is not None and row.digest == found:
            row.signature = now
            return row
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        tags = _raw_tags(text, self.tags_key)
        has_anchors = row is not None and row.has_anchors
        anchors = self._anchors(text) if has_anchors else None
        return PageRow(now, found, tags, anchors, has_anchors)

    def _anchors(self, text: str) -> frozenset[str] | None:
        return anchors_in(text.removeprefix("\ufeff"), self.site.profile.markdown)

    def _known_anchors(self, target: str) -> tuple[bool, frozenset[str] | None]:
        row = self.rows.get(target)
        if row is None or not row.has_anchors:
            return False, None
        return True, row.anchors

    def verdicts(
        self, tasks: list[tuple[str, PageRef, int]], registry: Registry, explicit: bool
    ) -> Generator[PageVerdict | Problem, None, None]:
        """Each task's verdict, in order: the index's where it holds, else judged; then
        the index kept for the next run."""
        self.refresh(explicit)
        to_judge = [task for task in tasks if not self._has_verdict(task[1])]
        judging = {id(page) for _, page, _ in to_judge}
        asked_files = AskedFiles(self.files)
        asked_documents = AskedFiles(self.listed)
        anchors_of, anchors_asked, anchors_read = site_index.asking_anchors(
            self._known_anchors, disk_anchors(self.site, self.site.profile.markdown)
        )
        listings_asked: set[str] = set()
        listing_from_disk = disk_listings(self.site, self.judges.site_wide)

        def listing_of(target: str) -> PageListing | None:
            listings_asked.add(target)
            return listing_from_disk(target)

        index = SiteIndex(
            asked_files,
            asked_documents,
            anchors_of,
            disk_recorded(self.site, self.judges.recorded),
            self.site.profile,
            self.section_meta,
            listing_of,
            # Only GW206, an optional rule, asks which pages link to a page, and a run
            # with an optional rule selected judges every page without the index.
            disk_links(self.site, self.judges.site_wide, self.listed),
        )

        @cache
        def context() -> _IndexedContext:
            """What pages are judged with: made where one is, the questionnaires loaded."""
            run = _judged_with(index, self.numbered.all(), registry, self.root)
            return _IndexedContext(
                run,
                asked_files,
                asked_documents,
                anchors_asked,
                anchors_read,
                listings_asked,
                self.tags_key,
                not self.section_meta.files,
            )

        results: Generator[_IndexedVerdict, None, None] = _none_judged()
        if to_judge:
            # Imported where pages are to be judged, for start-up speed: a run whose pages'
            # verdicts are all kept (one page, nothing changed) loads no worker pools.
            from guidewright.core.parallel import imap_with_context

            work = _loaded_for_workers(self.judges, to_judge)
            results = imap_with_context(
                _judged_for_the_index,
                context(),
                to_judge,
                minimum=PARALLEL_FROM_BYTES,
                work=work,
                first_here=True,
            )
        # In the tasks' order, as they come: each verdict let go once folded in (a kept one
        # is decoded for that moment only).
        with contextlib.closing(results) as stream:
            arriving = iter(stream)
            for task in tasks:
                _, page, number = task
                if id(page) in judging:
                    result = next(arriving)
                else:
                    kept = self.rows[page.in_docs].verdict()
                    if kept is not None:
                        yield _as_page_verdict(kept)
                        continue
                    result = _judged_for_the_index(context(), task)  # what was kept: no verdict
                self._keep(page, number, result)
                yield result.verdict
        self._save()

    def _cacheable(self, page: PageRef) -> bool:
        return (
            page.in_docs in self.signatures
            and page.in_docs not in self.uncached
            and page.shown == f"{self.shown_docs}/{page.in_docs}"
        )

    def _has_verdict(self, page: PageRef) -> bool:
        row = self.rows.get(page.in_docs) if self._cacheable(page) else None
        if row is None or not row.judged:
            return False
        if self.unchanged:  # `refresh` compared no row's judge and answers: done here
            answers = self.answers_of.get(page.shown, "")
            no_changes = site_index.Changes()
            judge = self._judge_of(page.shown, row)
            if answers == _NEVER_SAME or row.stale(no_changes, judge, answers):
                row.forget()
                self.kept.dirty = True
                return False
        return True

    def _keep(self, page: PageRef, number: int, result: _IndexedVerdict) -> None:
        """What the index keeps of a page just judged, and of the anchors it read."""
        for target, anchors in result.anchors_read:
            row = self.rows.get(target)
            if row is None:
                self.anchors_read.setdefault(target, anchors)  # its row is yet to be made
            elif not row.has_anchors:
                row.anchors, row.has_anchors = anchors, True
                self.kept.dirty = True
        verdict = result.verdict
        if not self._cacheable(page) or result.digest is None or isinstance(verdict, Problem):
            return
        kept = site_index.Verdict(
            verdict.problems,
            verdict.parsed,
            verdict.plain,
            verdict.read_by_python_markdown,
            verdict.judged_without,
        )
        try:  # kept as text: a run of 100,000 pages holds no page's findings as objects
            text = site_index.verdict_text(
                kept, result.files_asked, result.anchors_asked, result.listings_asked
            )
        except ValueError:  # a frontmatter value JSON cannot keep: judged on every run
            self.rows.pop(page.in_docs, None)
            self.uncached.add(page.in_docs)
            return
        old = self.rows.get(page.in_docs)
        row = PageRow(
            self.signatures[page.in_docs],
            result.digest,
            result.tags,
            None,
            False,
            self._judge_print(number)
            if number or result.read_questionnaire
            else self.judges.block_judged_by,
            self.answers_of.get(page.shown, ""),
            raw=text,
        )
        if old is not None and old.digest == result.digest:
            row.anchors, row.has_anchors = old.anchors, old.has_anchors
        elif page.in_docs in self.anchors_read:
            row.anchors, row.has_anchors = self.anchors_read.pop(page.in_docs), True
        self.rows[page.in_docs] = row
        self.kept.dirty = True

    def tag_lists(self) -> tuple[Counter[str] | None, list[object]]:
        """Each page's tags as `check PATHS` counts them: the index's (counted, where
        the index's count stands), and the pages it cannot stand for read."""
        rows, counted = self.rows, None
        if isinstance(rows, site_index.LazyRows):  # the index's tags, no row made for them
            counted = rows.tags_counted()
            lists: list[object] = [] if counted is not None else rows.tag_lists()
        else:
            lists = [row.tags for row in rows.values()]
        for relpath in self.uncached:
            try:
                text = page_text(os.path.join(self.docs, relpath), self.root)
            except (OSError, UnicodeDecodeError):
                continue
            lists.append(_raw_tags(text, self.tags_key))
        return counted, lists

    def _save(self) -> None:
        """The index written for the next run, when it says more than the one on disk."""
        judges = self.judges
        if judges.template_at is not None and judges.loaded is not None:
            # Loaded on the way (a template page judged): what stands for it kept too.
            _keep_current(self.kept, judges.template_at, judges.loaded)
        if not self.kept.dirty:
            return
        new = self.kept.new
        new.files = frozenset(self.files)
        new.pages = {
            relpath: row for relpath, row in self.rows.items() if relpath not in self.uncached
        }
        site_index.save(self.kept.path, new)


class _Signatures(Mapping[str, site_index.Signature]):
    """The pages' signatures of a listing by path, each found where it is asked for (the
    listing is sorted): a run of one page whose site did not change asks for one."""

    def __init__(self, listing: site_index.Listing) -> None:
        self.listing = listing

    def __getitem__(self, relpath: str) -> site_index.Signature:
        stated = self.listing.stated
        number = bisect.bisect_left(stated, relpath)
        if number == len(stated) or stated[number] != relpath:
            raise KeyError(relpath)
        found = self.listing.flat[4 * number : 4 * number + 4]
        if found[0] < 0:  # not indexable
            raise KeyError(relpath)
        return (found[0], found[1], found[2], found[3])

    def __iter__(self) -> Iterator[str]:
        pairs = zip(self.listing.stated, self.listing.signatures, strict=True)
        return (relpath for relpath, found in pairs if found is not None)

    def __len__(self) -> int:
        return len(self.listing.stated) - self.listing.unindexed


def _none_judged() -> Generator[_IndexedVerdict, None, None]:
    """The verdicts of a run that judges no page: none (a stream closed as any other)."""
    yield from ()


def _as_page_verdict(kept: site_index.Verdict) -> PageVerdict:
    return PageVerdict(
        kept.problems, kept.facts, kept.plain, kept.read_by_python_markdown, kept.judged_without
    )


def _judged_by(questionnaire: Questionnaire) -> object:
    """What of a questionnaire a page's verdict depends on (not where it was read from):
    its questions and settings, the template's files their expressions load, and the day
    where they read the clock (anything more, and the run's own token: never reused)."""
    # Imported here for start-up speed (it loads Jinja2): only a loaded questionnaire asks.
    from guidewright.copier_compat.expression_reads import files_loaded

    config = questionnaire.config
    loaded = files_loaded(questionnaire.jinja.env, (config.questions, config.settings))
    day = _day_read(questionnaire)
    written = (questionnaire.questions, questionnaire.block, config.questions, config.settings)
    return (*written, loaded, day)


def _day_read(questionnaire: Questionnaire) -> str | None:
    """The day the questionnaire's expressions read (None: they read no clock), or the
    run's own token where they read more (the time of day, randomness, a file)."""
    # Imported here for start-up speed (it loads Jinja2): only a loaded questionnaire asks.
    from guidewright.copier_compat.expression_reads import Outside, local_day

    outside = _outside_read(questionnaire)
    if outside is Outside.NOTHING:
        return None
    return local_day() if outside is Outside.DAY else _run_token()


def _outside_read(questionnaire: Questionnaire) -> Outside:
    """What the questionnaire's expressions, and the files they load, read beyond the
    answers (copier_compat/expression_reads.py): a validator comparing a date with today
    judges a page otherwise tomorrow, with no file changed."""
    # Imported here for start-up speed (it loads Jinja2): only a loaded questionnaire asks.
    from guidewright.copier_compat.expression_reads import kept_read_beyond

    kept = _OUTSIDE_READ.get(id(questionnaire))
    if kept is not None and kept[0] is questionnaire:
        return kept[1]
    config = questionnaire.config
    found = kept_read_beyond(questionnaire.jinja.env, _judging(config), config.settings)
    _OUTSIDE_READ.clear()  # one questionnaire's at a time: a run asks of one, a server
    _OUTSIDE_READ[id(questionnaire)] = (questionnaire, found)
    return found


def _run_token() -> str:
    """A token no other run makes: os.urandom, what `secrets` reads, without importing
    `secrets` (and `random`, `base64`, `hmac`) at start-up."""
    return os.urandom(16).hex()


def _judging(config: TemplateConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    """The questionnaire's expressions a page is judged with: its questions' settings and
    the template's settings, which name what the environment is made of (its options and
    extensions). Not the defaults: `check` judges what a page says, never a default (the
    bundled template's `last_updated` defaults to today, and no verdict reads it). A
    question written as its value alone is its default."""
    questions = {
        name: {key: value for key, value in settings.items() if key != "default"}
        for name, settings in config.questions.items()
        if isinstance(settings, dict)
    }
    return questions, config.settings


def _judged_with(
    index: SiteIndex, questionnaires: list[Questionnaire], registry: Registry, root: str
) -> _JudgedWith:
    """What pages are judged with, each questionnaire's expressions bounded by what they
    read all together (`_bound_reads`): the current one's where it is loaded."""
    for questionnaire in questionnaires:
        if not isinstance(questionnaire, _BlockFirst):  # not loaded for this, nor counted
            _bound_reads(questionnaire)
    return _JudgedWith(index, questionnaires, registry, root)


def _bound_reads(questionnaire: Questionnaire) -> None:
    """Where judging a value first works out what an expression reads, what the
    questionnaire's expressions read is read back (`_read_by_nothing`, 1 ms) rather than
    each worked out (some 35 ms for the bundled template's questions, in the process
    that judges the first page, or in each worker)."""
    questionnaire.jinja.reading_nothing(functools.partial(_read_by_nothing, questionnaire))


def _read_by_nothing(questionnaire: Questionnaire) -> Iterator[str]:
    """The expressions of the questionnaire that read nothing beyond their answers, as
    `_outside_read` tells it (kept in the cache folder): all those a page is judged with,
    or none where they read more."""
    if _outside_read(questionnaire):
        return iter(())
    return texts_in(_judging(questionnaire.config))


# `_outside_read`'s answer for the questionnaire last asked (kept with it: an id is only
# unique while its object lives); a run asks it for the digest more than once.
_OUTSIDE_READ: dict[int, tuple[Questionnaire, Outside]] = {}


@dataclass
class Judges:
    """Which questionnaire judges each document, and what the site-wide checks use. The
    current questionnaire is loaded on first use (`current`); until then, where the site
    index stands for it (`kept`), its block and digest are the index's."""

    loaded: Questionnaire | None  # the current questionnaire, once loaded
    by_document: dict[str, Questionnaire]  # relative to the site root; absent: the current
    warnings: list[Problem]
    recorded: list[RecordedDocument] = dataclasses.field(default_factory=list)
    unusable: list[UnusableAnswers] = dataclasses.field(default_factory=list)
    # The template's version pages are judged behind, and its repository (None: a folder
    # or the bundled template), which counts the releases between (`guidewright report`).
    newest: str | None = None
    repository: TemplateRepository | None = None
    load: Callable[[], Questionnaire] | None = None  # how `current` is loaded, once
    kept: KeptJudge | None = None  # what stands for it in the index (None: nothing)
    # Which template it is, for the index to keep what stands for it once loaded (a run
    # that read its block alone, `judges_for`'s `block_first`).
    template_at: TemplateAt | None = None
    _digest: str | None = None
    _block_digest: str | None = None
    _judging: Questionnaire | None = None
    _unloadable: GuidewrightError | None = None  # why `load` failed, raised again when asked

    @property
    def current(self) -> Questionnaire:
        """The current questionnaire, loaded now if it was not."""
        if self.loaded is None:
            assert self.load is not None  # a Judges is made with one or the other
            if self._unloadable is not None:
                raise self._unloadable
            try:
                self.loaded = self.load()
            except GuidewrightError as error:
                self._unloadable = error
                raise
        return self.loaded

    def loadable(self) -> Questionnaire | None:
        """The current questionnaire, loaded now if it was not; None where it does not
        load: for what a run does ahead of need (keying kept verdicts, warming workers),
        which must not stop a run that judges no page needing it. What does need it asks
        `current`, which raises the template's error."""
        try:
            return self.current
        except GuidewrightError:
            return None

    @property
    def block(self) -> Block:
        """The current questionnaire's block, as the index has it when it stands."""
        return self.kept.block if self.kept is not None else self.current.block

    @property
    def judged_by(self) -> str:
        """The digest of what the current questionnaire judges a page with (`_judged_by`)."""
        if self.kept is not None and self.kept.judged_by is not None:
            return self.kept.judged_by
        if self._digest is None:
            current = self.loadable()
            # A template that does not load judges nothing: no verdict, kept or to be
            # kept, is its (a page judged again raises its error where it needs it).
            self._digest = (
                "unloadable:" + _run_token()
                if current is None
                else site_index.fingerprint(_judged_by(current))
            )
        return self._digest

    @property
    def block_judged_by(self) -> str:
        """The digest of a verdict that read the current questionnaire's block alone (a
        plain page's): what its index row is keyed by, not the judges' digest, so that
        a run judging no template page need not load the questionnaire to key or to
        reuse it, and a change to the questions alone leaves it standing."""
        if self._block_digest is None:  # asked for each page's row: worked out once
            self._block_digest = BLOCK_ONLY + site_index.fingerprint(self.block)
        return self._block_digest

    @property
    def judging(self) -> Questionnaire:
        """What pages of the current questionnaire are judged with: where its block is
        known without it (`kept`), one that loads it only when a rule reads more than
        the block, counting such reads (`beyond_block_reads`)."""
        if self.kept is None:
            return self.current
        if self._judging is None:
            self._judging = cast("Questionnaire", _BlockFirst(self))
        return self._judging

    @property
    def site_wide(self) -> Questionnaire:
        """The current questionnaire as the site-wide rules read it (its block): the
        index's block until anything else of it is asked for."""
        if self.loaded is not None or self.kept is None:
            return self.current
        return cast("Questionnaire", _BlockFirst(self))


class _BlockFirst:
    """The current questionnaire, whose block is the index's (or read alone): anything
    else asked of it loads it (the site-wide rules ask for the block only), and is
    counted, so that a verdict tells whether it read more than the block."""

    def __init__(self, judges: Judges) -> None:
        self.block = judges.block
        self._judges = judges
        self.reads = 0  # how many times more than the block was asked for

    def __getattr__(self, name: str) -> Any:
        self.reads += 1
        return getattr(self._judges.current, name)


BLOCK_ONLY = "block:"  # the start of a block's digest (`Judges.block_judged_by`)


def beyond_block_reads(judge: Questionnaire) -> int | None:
    """How many times a verdict's judge was asked for more than its block (None: it is
    the questionnaire itself, which tells nothing of what was read)."""
    return judge.reads if isinstance(judge, _BlockFirst) else None


class _Numbered:
    """The questionnaires of a run by number, the current one 0 (loaded where a page is
    judged), and each document's."""

    def __init__(self, judges: Judges) -> None:
        self.judges = judges
        self.others: list[Questionnaire] = []
        self.numbers: dict[int, int] = {}
        for judge in judges.by_document.values():
            if judge is judges.loaded:
                self.numbers[id(judge)] = 0
            elif id(judge) not in self.numbers:
                self.numbers[id(judge)] = len(self.others) + 1
                self.others.append(judge)

    def of(self, shown: str) -> int:
        judge = self.judges.by_document.get(shown)
        return 0 if judge is None else self.numbers[id(judge)]

    def all(self) -> list[Questionnaire]:
        return [self.judges.judging, *self.others]


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the problems, how many documents it judged, and the pages
    without guidewright frontmatter (their links checked, nothing else)."""

    problems: list[Problem]
    checked: int
    without_frontmatter: list[str]
    # What the author should know of how the site was judged (one line each), and how
    # many pages' lists the site's own Python-Markdown read (the others: the quick model).
    notes: list[str] = dataclasses.field(default_factory=list)
    read_by_python_markdown: int = 0


def check_documents(
    site: Site,
    paths: list[Path] | None,
    today: dt.date,
    judges: Judges,
    registry: Registry = REGISTRY,
    kept: KeptIndex | None = None,
) -> CheckReport:
    """Every problem of the given pages (default: every Markdown page of the docs folder),
    found by the registry's rules; with `kept` (the index of the last run), only the pages
    whose findings can have changed are judged, and the index is kept for the next."""
    explicit = bool(paths)
    listing = None
    if kept is None:
        files = files_under(site.docs_path, "", skip_hidden=True)  # as site.documents(), all
        listed = [relpath for relpath in files if relpath.endswith(".md")]
    else:  # the same files, and each page's status on the way (one pass over the folders)
        listing = site_index.scan(os.fspath(site.docs_path), ".md", True, every_file=True)
        files, listed = listing.files, listing.stated
    section_meta = read_section_meta(site)
    numbered = _Numbered(judges)
    tasks = [
        (path, page, numbered.of(page.shown)) for path, page in pages_to_check(site, paths, listed)
    ]
    indexed = None
    if kept is None:
        index = SiteIndex(
            frozenset(files),
            frozenset(listed),
            disk_anchors(site, site.profile.markdown),
            disk_recorded(site, judges.recorded),
            site.profile,
            section_meta,
            disk_listings(site, judges.site_wide),
            disk_links(site, judges.site_wide, listed),
        )
        run = _judged_with(index, numbered.all(), registry, os.fspath(site.root))
        from guidewright.core.parallel import imap_with_context  # as in `verdicts`: start-up

        work = _loaded_for_workers(judges, tasks)
        results: Iterator[PageVerdict | Problem] = imap_with_context(
            _judged_for_the_site,
            run,
            tasks,
            minimum=PARALLEL_FROM_BYTES,
            work=work,
            first_here=True,
        )
    else:
        assert listing is not None  # made with `kept`
        indexed = _IndexedRun(site, kept, listing, section_meta, judges, numbered)
        results = indexed.verdicts(tasks, registry, explicit)
    # Each verdict is folded in as it arrives and let go: what is kept of a page is its
    # findings, its tags, and its name when it has no frontmatter.
    answered = frozenset(a.document for a in judges.recorded)
    site_wide = _SiteWide(today, judges.site_wide, answered, registry)
    problems, plain, counted = list(judges.warnings), [], 0
    read_whole, judged_without = 0, dict[str, list[str]]()
    # Closed on the way out, Ctrl-C included: the pages not begun are dropped there.
    with contextlib.closing(results) as verdicts:  # type: ignore[type-var]
        for (_, page, _), result in zip(tasks, verdicts, strict=True):
            verdict = result if isinstance(result, PageVerdict) else PageVerdict([result], None)
            problems += verdict.problems
            if verdict.parsed:
                problems += site_wide.take(page.shown, verdict.parsed)
            # Counted: every page judged, save the plain ones (unreadable pages count).
            counted += not verdict.plain
            read_whole += verdict.read_by_python_markdown
            for extension in verdict.judged_without:
                judged_without.setdefault(extension, []).append(page.shown)
            if verdict.plain and site.is_content_page(page.in_docs):
                plain.append(page.shown)
    # Counted once every verdict is in: the index is up to date by then.
    every_page = indexed.tag_lists() if indexed is not None and explicit else None
    problems += site_wide.tag_warnings(site, explicit, every_page)
    problems.extend(_housekeeping(site, explicit, judges))
    problems.extend(meta_problems(site, section_meta))
    notes = profile_notes(site.profile) + extension_notes(judged_without)
    return CheckReport(sorted(set(problems), key=_IN_ORDER), counted, plain, notes, read_whole)


def meta_problems(site: Site, section_meta: SectionMeta) -> list[Problem]:
    """GW002 on each section metadata file the meta plugin would stop the build on."""
    docs = site.docs_dir.rstrip("/")
    return [
        INVALID_FRONTMATTER.problem(
            f"{docs}/{bad.relpath}", bad.line, "frontmatter", bad.reason, bad.column
        )
        for bad in section_meta.unreadable
    ]


# Problem's own order (its fields in turn), as one key a finding: many times faster than
# comparing dataclasses pairwise when a site has thousands of findings.
_IN_ORDER = operator.attrgetter(*(field.name for field in dataclasses.fields(Problem)))

SHOWN_PAGES = 3  # pages named in a note, then a count


def extension_notes(judged_without: dict[str, list[str]]) -> list[str]:
    """One line per extension the site names that could not be loaded, with the pages
    whose lists were judged without it."""
    notes = []
    for extension, pages in sorted(judged_without.items()):
        shown = ", ".join(pages[:SHOWN_PAGES])
        more = f" and {len(pages) - SHOWN_PAGES} more" if len(pages) > SHOWN_PAGES else ""
        count = f"{len(pages)} page{'' if len(pages) == 1 else 's'}"
        notes.append(
            f"note: {extension} is not installed here (or is no Markdown extension guidewright "
            f"loads): the lists of {count} judged without it ({shown}{more})"
        )
    return notes


def profile_notes(profile: SiteProfile) -> list[str]:
    """What the site's configuration keeps `check` from judging, said once a run."""
    slugify = profile.markdown.slugify
    if slugify.known:
        return []
    return [
        f"note: {profile.config_file}: toc's slugify {slugify.name} is not one guidewright "
        "reproduces: links to headings' anchors are not judged"
    ]


def _housekeeping(site: Site, explicit: bool, judges: Judges) -> list[Problem]:
    """The warnings of the recorded answers themselves (a whole-site run only)."""
    problems: list[Problem] = []
    if explicit:
        return problems
    problems.extend(unusable(error) for error in judges.unusable)
    root = os.fspath(site.root)  # a string: one path made for each page of the site
    for recorded in judges.recorded:
        if not os.path.isfile(os.path.join(root, recorded.document)):
            problems.append(orphaned(recorded))
    return problems


def judges_for(
    site: Site,
    template: OpenTemplate,
    src: str,
    scratch: Path,
    site_template: str | None = None,
    kept: KeptIndex | None = None,
    block_first: bool = False,
) -> Judges:
    """Each recorded document's questionnaire: the version it records, else the current.
    `site_template`: the site's configured source, which pages recording another can move to;
    `kept`: the index, whose answers files stand for reading them all, and which may
    stand for the current questionnaire (then loaded only where a page is judged);
    `block_first`: where it does not and every document is judged by the current one,
    its block is read alone (`template_settings`) and the questionnaire loaded only where a
    page's rules read more of it (a template page), so that a run of plain pages imports
    no Jinja."""
    if kept is None:
        recorded, unusable_files = read_all_recorded(site, placing_only=True)
    else:
        recorded, unusable_files = kept.recorded, kept.unusable
    at = TemplateAt(src, template.version, os.fspath(template.folder), template.working_tree)
    standing = None
    by_current = all(_judged_by_current(answers, src, template.version) for answers in recorded)
    if kept is not None and kept.old.written_ns and by_current:
        standing = kept_questionnaire.standing(kept.old.judge, at, kept.old.written_ns)
    first_block = None
    if standing is None and block_first and by_current:
        settings = template_settings(template.folder)
        first_block = KeptJudge(None, read_block(settings))
        if kept is not None:  # the block's alone, for the next run not to read it again
            files = kept_questionnaire.files_read(at.folder, [])
            found = None if files is None else kept_questionnaire.entry(at, files, None, settings)
            kept.new.judge = found
            changed = found != kept.old.judge or _settled_since(kept, at, found)
            kept.dirty = kept.dirty or changed
    if standing is not None or first_block is not None:
        judges = Judges(None, {}, [], recorded, unusable_files, template.version)
        judges.load = functools.partial(_load_current, template.folder)
        judges.kept = standing or first_block
        if kept is not None and standing is not None:
            kept.new.judge = kept.old.judge
        if kept is not None and judges.kept is not None and judges.kept.judged_by is None:
            judges.template_at = at  # what stands for it kept whole once it is loaded
        judges.repository = template.repository
        judges.warnings = _version_warnings(
            recorded, src, template.version, RecordedSources(src, site_template), {}
        )
        return judges
    # Imported here for start-up speed (it loads Jinja2): a run whose verdicts are all
    # kept, and whose index stands for the questionnaire, reads no version of it.
    from guidewright.check.recorded_versions import RecordedQuestionnaires

    current = _load_current(template.folder)
    if kept is not None:
        _keep_current(kept, at, current)
    versions = RecordedQuestionnaires(
        current, src, template.version, scratch, template.working_tree
    )
    if template.repository is not None:
        versions.repositories[src] = template.repository
    by_document = {}
    fallbacks: dict[str, Problem] = {}
    for answers in recorded:
        judge, fallback = versions.for_document(answers.src_path, answers.commit)
        if judge is not current:  # the others are judged by the current one anyway
            by_document[answers.document] = judge
        if fallback:
            fallbacks[answers.document] = fallback.problem(answers.document)
    elsewhere = RecordedSources(src, site_template)  # pages of another source (issue 14)
    warnings = _version_warnings(recorded, src, template.version, elsewhere, fallbacks)
    return Judges(
        current,
        by_document,
        warnings,
        recorded,
        unusable_files,
        template.version,
        template.repository,
    )


def _judged_by_current(answers: RecordedDocument, src: str, version: str | None) -> bool:
    """Whether the current questionnaire judges a document, told without loading any
    (as `RecordedQuestionnaires.for_document` tells it first)."""
    return answers.commit is None or (answers.src_path == src and answers.commit == version)


def _load_current(folder: Path) -> Questionnaire:
    # Imported here for start-up speed: loading the questionnaire loads Jinja2.
    from guidewright.template.questionnaire import load_questionnaire

    questionnaire = load_questionnaire(folder)
    _bound_reads(questionnaire)
    return questionnaire


def _keep_current(kept: KeptIndex, at: TemplateAt, current: Questionnaire) -> None:
    """What stands for the loaded questionnaire kept in the index for the next run
    (nothing where what it reads cannot be told)."""
    config = current.config
    # Imported here for start-up speed: a run that keeps its questionnaire loads no Jinja2.
    from guidewright.copier_compat.confinement import judge_settings
    from guidewright.copier_compat.expression_reads import loaded_texts

    names = loaded_texts(current.jinja.env, (config.questions, config.settings))

    files = None
    # Nothing stands for judges reading the clock: their digest holds the day, which no
    # file's status tells, so such a questionnaire is loaded on every run.
    if names is not None and not _outside_read(current):
        # The path settings (`_subdirectory`, `_answers_file`, `_external_data`) are
        # refused where they lead through a link: each folder on their way is kept too,
        # so that a link swapped in is seen (those rendered from answers are judged on
        # their text, which copier.yml holds).
        try:
            paths = judge_settings(Path(at.folder), config.settings, current.jinja.env, None)
        except InvalidInput:
            paths = None
        if paths is not None:
            settings = [p.as_posix() for p in paths.values() if p.as_posix() not in ("", ".")]
            files = kept_questionnaire.files_read(at.folder, [*names, *settings])
    judged_by = site_index.fingerprint(_judged_by(current))
    found = None
    if files is not None:
        found = kept_questionnaire.entry(at, files, judged_by, config.settings)
    kept.new.judge = found
    if found != kept.old.judge or _settled_since(kept, at, found):
        kept.dirty = True


def _settled_since(kept: KeptIndex, at: TemplateAt, found: object) -> bool:
    """Whether what stands for the questionnaire (`found`, as this run read it) stood not
    as of the index's run, a file written within the clock's resolution of it, but does
    as of this one: the index written again as of this run then stands for it, where
    it would have been loaded on every run until the index was written for another
    reason (a run whose verdicts are all kept writes none)."""
    if found is None or not kept.old.written_ns:
        return False
    old = kept_questionnaire.standing(found, at, kept.old.written_ns)
    return old is None and kept_questionnaire.standing(found, at, kept.started) is not None


def _version_warnings(
    recorded: list[RecordedDocument],
    src: str,
    version: str | None,
    elsewhere: RecordedSources,
    fallbacks: Mapping[str, Problem],
) -> list[Problem]:
    """GW503 and its kin on each document: why it fell back to the current questionnaire,
    else that it records an older version (of this template, or of another source)."""
    warnings = []
    for answers in recorded:
        fallback = fallbacks.get(answers.document)
        if fallback:
            warnings.append(fallback)
        elif answers.src_path == src and answers.commit and version and answers.commit != version:
            message = (
                f"made with template version {answers.commit}; the newest is "
                f"{version}: run `guidewright update`"
            )
            warnings.append(older_version(answers.document, message))
        elif other := elsewhere.warning(answers.src_path, answers.commit):
            warnings.append(older_version(answers.document, other))
    return warnings


def check_site(
    site: Site,
    paths: list[Path] | None,
    today: dt.date,
    template_flag: str | None = None,
    registry: Registry = REGISTRY,
    use_index: bool = False,
) -> CheckReport:
    """`check_documents`, each document judged by the template version it records; with
    `use_index`, against the index the last run kept (the registry's own rules only: a
    site's or a test's own rule, or an optional rule selected, judges every page)."""
    kept = keep_index(site) if use_index and registry is REGISTRY else None
    with site_judges(site, template_flag, kept, block_first=True) as judges:
        return check_documents(site, paths, today, judges, registry, kept)


@contextlib.contextmanager
def site_judges(
    site: Site,
    template_flag: str | None = None,
    kept: KeptIndex | None = None,
    block_first: bool = False,
) -> Iterator[Judges]:
    """The site's judges (`judges_for`), its template open meanwhile: what `check` and the
    commands that judge answers as `check` does (`tags rename`) read the site with;
    `kept`: the index, whose answers files stand for reading them all; `block_first`:
    the questionnaire loaded only where a page needs more than its block."""
    source = resolve_template(template_flag, site)
    with (
        open_template(source) as template,
        tempfile.TemporaryDirectory(prefix="guidewright-check-") as scratch,
    ):
        configured = source.src if source.origin == CONFIG_RELPATH else None
        yield judges_for(
            site, template, source.recorded, Path(scratch), configured, kept, block_first
        )


def strict_findings(report: CheckReport) -> list[Problem]:
    """What --strict adds: each page without guidewright frontmatter is an error."""
    return [without_frontmatter(page) for page in report.without_frontmatter]
