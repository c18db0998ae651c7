"""Links and anchors of a page, as `check` reads them (unit tests of rules/links.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidewright.core.errors import FrontmatterError
from guidewright.markdown import pyromark
from guidewright.markdown.admonitions import as_commonmark
from guidewright.markdown.pyromark import link_targets
from guidewright.markdown.slugs import heading_slug
from guidewright.rules.links import PLAIN_MARKDOWN, broken_links, links_fine, parse_page


def targets(body: str) -> list[tuple[str, int, int]]:
    return [(link.target, link.line, link.column) for link in parse_page(body, 1).links]


def test_links_code_and_references() -> None:
    body = (
        "# Title\n\nSee [a](a.md), `[b](b.md)` and ![c](c.png).\n\n"
        "    [indented](code.md)\n\n```\n[fenced](code.md)\n```\n\n"
        "A [reference][r].\n\n[r]: d.md#part\n"
    )
    assert targets(body) == [("a.md", 3, 5), ("c.png", 3, 32), ("d.md#part", 11, 3)]


def test_columns_count_characters_not_bytes() -> None:
    assert targets("Café 東京 [x](y.md)\n") == [("y.md", 1, 9)]


def test_admonition_content_is_not_code_and_keeps_its_place() -> None:
    body = '!!! note "Title [also](a-link.md)"\n\n    See [inside](in.md).\n\nAfter.\n'
    converted = as_commonmark(body)
    assert [len(line) for line in converted.split("\n")] == [len(line) for line in body.split("\n")]
    # The title is inline Markdown, as Python-Markdown reads it.
    assert targets(body) == [("a-link.md", 1, 17), ("in.md", 3, 9)]


def test_heading_anchors_are_python_markdowns() -> None:
    page = parse_page("# Café Crème!\n\n## Part\n\n## Part\n\n## Own {#mine}\n", 1)
    assert page.anchors == {"cafe-creme", "part", "part_1", "mine"}
    slug = heading_slug(PLAIN_MARKDOWN)
    assert slug is not None
    assert slug("Hello,   World — 2") == "hello-world-2"


def test_what_mkdocs_calls_broken() -> None:
    page = parse_page(
        "[ok](b.md#part) [gone](nope.md) [up](../../x.md) [dir](sub/) [anchor](b.md#none) "
        "[self](#none) [web](https://x.org/y.md) [abs](/y.md) [space](my%20page.md)\n",
        1,
    )
    files = frozenset({"a/b.md", "a/my page.md"})
    found = broken_links("a/a.md", page, files, lambda target: frozenset({"part"}))
    assert [(b.link.target, b.reason.split(" ")[0]) for b in found] == [
        ("nope.md", "does"),
        ("../../x.md", "leaves"),
        ("sub/", "is"),
        ("b.md#none", "matches"),
        ("#none", "matches"),
    ]


def test_a_page_the_former_parser_panicked_on_is_read() -> None:
    # markdown-it-pyrs 0.4.0 panicked on `[` followed by an unclosed backtick.
    assert targets("[`a\n\nThen [a link](there.md).\n") == [("there.md", 3, 6)]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("[]()!#:*`~>- \n\t\r\x00aé東/.%?{}<>\"'=|")), max_size=200))
def test_any_text_parses_with_positions_inside_it(body: str) -> None:
    page = parse_page(body, 5)
    for link in page.links:
        assert 5 <= link.line <= 5 + body.count("\n") + body.count("\r")
        assert link.column >= 0
    broken_links("a.md", page, frozenset({"a.md"}), lambda target: None)


# ---- frontmatter, read as MkDocs reads it (differential against mkdocs.utils.meta) ----------

OPENINGS = ["---", "--- ", "---\t", "----", " ---", "--"]
CLOSINGS = ["---", "...", "--- ", "...\t", "----", "....", " ---"]
LINES = ["title: x", "a: 1", "", "b: [1, 2]", "c: 'd'", "# comment"]


# framed_texts' strategies, made once rather than at every draw (Hypothesis caches no
# `sampled_from` of a list): the same examples for a seed, at less CPU.
KEY_LINES = st.lists(st.sampled_from(LINES), max_size=4, unique=True)
OPENING, CLOSING = st.sampled_from(OPENINGS), st.sampled_from(CLOSINGS)
BODIES = st.sampled_from(["", "\n", "# Body\n", "\n\ntext", "---\nmore\n"])
ENDINGS = st.sampled_from(["\n", ""])


@st.composite
def framed_texts(draw: st.DrawFn) -> str:
    keys = draw(KEY_LINES)
    parts = [draw(OPENING), *keys, draw(CLOSING)]
    body = draw(BODIES)
    ending = draw(ENDINGS)
    return "\n".join(parts) + ending + body


@pytest.mark.differential
@settings(max_examples=500, deadline=None)
@given(framed_texts(), st.booleans())
def test_frontmatter_is_what_mkdocs_reads(text: str, crlf: bool) -> None:
    from mkdocs.utils.meta import YAML_RE, get_data

    from guidewright.markdown import frontmatter

    written = text.replace("\n", "\r\n") if crlf else text
    their_body, their_data = get_data(text)  # MkDocs reads with universal newlines
    try:
        ours = frontmatter.parse(written)
    except FrontmatterError:
        ours = None
        assert not their_data  # we report what MkDocs silently reads as no frontmatter
    if YAML_RE.match(text) and their_data:
        assert ours is not None and ours.data == their_data
        assert ours.body.replace("\r\n", "\n").lstrip("\n") == their_body
    elif ours is not None:
        assert ours.data == {}  # an empty mapping reads as none in both


def test_links_fine_is_told_from_the_targets_alone() -> None:
    files = frozenset({"a/b.md", "a/x&y.md", "a/it's.md"})
    offered = {"a/b.md": frozenset({"part"})}

    def fine(body: str) -> bool:
        return links_fine("a/a.md", body, files, offered.get)

    assert fine("[b](b.md#part) [e](<x&y.md>) [q](<it's.md>) <https://x.org>\n")
    assert not fine("[web](https://x.org/a%20b)\n")  # `%`: the writer's, or the author's?
    assert not fine("[gone](nope.md)\n")
    assert not fine("[b](b.md#none)\n")  # another page's anchor, read as it is
    # Where the targets alone cannot say, the page is read whole (`parse_page`):
    assert not fine("[self](#part)\n")  # this page's anchors
    # An image: its alt text may hide a link, which the HTML renders as text.
    assert not fine("![a [gone](nope.md) b](b.md)\n")
    assert broken_links("a/a.md", parse_page("![a [gone](nope.md)](b.md)\n", 1), files, offered.get)
    assert not fine('!!! note "A [b](b.md) title"\n\n    Text.\n')  # a title's link
    # Raw HTML's <a href> is no link of MkDocs': it may only send the page to a whole reading.
    assert fine('<a href="b.md">b</a> [b](b.md)\n')
    assert not fine('<a href="nope.md">b</a>\n')
    assert not broken_links(
        "a/a.md", parse_page('<a href="nope.md">b</a>\n', 1), files, offered.get
    )


LINKISH = [
    *"[]()!#:*`~>- \n\t\\<\"'&%",
    "[t](b.md)",
    "[t](b.md#part)",
    "[t](nope.md)",
    "(#part)",
    "[t](<x&y.md>)",
    "[t](<it's.md>)",
    "[t](<a b.md>)",
    "[t](?q#part)",
    "[t](a%20b.md)",
    "[t](é.md)",
    "[r]",
    "[r]: b.md\n",
    "[r]: nope.md\n",
    "<https://x.org>",
    "<a@b.c>",
    "[w](https://x.org/é%20)",
    "![a [t](nope.md)](b.md)",
    "![a ![i](c.png)](b.md)",
    '\n!!! tip "See [t](nope.md)"\n',
    '<a href="b.md">',
    "![i](b.md)",
    "    ",
    "!!! note ",
    '!!! note "',
    '<!-- <a href="/ -->',
    "<b title='<a href=\"http://x'>",
    '<div><img src="/',
    '<a href="https://[h]/">',
    "[t](https://[h]/)",
    "[t](<#part>)",
    "```\n",
    "\n\n",
    "# Part\n",
    "&amp;",
    "&#x27;",
]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(LINKISH), max_size=60).map("".join),
    st.sets(st.sampled_from(["a/b.md", "a/x&y.md", "a/it's.md", "a/a b.md", "a/é.md"])),
)
def test_links_fine_never_hides_a_broken_link(body: str, present: set[str]) -> None:
    """The quick test against the whole reading: where it finds every link fine,
    `broken_links` finds none; and the targets it reads hold every link's."""
    files = frozenset(present)
    offered = {"a/b.md": frozenset({"part"})}
    if links_fine("a/a.md", body, files, offered.get):
        assert broken_links("a/a.md", parse_page(body, 1), files, offered.get) == []
    quick = link_targets(body)
    if quick is not None:
        assert {link.target for link in parse_page(body, 1).links} <= set(quick)


