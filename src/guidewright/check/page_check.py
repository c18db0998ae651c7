"""The check of ONE page: given its text and a site index, every finding of that page.

The library both fronts call: `check` over the whole site (spreading pages over cores) and
`guidewright lsp` as the author types. Plain data in and out: no process-wide state, no
file read, no printing; where another page is needed (its anchors), the index says. The
rules are the registry's (rules/registry.py): this module reads the page as far as it can
and hands it to the registry's detectors. A run whose verdicts all come from the site index
imports it for `PageVerdict` and the site-wide warnings only: nothing here imports a page
rule's family before a page is read (start-up).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidewright.core.errors import FrontmatterError
from guidewright.markdown import frontmatter
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.page import PageInSite, PageRef, PageUnderCheck, SiteIndex
from guidewright.rules.problems import Problem
from guidewright.rules.reading import INVALID_FRONTMATTER
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.rule import Reads
from guidewright.site.section_meta import Effective

if TYPE_CHECKING:  # annotations only: importing it loads Jinja2 (start-up speed)
    from guidewright.template.questionnaire import Questionnaire


@dataclass(frozen=True)
class PageVerdict:
    """The findings of one page, and what the site-wide checks need of it."""

    problems: list[Problem]
    parsed: frontmatter.Frontmatter | None  # ours, without its body; None: not ours
    plain: bool = False  # no guidewright frontmatter: only its links and lists were checked
    # Its lists read by the site's Python-Markdown (not the quick model), and the site's
    # extensions it shows that could not be loaded (judged without them).
    read_by_python_markdown: bool = False
    judged_without: tuple[str, ...] = ()


def check_page(
    page: PageRef,
    text: str,
    index: SiteIndex,
    questionnaire: Questionnaire,
    registry: Registry = REGISTRY,
) -> PageVerdict:
    """Every finding of `page`, whose text is `text`, judged by `questionnaire` with the
    registry's page detectors (the site-wide warnings: `page_warnings`)."""
    try:
        parsed: frontmatter.Frontmatter | None = frontmatter.parse(text)
    except FrontmatterError as error:
        # Judged no further than its text: its frontmatter is no answer to anything.
        unread = PageUnderCheck(page, text, text, 1, None, index, questionnaire)
        found = INVALID_FRONTMATTER.problem(
            page.shown, error.line, "frontmatter", str(error), error.column
        )
        return PageVerdict([found, *registry.page_problems(unread, Reads.TEXT)], None)
    body, first_line = (text, 1) if parsed is None else (parsed.body, parsed.body_line)
    if parsed is None or questionnaire.block.type_question not in parsed.data:
        plain = PageUnderCheck(page, text, body, first_line, None, index, questionnaire)
        verdict = PageVerdict(registry.page_problems(plain, Reads.BODY), None, plain=True)
        return _with_lists_read(verdict, plain)
    effective = _section_meta(page, parsed, index)
    stops = []
    if effective is not None:  # judged as the meta plugin gives it to the build
        if effective.conflict:
            stops.append(
                INVALID_FRONTMATTER.problem(page.shown, 1, "frontmatter", effective.conflict)
            )
        parsed = dataclasses.replace(parsed, data=effective.data)
    ours = PageUnderCheck(page, text, body, first_line, parsed, index, questionnaire)
    problems = stops + _where_set(registry.page_problems(ours, Reads.FRONTMATTER), page, effective)
    return _with_lists_read(PageVerdict(problems, dataclasses.replace(parsed, body="")), ours)


def _section_meta(
    page: PageRef, parsed: frontmatter.Frontmatter, index: SiteIndex
) -> Effective | None:
    """The page's frontmatter as the meta plugin merges it (None: no metadata reaches it,
    or the page is outside the docs folder)."""
    if page.in_docs.startswith("../") or not index.section_meta.files:
        return None
    return index.section_meta.effective(page.in_docs, parsed.data)


def _where_set(
    problems: list[Problem], page: PageRef, effective: Effective | None
) -> list[Problem]:
    """Each finding on a value the page inherits, pointed at the metadata file's line."""
    if effective is None or not effective.inherited:
        return problems
    docs = page.shown[: len(page.shown) - len(page.in_docs)]
    moved = []
    for problem in problems:
        place = effective.inherited.get(problem.field)
        if place is not None and problem.code != "GW102":
            problem = dataclasses.replace(problem, path=f"{docs}{place[0]}", line=place[1])
        moved.append(problem)
    return moved


def _with_lists_read(verdict: PageVerdict, page: PageUnderCheck) -> PageVerdict:
    """The verdict, saying how its lists were read (counted and noted by a run), as the
    list rule found when it ran (`PageUnderCheck.lists_read_by_site`)."""
    site = page.lists_read_by_site
    if site is None:
        return verdict
    return dataclasses.replace(
        verdict, read_by_python_markdown=True, judged_without=site.judged_without(page.body)
    )


def anchors_in(text: str, markdown: MarkdownProfile | None = None) -> frozenset[str] | None:
    """The anchors a page's text offers to links from other pages, its headings' ids made
    as the site's `markdown` makes them (None: plain Markdown's) (None: they cannot be
    known)."""
    # Start-up: the link rules' family only where a page is read (rules/registry.py).
    from guidewright.rules.links import PLAIN_MARKDOWN, page_anchors

    try:
        parts = frontmatter.split(text)
    except FrontmatterError:
        parts = None
    return page_anchors(parts[1] if parts else text, markdown or PLAIN_MARKDOWN)


def site_facts(
    parsed: frontmatter.Frontmatter, questionnaire: Questionnaire
) -> frontmatter.Frontmatter:
    """What `page_warnings` reads of a page's frontmatter (its review date and tags, and
    their lines), no body: all a whole-site run needs to keep of a page it has judged."""
    block = questionnaire.block
    keys = [k for k in (block.review_date, block.tags_question) if k and k in parsed.data]
    return frontmatter.Frontmatter(
        {k: parsed.data[k] for k in keys},
        {k: parsed.key_lines[k] for k in keys if k in parsed.key_lines},
        "",
        parsed.body_line,
        parsed.end_line,
    )


def page_warnings(
    shown: str,
    parsed: frontmatter.Frontmatter,
    today: dt.date,
    tags_used: Counter[str] | None,
    questionnaire: Questionnaire,
    answered: AbstractSet[str],
    registry: Registry = REGISTRY,
) -> list[Problem]:
    """The findings of one of our pages that need the site, by the registry's site
    detectors: a review date passed, a tag no other page uses (none when `tags_used` is
    None), no recorded answers (`answered`: documents with answers)."""
    page = PageInSite(shown, parsed, today, tags_used, questionnaire, answered)
    return registry.site_problems(page)
