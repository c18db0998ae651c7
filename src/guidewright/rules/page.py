"""A page as the rules read it: the page, its text split into frontmatter and body, and
what the rest of the site offers (`SiteIndex`). Plain data: `check` builds it from disk,
the language server from the editor's text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from guidewright.site.init_config import init_profile
from guidewright.site.profile import SiteProfile
from guidewright.site.section_meta import SectionMeta

if TYPE_CHECKING:  # annotations only: the list rule's benchmark imports it bare
    from guidewright.core.errors import UnusableAnswers
    from guidewright.markdown.frontmatter import Frontmatter
    from guidewright.markdown.site_markdown import SiteMarkdown
    from guidewright.template.questionnaire import Questionnaire


@dataclass(frozen=True, slots=True)  # slots: a run may hold one for every page
class PageListing:
    """What the prerequisite graph (rules/prerequisites.py) reads of another page."""

    content: bool  # a content page: guidewright frontmatter, and no `not_content` glob names it
    prerequisites: tuple[str, ...] = ()  # as it lists them, in the docs folder
    title: str | None = None


@dataclass(frozen=True)
class SiteIndex:
    """What judging one page needs to know of the rest of the site."""

    files: frozenset[str]  # every file of the docs folder, relative to it
    documents: frozenset[str]  # its Markdown pages
    anchors_of: Callable[[str], frozenset[str] | None]  # None: that page cannot be read
    # A page's recorded answers, by its path from the site root: None when it has none,
    # UnusableAnswers when its answers file cannot be read in full.
    recorded_of: Callable[[str], Mapping[str, Any] | UnusableAnswers | None] = lambda shown: None
    # What the site's engine makes of its pages (its configuration, read once a run).
    profile: SiteProfile = field(default_factory=init_profile)
    # Its sections' metadata files (the meta plugin's), read once a run.
    section_meta: SectionMeta = field(default_factory=SectionMeta)
    # Another page's place in the prerequisite graph, by its path in the docs folder (None:
    # no such page, or it cannot be read).
    listing_of: Callable[[str], PageListing | None] = lambda in_docs: None
    # The pages that link to a page or list it (prerequisites, related content), by its
    # path in the docs folder; None: not known (the language server does not gather them).
    linked_from: Callable[[str], frozenset[str] | None] = lambda in_docs: None

    @cached_property  # asked for each page: found once
    def site_markdown(self) -> SiteMarkdown:
        """The site's own Python-Markdown, for the pages the quick list model cannot read."""
        # Imported here for start-up speed: a run whose verdicts are all kept reads no list.
        from guidewright.markdown.site_markdown import site_markdown

        return site_markdown(self.profile.markdown)


@dataclass(frozen=True, slots=True)  # slots: a whole-site run holds one for every page
class PageRef:
    """A page being judged: how findings name it, and where it sits in the docs folder."""

    shown: str  # relative to the site root
    in_docs: str  # relative to the docs folder ("../x.md" for a page outside it)


@dataclass(frozen=True)
class PageUnderCheck:
    """What a page detector (rule.PageDetector) reads of one page."""

    page: PageRef
    text: str  # the whole page
    body: str  # its Markdown after the frontmatter (the whole text when it has none)
    first_line: int  # the body's first line in the page
    frontmatter: Frontmatter | None  # guidewright's (Reads.FRONTMATTER), else None
    index: SiteIndex
    questionnaire: Questionnaire  # the one of the template version the page records

    @cached_property
    def lists_read_by_site(self) -> SiteMarkdown | None:
        """The site's Python-Markdown when it reads this page's lists (None: the quick
        model does): asked once a page, for the list rule and for the run's count."""
        site = self.index.site_markdown
        return site if site.reads(self.body) else None

    @cached_property
    def recorded(self) -> Mapping[str, Any] | UnusableAnswers | None:
        """The page's recorded answers (see `SiteIndex.recorded_of`), read once for every
        rule that compares with them."""
        return self.index.recorded_of(self.page.shown)


@dataclass(frozen=True)
class PageInSite:
    """What a site detector (rule.SiteDetector) reads of one page with guidewright
    frontmatter: what `check` keeps of each page until the site is read (its review date
    and tags, check/page_check.site_facts), and the site's facts."""

    shown: str  # relative to the site root
    facts: Frontmatter  # its review date and tags, and their lines; no body
    today: dt.date
    tags_used: Counter[str] | None  # pages using each tag; None: not counted yet
    questionnaire: Questionnaire  # the current template's
    answered: AbstractSet[str]  # documents with recorded answers
