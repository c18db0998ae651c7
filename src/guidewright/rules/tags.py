"""Rule GW402: a tag no other page uses and the site's `tags` do not list.

A tag used once is most often a slip of a known one ("cachng"); the finding names the known
tag it most likely means (template/normalise.py's rule, shared with the wizard). Counting
needs every page: `check` keeps each page's tags until the site is read
(check/site_check.py); the language server keeps the counts current.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping

from guidewright.rules.page import PageInSite
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.rule import Rule, SiteDetector


def tag_use(
    known: Iterable[str], tag_lists: Iterable[object], counted: Mapping[str, int] | None = None
) -> Counter[str]:
    """How many pages use each tag (`tag_lists`: each page's tags value; `counted`: pages
    counted already, as `pages_using` counts them); the site's listed tags count once."""
    use: Counter[str] = Counter({tag: 1 for tag in known})
    use.update(counted or {})
    use.update(pages_using(tag_lists))
    return use


def pages_using(tag_lists: Iterable[object]) -> Counter[str]:
    """How many of the pages use each tag (`tag_lists`: each page's tags value; a tag a
    page repeats counts once), in the order of the tags' first pages."""
    each_page = (
        {t for t in tags if isinstance(t, str)}
        for tags in tag_lists
        if isinstance(tags, (list, tuple))
    )
    # One update of every page's tags: a `check PATHS` run counts 10,000 pages' tags.
    return Counter(itertools.chain.from_iterable(each_page))


def likely_slip(tag: object, tags_used: Counter[str]) -> str | None:
    """The known tag a page's tag that GW402 reports most likely is a slip of (None: no
    finding, or no known tag close to it): what the rename the finding names renames it to
    (`tags_used`: `tag_use` of the site)."""
    if not isinstance(tag, str) or tags_used[tag] > 1:  # listed, or another page's too
        return None
    # Start-up: the wizard's tag rule only where a tag is alone (a run of one page whose
    # tags other pages use never needs it).
    from guidewright.template.normalise import likely_meant, unlisted_tag_problem

    if unlisted_tag_problem(tag, tags_used) is None:
        return None
    return likely_meant(tag, [t for t in tags_used if t != tag])


def lone_tag_warnings(
    shown: str, line: int, tags: object, tags_used: Counter[str], tags_key: str
) -> list[Problem]:
    """GW402 for each of a page's tags (`tags`: its tags value, on `line`) that no other
    page uses and the configuration does not list (`tags_used`: `tag_use` of the site)."""
    found = []
    for tag in tags if isinstance(tags, list | tuple) else []:
        alone = isinstance(tag, str) and tags_used[tag] <= 1  # not listed, no other page's
        if not alone:
            continue
        from guidewright.template.normalise import unlisted_tag_problem  # start-up: above

        message = unlisted_tag_problem(tag, tags_used)
        meant = likely_slip(tag, tags_used) if message else None
        if message and meant:
            # One page's slip is fixed on that page; the command renames it everywhere
            # (every page, its answers, the configurations) when more are meant.
            message += f" (to rename it: guidewright tags rename {tag} {meant})"
        if message:
            found.append(LONE_TAG.problem(shown, line, tags_key, message))
    return found


def _lone_tags_of_page(page: PageInSite) -> list[Problem]:
    tags_key = page.questionnaire.block.tags_question
    if page.tags_used is None or not tags_key:
        return []  # not counted yet: `check` judges the tags once every page is read
    line = page.facts.key_lines.get(tags_key, 1)
    tags = page.facts.data.get(tags_key)
    return lone_tag_warnings(page.shown, line, tags, page.tags_used, tags_key)


LONE_TAG = Rule(
    code="GW402",
    name="lone-tag",
    severity=WARNING,
    summary="a tag no other document uses (with the known tag it most likely means)",
    why=(
        "Tags group pages on the tags page and in search; a tag one page uses groups "
        "nothing, and is most often a slip of a known one. A tag meant to be new is made "
        "known by listing it in the site configuration's `tags`. While a site has fewer "
        "than 5 tags, only a likely slip is reported."
    ),
    example=(
        '```markdown\n---\ncontent_type: "guide"\ntags: ["aws", "cachng"]\n---\n```\n\n'
        "`tags: 'cachng' is new to this site; did you mean 'caching'? (to rename it: "
        "guidewright tags rename cachng caching)`"
    ),
    family="tags",
    detector=SiteDetector(_lone_tags_of_page),
)
