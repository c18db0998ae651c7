"""Rules GW203 to GW205: the prerequisite graph. Each page's `prerequisites` (the question of
that name the template suggests from `site-documents`) are the pages to read first; read
together they are a graph that must lead somewhere: no cycle (A needs B needs A), no page
that needs itself, and every prerequisite a content page (an index or the tags page is
no lesson to read first).

A page's own prerequisites come from its text as judged; the other pages' from the site's
index (`SiteIndex.listing_of`: `check` reads them from disk on first need, the language
server from the pages it keeps current). A cycle is reported once, on its first page in
path order, naming every page of it. `reading_order` gives `guidewright path` a page's
prerequisites in the order to read them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule

if TYPE_CHECKING:  # annotations only: importing it loads Jinja2 (start-up speed)
    from guidewright.template.questionnaire import Questionnaire


PREREQUISITES = "prerequisites"  # the question whose documents are read first

Successors = Callable[[str], Iterable[str]]


def prerequisites_key(questionnaire: Questionnaire) -> str | None:
    """The template's prerequisites question, when it lists site documents (None: none)."""
    suggested = questionnaire.block.suggestions.get(PREREQUISITES)
    return PREREQUISITES if suggested == "site-documents" else None


def listed_prerequisites(value: Any) -> tuple[str, ...]:
    """The documents a prerequisites value lists (its well-formed texts, each once)."""
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(item for item in value if isinstance(item, str) and item))


def knot(start: str, successors: Successors) -> list[str]:
    """The pages that lie on a cycle with `start` (its strongly connected component), in
    path order; [start] alone when none does. A page listing itself is no cycle here."""
    reached, ahead, edges = {start}, [start], dict[str, list[str]]()
    while ahead:  # every page `start` leads to, and the edges among them
        page = ahead.pop()
        edges[page] = [s for s in successors(page) if s != page]
        for following in edges[page]:
            if following not in reached:
                reached.add(following)
                ahead.append(following)
    leading_back: dict[str, list[str]] = {page: [] for page in edges}
    for page, targets in edges.items():
        for target in targets:
            leading_back[target].append(page)
    back, ahead = {start}, [start]
    while ahead:  # those of them that lead back to `start`
        for before in leading_back[ahead.pop()]:
            if before not in back:
                back.add(before)
                ahead.append(before)
    return sorted(back)


def shortest_cycle(start: str, successors: Successors, within: set[str]) -> list[str]:
    """The pages of a shortest cycle from `start` back to it, through `within` only."""
    came_from: dict[str, str] = {}
    ahead = deque([start])
    while ahead:
        page = ahead.popleft()
        for following in successors(page):
            if following == start and page != start:
                path = [page]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if following in within and following not in came_from and following != start:
                came_from[following] = page
                ahead.append(following)
    return [start]


class CycleFound(Exception):
    """The prerequisites of a page lead round in a circle: these pages, in order."""

    def __init__(self, pages: list[str]) -> None:
        super().__init__(" → ".join([*pages, pages[0]]))
        self.pages = pages


def reading_order(start: str, successors: Successors) -> list[str]:
    """Every page `start` needs, each after all it needs itself, and `start` last: a
    topological order of its prerequisites (their listed order kept where the graph leaves
    a choice). Raises CycleFound when they lead round in a circle."""
    order: list[str] = []
    done: set[str] = set()
    # Depth first without recursion (a chain of thousands of pages needs no deep stack):
    # each entry a page on the path and what of its prerequisites is left to visit.
    path: list[tuple[str, Iterator[str]]] = [(start, iter(successors(start)))]
    on_path = {start}
    while path:
        page, left = path[-1]
        needed = next((n for n in left if n != page and n not in done), None)
        if needed is None:
            path.pop()
            on_path.discard(page)
            done.add(page)
            order.append(page)
        elif needed in on_path:
            pages = [p for p, _ in path]
            raise CycleFound(pages[pages.index(needed) :])
        else:
            path.append((needed, iter(successors(needed))))
            on_path.add(needed)
    return order


