"""The Markdown outline every rule reads (unit and property tests of markdown/pyromark.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidewright.markdown.pyromark import ListItem, Position, read
from guidewright.rules.links import parse_page


def test_links_of_every_kind_with_their_place() -> None:
    text = (
        "See [a](a.md), ![b](b.png), [c][ref], [d][], [ref] and <https://x.org> or "
        "<me@x.org>.\n\n`[code](no.md)` <a href='raw.md'>raw</a>\n\n[ref]: r.md\n[d]: d.md\n"
    )
    found = [(link.target, link.kind, link.label, link.image) for link in read(text).links]
    assert found == [
        ("a.md", "inline", "", False),
        ("b.png", "inline", "", True),
        ("r.md", "reference", "ref", False),
        ("d.md", "collapsed", "d", False),
        ("r.md", "shortcut", "ref", False),
        ("https://x.org", "autolink", "", False),
        ("mailto:me@x.org", "email", "", False),
    ]
    first = read(text).links[0]
    assert (first.start, first.end) == (Position(1, 5), Position(1, 14))


def test_a_column_after_emoji_and_non_ascii_counts_characters() -> None:
    # 🎉 is 4 bytes and one character; é is 2 bytes; 東京 6 bytes and two characters.
    text = "# Launch 🎉 {#launch}\n\nCafé 東京 🎉 [x](y.md) and ![i](🎉.png)\n"
    outline = read(text)
    assert [(link.target, link.start, link.end) for link in outline.links] == [
        ("y.md", Position(3, 11), Position(3, 20)),
        ("🎉.png", Position(3, 25), Position(3, 36)),
    ]
    heading = outline.headings[0]
    assert (heading.level, heading.text, heading.start, heading.end) == (
        1,
        "Launch 🎉 {#launch}",
        Position(1, 1),
        Position(1, 21),
    )
    assert parse_page(text, 10).links[0].column == 11


def test_headings_keep_code_and_drop_an_images_alt_text() -> None:
    text = "## The `code` and ![alt](a.png) **bold** part\n\nSetext\n======\n"
    assert [(h.level, h.text) for h in read(text).headings] == [
        (2, "The code and  bold part"),
        (1, "Setext"),
    ]


def test_list_items_with_marker_depth_and_indent() -> None:
    text = "- one\n  - nested\n\n      * deeper\n\n3. three\n4) four\n\n> - quoted\n"
    items = read(text).list_items
    assert [(i.marker, i.ordered, i.depth, i.indent, i.start.line) for i in items] == [
        ("-", False, 1, 0, 1),
        ("-", False, 2, 2, 2),
        ("*", False, 3, 6, 4),
        ("3.", True, 1, 0, 6),
        ("4)", True, 1, 0, 7),
        ("-", False, 1, 2, 9),
    ]
    assert items[0].end == Position(4, 15)  # the nested items are inside the first


def test_admonition_content_is_read_where_the_author_wrote_it() -> None:
    text = (
        '!!! note "🎉 A [title](t.md) [ref][R]"\n\n    - in an [admonition](in.md)\n\nAfter.\n\n'
        "[r]: r.md\n"
    )
    outline = read(text)
    assert [(link.target, link.start, link.end) for link in outline.links] == [
        ("t.md", Position(1, 15), Position(1, 28)),  # a title is inline Markdown
        ("r.md", Position(1, 29), Position(1, 37)),  # with the page's references
        ("in.md", Position(3, 13), Position(3, 32)),
    ]
    indented = read('!!! note "     [x](y.md)"\n    Text.\n').links  # not indented code
    assert [(link.target, link.start) for link in indented] == [("y.md", Position(1, 16))]
    assert outline.list_items == (ListItem("-", False, 1, 4, Position(3, 5), Position(3, 32)),)


# Characters, and pieces that start constructs: a CRLF, an indent, an admonition (titled).
PIECES = [
    *"[]()!#*`<>\\ \n\t-1.:=ax{}|~_é东🎉",
    "\r\n",
    "    ",
    "!!! ",
    '!!! note "',
    '"',
    "](",
    "<a@b.c>",
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=MARKDOWN)
def test_any_markdown_is_read_without_error_or_output(
    text: str, capfd: pytest.CaptureFixture[str]
) -> None:
    outline = read(text)
    page = parse_page(text, 1)  # the link and anchor reader, anchors included
    # Leaving parts out changes nothing in the others.
    assert read(text, headings=False, list_items=False).links == outline.links
    assert read(text, list_items=False).headings == outline.headings
    assert read(text, headings=False).list_items == outline.list_items
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # a native panic writes to fd 2
    lines = text.split("\n")
    for link in outline.links:
        # Each position names the character the author sees there: the link's first one.
        assert lines[link.start.line - 1][link.start.column - 1] in "[!<"
        assert (link.start.line, link.start.column) <= (link.end.line, link.end.column)
    for item in outline.list_items:
        line = lines[item.start.line - 1]
        assert line[item.indent : item.indent + len(item.marker)] == item.marker
    assert [(link.line, link.column) for link in page.links] == [
        (link.start.line, link.start.column) for link in outline.links
    ]


def test_positions_are_the_same_on_a_long_page() -> None:
    # Past a few dozen positions, lines are found in a table of line starts: same results.
    lines = [f"- é{'🎉' * (i % 3)} [l{i}](t{i}.md) and ![i](p{i}.png)" for i in range(60)]
    outline = read("\n".join(lines) + "\n")
    expected = [
        (number, line.index(mark) + 1)
        for number, line in enumerate(lines, 1)
        for mark in ("[l", "![")
    ]
    assert [(link.start.line, link.start.column) for link in outline.links] == expected
    assert [(item.start.line, item.end.column) for item in outline.list_items] == [
        (number, len(line) + 1) for number, line in enumerate(lines, 1)
    ]