def test_raw_html_with_a_quote_left_open_hides_no_link() -> None:
    # Its match would run on into the next link's `<a href="`: the HTML cannot say.
    for body in (
        '<!-- <a href="/ -->\n[t](nope.md)\n',
        "<b title='<a href=\"http://x'> [t](nope.md)\n",
    ):
        assert link_targets(body) is None
        assert not links_fine("a/a.md", body, frozenset(), lambda target: None)


def test_a_url_python_cannot_split_is_a_broken_link_not_a_crash() -> None:
    # MkDocs splits it too, and its build stops there.
    page = parse_page('[h](https://[your-host]/) and <a href="https://[your-host]/">raw</a>\n', 1)
    found = broken_links("a/a.md", page, frozenset(), lambda target: None)
    assert [(b.link.target, b.reason.split(" (")[0]) for b in found] == [
        ("https://[your-host]/", "is no URL MkDocs can read")
    ]


def test_a_link_to_an_anchor_of_the_page_in_angle_brackets_finds_it() -> None:
    from guidewright.rules.links import link_problems
    from guidewright.rules.page import PageRef, PageUnderCheck, SiteIndex
    from guidewright.template.questionnaire import load_questionnaire
    from guidewright.template.source import bundled_template

    index = SiteIndex(frozenset({"a/a.md"}), frozenset({"a/a.md"}), lambda target: None)
    page = PageRef("docs/a/a.md", "a/a.md")
    questionnaire = load_questionnaire(bundled_template())

    def found(body: str) -> list[str]:
        read = PageUnderCheck(page, body, body, 1, None, index, questionnaire)
        return [problem.message for problem in link_problems(read)]

    assert found("# Part\n\n[t](<#part>) [q](?x#part)\n") == []
    assert found("# Part\n\n[t](<#none>)\n") == ["#none matches no heading or anchor on this page"]


