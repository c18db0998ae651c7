"""The site as the language server knows it: read once at start, then kept current page by
page from the editor's changes and from files changed on disk, so that a keystroke judges
one page and never re-reads the site. Judging itself is `check`'s (check/page_check.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidewright.check.page_check import anchors_in, check_page, page_warnings
from guidewright.check.site_check import Judges, disk_recorded, judges_for, keep_index
from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.links import PLAIN_MARKDOWN
from guidewright.rules.page import PageListing, PageRef, SiteIndex
from guidewright.rules.prerequisites import PREREQUISITES, listed_prerequisites, prerequisites_key
from guidewright.rules.problems import Problem
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.site.answers_files import RecordedDocument, read_all_recorded
from guidewright.site.pages import page_text
from guidewright.site.section_meta import SectionMeta, read_section_meta
from guidewright.site.site import ANSWERS_DIR, CONFIG_RELPATH, Site, files_under
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import open_template, resolve_template

UNREAD = frozenset({"\0unread"})  # anchors not read yet: read from disk on first need


@dataclass(slots=True)  # slots: the server holds one for every page of the site
class PageFacts:
    """What other pages need of one page: its anchors, and the few keys of its frontmatter
    the index offers (content type, title, tags; see `index_keys`) when it is ours."""

    anchors: frozenset[str] | None  # None: it cannot be read; UNREAD: not needed yet
    data: dict[str, Any] | None  # None: no guidewright frontmatter, or unreadable


@dataclass
class LiveSite:
    """The site's index, kept current: files, each page's facts, the tags in use."""

    site: Site
    judges: Judges
    files: set[str]
    pages: dict[str, PageFacts]  # by path in the docs folder
    tags_used: Counter[str] = field(default_factory=Counter)  # by pages only
    answered: frozenset[str] = frozenset()
    recorded: list[RecordedDocument] = field(default_factory=list)
    # The judges made again from the answers files as they are now (open_live_site's).
    rejudge: Callable[[], Judges] | None = None
    section_meta: SectionMeta = field(default_factory=SectionMeta)  # re-read as they change
    _index: SiteIndex | None = None
    _titles: list[tuple[str, str]] | None = None  # `titles()`, until a page's title moves
    _closing: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    _answers_seen: tuple[tuple[str, int], ...] = ()

    @property
    def questionnaire(self) -> Questionnaire:
        return self.judges.current

    def judge_of(self, in_docs: str) -> Questionnaire:
        """The questionnaire of the version the page records, else the current one."""
        return self.judges.by_document.get(self.shown(in_docs), self.judges.current)

    def shown(self, in_docs: str) -> str:
        return f"{self.site.docs_dir.rstrip('/')}/{in_docs}"

    def in_docs(self, path: Path) -> str | None:
        """`path`'s place in the docs folder, None when it is not a page of it."""
        try:
            relpath = path.resolve().relative_to(self.site.docs_path.resolve()).as_posix()
        except (ValueError, OSError):
            return None
        hidden = any(part.startswith(".") for part in relpath.split("/"))
        return None if hidden or not relpath.endswith(".md") else relpath

    def index(self) -> SiteIndex:
        if self._index is None:
            documents = frozenset(self.pages)
            # Recorded answers are read from disk at each look: `update` may rewrite them.
            recorded_of = disk_recorded(self.site, self.recorded)
            self._index = SiteIndex(
                frozenset(self.files),
                documents,
                self._anchors_of,
                recorded_of,
                self.site.profile,
                self.section_meta,
                self._listing_of,
            )
        return self._index

    def _listing_of(self, target: str) -> PageListing | None:
        """A page's place in the prerequisite graph, from the facts kept current."""
        facts = self.pages.get(target)
        if facts is None:
            return None
        data = facts.data
        if data is None:
            return PageListing(content=False)
        title = data.get("title")
        return PageListing(
            self.site.is_content_page(target),
            listed_prerequisites(data.get(PREREQUISITES)),
            title if isinstance(title, str) else None,
        )

    def _anchors_of(self, target: str) -> frozenset[str] | None:
        """A page's anchors; those of a page no editor changed are read on first need, as
        `check` reads them: most pages are never linked with an anchor."""
        facts = self.pages.get(target)
        if facts is None:
            return None
        if facts.anchors is UNREAD:
            text = read_page(self.site.docs_path / target, self.site)
            facts.anchors = None if text is None else anchors_in(text, self.site.profile.markdown)
        return facts.anchors

    def problems(
        self, in_docs: str, text: str, today: dt.date, registry: Registry = REGISTRY
    ) -> list[Problem]:
        """Every finding `check` gives for this page, with this text, by `registry`'s rules."""
        shown, questionnaire = self.shown(in_docs), self.judge_of(in_docs)
        page = PageRef(shown, in_docs)
        verdict = check_page(page, text, self.index(), questionnaire, registry)
        found = list(verdict.problems)
        if verdict.parsed is not None:
            tags_key = self.judges.current.block.tags_question
            used = self.tag_counts() if tags_key else None
            current = self.judges.current
            found += page_warnings(
                shown, verdict.parsed, today, used, current, self.answered, registry
            )
        found += [p for p in self.judges.warnings if p.path == shown]
        return sorted(set(found))

    def update(self, in_docs: str, text: str | None) -> bool:
        """Take in a page's new text (None: the page is gone). True when what other pages
        are judged by changed (its anchors, its tags, whether it exists)."""
        old = self.pages.get(in_docs)
        if text is None:
            if old is None:
                return False
            self._titles = None
            del self.pages[in_docs]
            self.files.discard(in_docs)
            self._count_tags(old, -1)
            self._index = None
            return True
        new = facts_of(text, self.questionnaire, self.site.profile.markdown)
        self.pages[in_docs] = new
        if old is None or self._titled(old) != self._titled(new):
            self._titles = None
        if old is None:
            self.files.add(in_docs)
            self._index = None
            # A new page (`guidewright new` run beside the editor) comes with its answers.
            self.answers_changed()
        else:
            self._count_tags(old, -1)
        self._count_tags(new, +1)
        if old is None:
            return True
        # Anchors never read: no page's finding used them yet, yet one may now.
        unread = old.anchors is UNREAD
        return (
            unread
            or old.anchors != new.anchors
            or self._tags(old) != self._tags(new)
            or _prerequisites(old) != _prerequisites(new)  # the graph other pages are judged by
        )

    def file_changed(self, in_docs: str | None, path: Path, exists: bool) -> bool:
        """A file of the docs folder created, changed or deleted on disk."""
        if path.name == self.site.profile.meta_file:  # a section's metadata: every page's
            self.section_meta = read_section_meta(self.site)
            self._index = None
            return True
        if in_docs is None:  # not a page: an image, say; only its existence matters
            try:
                relpath = path.resolve().relative_to(self.site.docs_path.resolve()).as_posix()
            except (ValueError, OSError):
                return False
            had = relpath in self.files
            (self.files.add if exists else self.files.discard)(relpath)
            self._index = None
            return had != exists
        return self.update(in_docs, read_page(path, self.site) if exists else None)

    def answers_changed(self) -> bool:
        """Read the answers files again when they changed on disk since last read (as
        `update` or `new` writes them, or git checks them out: each replaces files,
        which changes their folders): the versions pages record, and the warnings that
        say which are behind, are the files' again. True when they were read again."""
        seen = answers_folders(self.site)
        if seen == self._answers_seen:
            return False
        self._answers_seen = seen
        self.reread_answers()
        return True

    def template_changed(self) -> bool:
        """Whether a file the current questionnaire was read from changed since (the
        author edits a local template's copier.yml, or a file its validators import): the
        site is then read again, as for a change to its configuration."""
        loaded = self.judges.loaded
        return loaded is not None and not load_questionnaire.as_read(loaded)

    def reread_answers(self) -> None:
        """The recorded answers and their judges, from the files as they are now."""
        if self.rejudge is not None:
            self.judges = self.rejudge()
            self.recorded = self.judges.recorded
        else:
            self.recorded = read_all_recorded(self.site, placing_only=True)[0]
        self.answered = frozenset(a.document for a in self.recorded)
        self._index = None

    def _tags(self, facts: PageFacts) -> set[str]:
        key = self.questionnaire.block.tags_question
        tags = facts.data.get(key) if facts.data is not None and key else None
        return {t for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()

    def _count_tags(self, facts: PageFacts, sign: int) -> None:
        for tag in self._tags(facts):
            self.tags_used[tag] += sign
            if self.tags_used[tag] <= 0:
                del self.tags_used[tag]

    def tag_counts(self, besides: str | None = None) -> Counter[str]:
        """How many pages use each tag, the configuration's tags counting once (as `check`);
        with `besides`, that page's own tags left out (a tag being typed is no site tag)."""
        counts = Counter({tag: 1 for tag in self.site.config.tags})
        counts.update(self.tags_used)
        own = self.pages.get(besides) if besides else None
        if own is not None:
            counts.subtract(self._tags(own))
        return +counts

    def _titled(self, facts: PageFacts) -> tuple[Any, Any]:
        """What `titles()` reads of a page: its content type and title."""
        data = facts.data or {}
        return data.get(self.questionnaire.block.type_question), data.get("title")

    def titles(self) -> list[tuple[str, str]]:
        """(path in the docs folder, title) of each content page, as the wizard offers them;
        made again only when a page comes, goes, or changes its title or content type (the
        editor asks on each keystroke in a prerequisites list)."""
        if self._titles is None:
            self._titles = self._content_titles()
        return self._titles

    def _content_titles(self) -> list[tuple[str, str]]:
        type_key = self.questionnaire.block.type_question
        found = []
        for relpath, facts in sorted(self.pages.items()):
            data = facts.data
            if data is None or type_key not in data or not self.site.is_content_page(relpath):
                continue
            title = data.get("title")
            found.append((relpath, title if isinstance(title, str) and title else relpath))
        return found

    def close(self) -> None:
        self._closing.close()


def _prerequisites(facts: PageFacts) -> object:
    return facts.data.get(PREREQUISITES) if facts.data is not None else None


def answers_folders(site: Site) -> tuple[tuple[str, int], ...]:
    """Each folder of the site's answers files with its modification time: a file
    created, replaced or removed there changes it, so comparing these tells a change
    without reading a file (one stat a folder; a site has a few section folders)."""
    found = []
    for folder, _, _ in os.walk(site.root / ANSWERS_DIR):
        with contextlib.suppress(OSError):
            found.append((folder, os.stat(folder).st_mtime_ns))
    return tuple(found)


def read_page(path: Path, site: Site) -> str | None:
    """A page's text from disk, None when it cannot be read as UTF-8 (or is refused: a
    FIFO, a device, a link out of the site, a page over the size limit)."""
    try:
        return page_text(path, site.root)
    except (OSError, UnicodeDecodeError):
        return None


def facts_of(
    text: str | None,
    questionnaire: Questionnaire,
    markdown: MarkdownProfile = PLAIN_MARKDOWN,
    anchors: bool = True,
) -> PageFacts:
    """A page's facts, its headings' ids made as the site's `markdown` makes them; with
    `anchors` False, its anchors are left to be read on need."""
    if text is None:
        return PageFacts(None, None)
    try:
        parsed = frontmatter.parse(text)
    except FrontmatterError:
        parsed = None
    ours = parsed is not None and questionnaire.block.type_question in parsed.data
    offered = anchors_in(text, markdown) if anchors else UNREAD
    return PageFacts(offered, index_keys(parsed.data, questionnaire) if parsed and ours else None)


def index_keys(data: dict[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    """Of a page's frontmatter, what the index reads (its content type, title, tags and
    prerequisites): the whole frontmatter of 100,000 pages would hold the site's answers
    in memory. Texts a site repeats (a content type, a tag) are held once."""
    block = questionnaire.block
    kept = {}
    for key in (
        block.type_question,
        "title",
        block.tags_question,
        prerequisites_key(questionnaire),
    ):
        if key and key in data:
            value = data[key]
            if type(value) is str and key != "title":
                value = sys.intern(value)
            elif type(value) is list:
                value = [sys.intern(v) if type(v) is str else v for v in value]
            kept[key] = value
    return kept


def open_live_site(site: Site, template_flag: str | None = None) -> LiveSite:
    """Read the site once: every page's facts, the template and each recorded version."""
    closing = contextlib.ExitStack()
    try:
        source = resolve_template(template_flag, site)
        template = closing.enter_context(open_template(source))
        scratch = closing.enter_context(tempfile.TemporaryDirectory(prefix="guidewright-lsp-"))
        configured = source.src if source.origin == CONFIG_RELPATH else None

        def rejudge() -> Judges:
            # A folder of its own each time: the recorded versions' clones are made there.
            workdir = Path(tempfile.mkdtemp(prefix="judges-", dir=scratch))
            # The answers files as `check`'s index has them: only those changed are read.
            kept = keep_index(site)
            return judges_for(site, template, source.recorded, workdir, configured, kept)

        seen = answers_folders(site)
        judges = rejudge()
    except BaseException:
        closing.close()
        raise
    files = files_under(site.docs_path, "", skip_hidden=True)
    pages = {
        relpath: facts_of(
            read_page(site.docs_path / relpath, site), judges.current, site.profile.markdown, False
        )
        for relpath in files
        if relpath.endswith(".md")
    }
    live = LiveSite(site, judges, set(files), pages, rejudge=rejudge, _closing=closing)
    live.recorded = judges.recorded
    live.section_meta = read_section_meta(site)
    live.answered = frozenset(a.document for a in judges.recorded)
    live._answers_seen = seen
    for facts in pages.values():
        live._count_tags(facts, +1)
    return live
