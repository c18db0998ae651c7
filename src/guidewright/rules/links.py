"""Rules GW201, GW202 and GW207: a page's links and anchors as MkDocs sees them, read from
the page's Markdown outline, the documents its frontmatter lists, and the pages whose
reference links could not all be read.

MkDocs (Python-Markdown) checks the `href` of every link and the `src` of every image its
Markdown makes, not text in code or raw HTML; a reference link (`[text][ref]` with
`[ref]: page.md`) is a link like any other. The Markdown is read by `pyromark.read` (one
parser, admonitions read as the block quotes they render like); this module applies
MkDocs' rules to what it finds: toc's heading ids and what makes a link broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.markdown.slugs import HeadingSlug, heading_slug, unique_id
from guidewright.rules.engine_links import why_broken
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule
from guidewright.site.init_config import init_profile
from guidewright.site.profile import SiteProfile

if TYPE_CHECKING:
    from guidewright.markdown import pyromark

_HTML_ID = re.compile(r"""<[^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']""")
# attr_list's rule for a heading (Python-Markdown has expanded tabs to blanks by then): blanks,
# then `{...}` or `{:...}` ending it; greedy, so `{#a} {#b}` is one list, which does not parse.
_ATTR_LIST = re.compile(r"[ \t]+\{:?[ ]*([^}\n ][^\n]*)\}[ ]*$")
# Its scanner's words: key="value", key='value', key=value, .class, #id, bare word; blanks.
_ATTR_WORD = re.compile(r"""[^ =}]+=".*?"|[^ =}]+='.*?'|[^ =}]+=[^ =}]+|[^ =}]+| """)
# A site whose configuration names no Markdown: Python-Markdown's toc as it comes.
PLAIN_MARKDOWN = MarkdownProfile()


@dataclass(frozen=True)
class Link:
    """A link or image target in a page, where the author wrote it."""

    target: str
    line: int  # 1-based, in the page
    column: int  # 1-based, in characters: the link's opening bracket (an image's `!`)


@dataclass(frozen=True)
class BrokenLink:
    """A link MkDocs would warn about, and why."""

    link: Link
    reason: str


@dataclass(frozen=True)
class ParsedPage:
    """What a page links to, and the anchors it offers."""

    links: list[Link]
    anchors: frozenset[str] | None  # None: ids from a slugify guidewright cannot reproduce
    # The last reference link read of a page whose references expand past what the
    # parser resolves (pyromark.Outline.references_unread): those after it are unread.
    references_unread: Link | None = None


def parse_page(
    body: str,
    first_line: int,
    with_anchors: bool | None = True,
    markdown: MarkdownProfile = PLAIN_MARKDOWN,
) -> ParsedPage:
    """The links and anchors of a page's Markdown (`body` starts at line `first_line`),
    its headings' ids made as the site's `markdown` makes them; `with_anchors=False` skips
    the anchors, `None` reads them only where a link within the page needs them (`](#` or
    `]: #` in the text reads them at once; any other, say `](<#part>)`, reads the page
    again)."""
    if with_anchors is None:
        with_anchors = "(#" in body or ": #" in body
        first = parse_page(body, first_line, with_anchors, markdown)
        if with_anchors or not any(_within_page(link.target) for link in first.links):
            return first
        return parse_page(body, first_line, True, markdown)
    from guidewright.markdown import pyromark  # start-up: a run whose verdicts are kept reads none

    outline = pyromark.read(body, headings=with_anchors, list_items=False)
    shift = first_line - 1
    found = [
        Link(link.target, link.start.line + shift, link.start.column) for link in outline.links
    ]
    texts = tuple(heading.text for heading in outline.headings)
    anchors = _anchors(body, texts, markdown) if with_anchors else frozenset()
    cut = outline.references_unread
    unread = None if cut is None else Link(cut.target, cut.start.line + shift, cut.start.column)
    return ParsedPage(found, anchors, unread)


def _within_page(target: str) -> bool:
    """`#part` or `?q#part`: a link to an anchor of the page itself."""
    return "#" in target and not target.split("#", 1)[0].split("?", 1)[0]


def heading_ids(headings: tuple[pyromark.Heading, ...], slug: HeadingSlug) -> list[str]:
    """Each heading's id, as attr_list and toc give them (see `ids_of_headings`)."""
    return ids_of_headings([heading.text for heading in headings], slug)


def ids_of_headings(texts: Sequence[str], slug: HeadingSlug) -> list[str]:
    """The id of each heading whose text is in `texts`, as attr_list and toc give them: the
    heading's own `{#id}`, else its text made an id by the site's `slug` and made unique
    (`_1`, `_2`, ...) against every id before it and every own id of the page."""
    read = [_attr_list(text) for text in texts]
    used = {anchor for _, anchor in read if anchor is not None}
    # toc slugifies the heading's text with its blanks collapsed (toc.strip_tags): the
    # default slugify would collapse them again, pymdownx's makes a separator of each.
    return [anchor or unique_id(slug(" ".join(text.split())), used) for text, anchor in read]


def _attr_list(text: str) -> tuple[str, str | None]:
    """A heading's text without its attr_list, and the id that list gives (if any)."""
    found = _ATTR_LIST.search(text) if "{" in text else None  # most headings have none
    if not found:
        return text, None
    attributes, position, anchor = found.group(1), 0, None
    while word := _ATTR_WORD.match(attributes, position):
        position = word.end()
        if word.group().startswith("#"):
            anchor = word.group()[1:]
        elif word.group().startswith("id="):
            anchor = word.group()[3:].strip("\"'")
    if "}" in attributes[position:]:
        return text, None  # text after a closing brace: attr_list leaves the heading alone
    return text[: found.start()], anchor


def page_anchors(body: str, markdown: MarkdownProfile = PLAIN_MARKDOWN) -> frozenset[str] | None:
    """The anchors a page's Markdown `body` offers to links from other pages (None: ids
    from a slugify guidewright cannot reproduce): its headings' texts alone are read, not
    its links (`pyromark.heading_texts`: a quarter of `parse_page`'s cost on a long
    hand-written page)."""
    from guidewright.markdown import pyromark  # start-up: a run whose verdicts are kept reads none

    return _anchors(body, pyromark.heading_texts(body), markdown)


def _anchors(
    source: str, headings: tuple[str, ...], markdown: MarkdownProfile
) -> frozenset[str] | None:
    """The ids of raw HTML and of the headings whose texts are `headings`."""
    anchors = set(_HTML_ID.findall(source)) if ("id=" in source or "name=" in source) else set()
    if not headings:
        return frozenset(anchors)
    slug = heading_slug(markdown)
    if slug is None:
        return None  # the site's own slugify: its headings' ids are not known here
    return frozenset(anchors.union(ids_of_headings(headings, slug)))


def may_link(body: str) -> bool:
    """Whether `body` can hold a link at all (most bodies are skipped unparsed)."""
    return "](" in body or "]:" in body or "![" in body


def broken_links(
    page: str,
    parsed: ParsedPage,
    files: frozenset[str],
    anchors_of: Callable[[str], frozenset[str] | None],
    profile: SiteProfile | None = None,
) -> list[BrokenLink]:
    """Links of `page` (relative to the docs folder) that the site's engine would fail a
    strict build on (`profile`: the site's; None: as `init` configures one), given the
    docs folder's `files` and a way to read another page's anchors."""
    judged = profile or init_profile()
    broken = []
    for link in parsed.links:
        reason = why_broken(page, link.target, parsed.anchors, files, anchors_of, judged)
        if reason:
            broken.append(BrokenLink(link, reason))
    return broken


def links_fine(
    page: str,
    body: str,
    files: frozenset[str],
    anchors_of: Callable[[str], frozenset[str] | None],
    profile: SiteProfile | None = None,
) -> bool:
    """True when no link of `body` is broken, told from its targets alone
    (`pyromark.link_targets`), positions unread; False: `parse_page` and `broken_links` say
    which are (a link within the page, whose anchors only a whole reading gives, included)."""
    from guidewright.markdown import pyromark  # start-up: a run whose verdicts are kept reads none

    targets = pyromark.link_targets(body)
    if targets is None:
        return False
    # A link within the page finds no anchor in the empty set: the page is read whole.
    judged, none = profile or init_profile(), frozenset[str]()
    return not any(why_broken(page, t, none, files, anchors_of, judged) for t in targets)


def link_problems(page: PageUnderCheck) -> list[Problem]:
    """GW201: links MkDocs would warn about: missing pages and files, anchors, the docs
    folder left."""
    body, index = page.body, page.index
    in_docs, profile = page.page.in_docs, index.profile
    if not may_link(body) or links_fine(in_docs, body, index.files, index.anchors_of, profile):
        return []  # most pages: their links read from the HTML, no position needed
    # Anchors read where a link needs them, the headings' ids as the site makes them.
    parsed = parse_page(body, page.first_line, with_anchors=None, markdown=profile.markdown)
    found = [
        BROKEN_LINK.problem(
            page.page.shown,
            broken.link.line,
            "link",
            f"{broken.link.target} {broken.reason}",
            column=broken.link.column,
        )
        for broken in broken_links(in_docs, parsed, index.files, index.anchors_of, profile)
    ]
    unread = parsed.references_unread
    if unread is not None:
        # start-up: a run whose verdicts are kept reads none
        from guidewright.markdown import pyromark

        ceiling = pyromark.EXPANSION_CEILING >> 20
        message = (
            "the reference links after this one are not checked: this page's reference "
            "links copy more of their definitions than guidewright reads (at most "
            f"{ceiling} MiB; MkDocs reads them all)"
        )
        shown = page.page.shown
        found.append(
            REFERENCES_UNCHECKED.problem(shown, unread.line, "link", message, unread.column)
        )
    return found


def listed_document_problems(page: PageUnderCheck) -> list[Problem]:
    """GW202: each document a `site-documents` question lists (prerequisites, related
    content) that is not a page of the docs folder. A malformed path is the question's to
    report (GW101); here: does it exist?"""
    parsed = page.frontmatter
    assert parsed is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    problems = []
    for key, source in page.questionnaire.block.suggestions.items():
        value = parsed.data.get(key)
        if source != "site-documents" or not isinstance(value, list):
            continue
        for path in value:
            if isinstance(path, str) and path not in page.index.documents and not _malformed(path):
                message = f"{path} is not a document of the docs folder"
                line, shown = parsed.key_lines[key], page.page.shown
                problems.append(MISSING_LISTED_DOCUMENT.problem(shown, line, key, message))
    return problems


def _malformed(path: str) -> bool:
    return path.startswith("/") or ".." in path.split("/") or not path.endswith(".md")


FAMILY = "links"

BROKEN_LINK = Rule(
    code="GW201",
    name="broken-link",
    severity=ERROR,
    summary="a link to a page or file that does not exist",
    why=(
        "`mkdocs build --strict` fails on it, and readers land on a 404. A link is broken, "
        "as MkDocs says, when its target (URL-decoded) is not a file of the docs folder, "
        "leaves the docs folder, is a folder rather than a page, or names an anchor no "
        "heading or `id` of the target page has, each as the site's `validation: links:` "
        "settings say (a link starting with `/` by `absolute_links`; on a Zensical site "
        "only page links, each relative to its page), the headings' ids made by the "
        "site's own toc slugify. Links in code are not links; reference links are. "
        "Every page is read for them, with guidewright frontmatter or not; the "
        "editor's quick fix points the link at the closest page or anchor."
    ),
    example=(
        "```markdown\nSee [the plan](plan.md) and [its risks](design.md#risks).\n```\n\n"
        "`link: plan.md does not exist`"
    ),
    family=FAMILY,
    detector=PageDetector(Reads.BODY, link_problems),
)

MISSING_LISTED_DOCUMENT = Rule(
    code="GW202",
    name="missing-listed-document",
    severity=ERROR,
    summary="a listed document (prerequisites, related content) that does not exist",
    why=(
        "The theme links each listed document; one that is not a page of the docs folder "
        "is a broken link on the published page."
    ),
    example=(
        '```markdown\n---\ncontent_type: "guide"\nprerequisites: ["fundamentals/gone.md"]\n---\n```'
    ),
    family=FAMILY,
    detector=PageDetector(Reads.FRONTMATTER, listed_document_problems),
)

REFERENCES_UNCHECKED = Rule(
    code="GW207",
    name="references-unchecked",
    severity=WARNING,
    summary="a page whose reference links copy so much that the later ones go unchecked",
    why=(
        "Each use of a reference link (`[text][ref]`, `[text][]`, `[ref]`) copies its "
        "definition's target and title into the page. guidewright's Markdown reader "
        "follows them, as MkDocs does, until they have copied between 8 and 16 MiB, and "
        "reads the later ones as text: a broken link among them (GW201) would go "
        "unreported. The "
        "finding is on the last reference link read. No written page comes near it; a "
        "generated one can: split it, or use inline links for the long targets."
    ),
    example=(
        "```markdown\n[u1][r] [u2][r] … [u2000][r] [broken][b]\n\n[r]: (a 10,000-character "
        "target)\n[b]: missing.md\n```\n\n`link: the reference links after this one are "
        "not checked: …`"
    ),
    family=FAMILY,
    detector=PageDetector(Reads.BODY, link_problems),
)