def test_the_kept_readings_stay_within_their_budget() -> None:
    """A page whose reading is many times its size (one reference used often) is kept
    within the budget, the oldest let go; the readings stay right."""
    target = "a-long-name-" * 20 + ".md"
    for number in range(60):
        uses = " ".join(f"[{number} {use}][r]" for use in range(300))
        page = f"# Page {number}\n\n{uses}\n\n[r]: {target}\n"
        assert len(page) <= pyromark.KEPT_UP_TO
        assert link_targets(page) == [target] * 300
        assert pyromark.heading_texts(page) == (f"Page {number}",)
        assert 0 < pyromark.kept_characters() <= pyromark.KEPT_CHARACTERS


def test_a_page_is_rendered_once_for_its_links_and_headings_once_headings_are_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing is kept while no page's headings were asked for (a generated site never
    asks: keeping every page's HTML costs more than it saves); once one was, a page's
    links and headings come from one rendering, in either order."""
    monkeypatch.setattr(pyromark, "_kept", {})
    monkeypatch.setattr(pyromark, "_kept_size", [0])
    monkeypatch.setattr(pyromark, "_headings_asked", [False])
    rendered: list[str] = []
    parser = pyromark._parser()

    class Counted:
        def html(self, source: str) -> str:
            rendered.append(source)
            return parser.html(source)

    monkeypatch.setattr(pyromark, "_parser", Counted)
    pages = [f"# Page {n}\n\nSee [it](other-{n}.md).\n" for n in range(3)]
    assert link_targets(pages[0]) == ["other-0.md"]
    assert pyromark.kept_characters() == 0
    assert pyromark.heading_texts(pages[0]) == ("Page 0",)
    assert link_targets(pages[1]) == ["other-1.md"]
    assert pyromark.heading_texts(pages[1]) == ("Page 1",)
    assert pyromark.heading_texts(pages[2]) == ("Page 2",)
    assert link_targets(pages[2]) == ["other-2.md"]
    assert rendered == [pages[0], pages[0], pages[1], pages[2]]