def _graph_problems(page: PageUnderCheck) -> list[Problem]:
    parsed = page.frontmatter
    assert parsed is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    key = prerequisites_key(page.questionnaire)
    own = listed_prerequisites(parsed.data.get(key)) if key else ()
    if not key or not own:
        return []
    line, shown, here, index = (
        parsed.key_lines.get(key, 1),
        page.page.shown,
        page.page.in_docs,
        page.index,
    )
    found = []
    for target in own:
        if target == here:
            message = f"{target} is this page itself: a page is no prerequisite of its own"
            found.append(SELF_PREREQUISITE.problem(shown, line, key, message))
            continue
        listing = index.listing_of(target) if target in index.documents else None
        if listing is not None and not listing.content:
            message = (
                f"{target} is not a content page (an index, the tags page or a page without "
                "the template's frontmatter): list the pages to read before this one"
            )
            found.append(NOT_CONTENT_PREREQUISITE.problem(shown, line, key, message))

    def successors(node: str) -> tuple[str, ...]:
        if node == here:
            return own
        listing = index.listing_of(node) if node in index.documents else None
        return listing.prerequisites if listing is not None else ()

    # A cycle through this page leaves it by a prerequisite that has some of its own:
    # where none has (most pages), there is no knot to look for.
    if not any(successors(target) for target in own if target != here):
        return found
    pages = knot(here, successors)
    if len(pages) > 1 and pages[0] == here:  # reported once: on its first page
        cycle = shortest_cycle(here, successors, set(pages))
        others = [p for p in pages if p not in cycle]
        message = f"prerequisites form a cycle: {' → '.join([*cycle, here])}"
        if others:
            message += f"; in the same knot: {', '.join(others)}"
        found.append(PREREQUISITE_CYCLE.problem(shown, line, key, message))
    return found


def _unlinked_problems(page: PageUnderCheck) -> list[Problem]:
    """GW206: a content page no other page links to or lists."""
    parsed = page.frontmatter
    assert parsed is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    here = page.page.in_docs
    listing = page.index.listing_of(here)
    if listing is None or not listing.content:
        return []  # not a content page of the docs folder (or not known)
    linking = page.index.linked_from(here)
    if linking is None or linking - {here}:
        return []
    type_key = page.questionnaire.block.type_question
    message = (
        "no page links to it or lists it (prerequisites, related content): readers reach "
        "it only through the navigation or search"
    )
    return [
        UNLINKED_PAGE.problem(page.page.shown, parsed.key_lines.get(type_key, 1), type_key, message)
    ]


FAMILY = "prerequisites"
GRAPH = PageDetector(Reads.FRONTMATTER, _graph_problems)

PREREQUISITE_CYCLE = Rule(
    code="GW203",
    name="prerequisite-cycle",
    severity=ERROR,
    summary="prerequisites that lead round in a circle (A needs B needs A)",
    why=(
        "A reader who follows the prerequisites never arrives: no page of the cycle can be "
        "read first, and `guidewright path` has no reading order to give. The finding is "
        "on the cycle's first page in path order and names every page of it; remove the "
        "prerequisite that points back."
    ),
    example=(
        '```markdown\n---\n# docs/coding/a.md\nprerequisites: ["coding/b.md"]\n---\n```\n\n'
        "with `coding/b.md` listing `coding/c.md` and `coding/c.md` listing `coding/a.md`: "
        "`prerequisites: prerequisites form a cycle: coding/a.md → coding/b.md → "
        "coding/c.md → coding/a.md`"
    ),
    family=FAMILY,
    detector=GRAPH,
)

NOT_CONTENT_PREREQUISITE = Rule(
    code="GW204",
    name="prerequisite-not-content",
    severity=WARNING,
    summary="a prerequisite that is not a content page (an index, the tags page)",
    why=(
        "A prerequisite is a lesson to read first. A section's index, the tags page or a "
        "page without the template's frontmatter teaches nothing of its own and has no "
        "prerequisites to follow, so the reading order stops there. Content pages are "
        "those the site configuration's `not_content` globs do not name."
    ),
    example=(
        '```markdown\n---\nprerequisites: ["fundamentals/index.md"]\n---\n```\n\n'
        "`prerequisites: fundamentals/index.md is not a content page ...`"
    ),
    family=FAMILY,
    detector=GRAPH,
    optional=True,  # a section's index is a prerequisite on many sites: theirs to turn on
)

SELF_PREREQUISITE = Rule(
    code="GW205",
    name="self-prerequisite",
    severity=ERROR,
    summary="a page that lists itself among its prerequisites",
    why="A page cannot be read before itself; the entry is a slip (most often a copy's).",
    example=('```markdown\n---\n# docs/coding/a.md\nprerequisites: ["coding/a.md"]\n---\n```'),
    family=FAMILY,
    detector=GRAPH,
)

UNLINKED_PAGE = Rule(
    code="GW206",
    name="unlinked-page",
    severity=WARNING,
    summary="a content page no other page links to or lists",
    why=(
        "A lesson nothing leads to is found only by browsing the navigation or searching: "
        "no other page links to it, lists it among its prerequisites or its related "
        "content. Link it from the pages it follows, or list it. Optional: on a site that "
        "relies on its navigation, every new page is one."
    ),
    example=(
        "A page `docs/coding/tries.md` that no page's Markdown links to and no page's "
        "`prerequisites` or `related_content` lists: `content_type: no page links to it "
        "or lists it ...`"
    ),
    family=FAMILY,
    detector=PageDetector(Reads.FRONTMATTER, _unlinked_problems),
    optional=True,
)
