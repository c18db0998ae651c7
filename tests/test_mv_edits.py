"""The pieces of a move, one by one: a link's new target, a page's links rewritten in
place, YAML values changed in their own style."""

from __future__ import annotations

import pytest

from guidewright.core.yaml_edit import NoTextEdit, changed_values
from guidewright.move.links import new_target, retarget_links
from guidewright.move.request import Move, Moves, together
from guidewright.site.profile import SiteProfile, profile_of_text

PAGE_MOVE = Move("system-design/a.md", "fundamentals/b.md", folder=False)
FOLDER_MOVE = Move("system-design", "design/systems", folder=True)
MKDOCS = SiteProfile()
RELATIVE_TO_DOCS = profile_of_text(
    "mkdocs.yml",
    "mkdocs",
    "site_name: s\nvalidation:\n  links:\n    absolute_links: relative_to_docs\n",
)


@pytest.mark.parametrize(
    ("page", "target", "move", "profile", "expected"),
    [
        # a link to the moved page, from a page that stays
        ("practice/p.md", "../system-design/a.md", PAGE_MOVE, MKDOCS, "../fundamentals/b.md"),
        (
            "practice/p.md",
            "../system-design/a.md#part",
            PAGE_MOVE,
            MKDOCS,
            "../fundamentals/b.md#part",
        ),
        (
            "practice/p.md",
            "../system-design/a.md?x=1#p",
            PAGE_MOVE,
            MKDOCS,
            "../fundamentals/b.md?x=1#p",
        ),
        ("system-design/c.md", "a.md", PAGE_MOVE, MKDOCS, "../fundamentals/b.md"),
        ("fundamentals/c.md", "../system-design/a.md", PAGE_MOVE, MKDOCS, "../fundamentals/b.md"),
        (
            "fundamentals/deep/c.md",
            "../../system-design/a.md",
            PAGE_MOVE,
            MKDOCS,
            "../../fundamentals/b.md",
        ),
        ("index.md", "system-design/a.md", PAGE_MOVE, MKDOCS, "fundamentals/b.md"),
        (
            "index.md",
            "system-design/a%20b.md",
            Move("system-design/a b.md", "x/c d.md", False),
            MKDOCS,
            "x/c%20d.md",
        ),
        # absolute links: read from the docs folder only where the engine does
        ("index.md", "/system-design/a.md", PAGE_MOVE, MKDOCS, None),
        ("index.md", "/system-design/a.md#p", PAGE_MOVE, RELATIVE_TO_DOCS, "/fundamentals/b.md#p"),
        # nothing to change
        ("practice/p.md", "https://example.com/system-design/a.md", PAGE_MOVE, MKDOCS, None),
        ("practice/p.md", "#part", PAGE_MOVE, MKDOCS, None),
        ("practice/p.md", "../system-design/other.md", PAGE_MOVE, MKDOCS, None),
        ("practice/p.md", "mailto:a@b.c", PAGE_MOVE, MKDOCS, None),
        # a folder move: links into it, and to the folder itself
        ("practice/p.md", "../system-design/a.md", FOLDER_MOVE, MKDOCS, "../design/systems/a.md"),
        ("practice/p.md", "../system-design/", FOLDER_MOVE, MKDOCS, "../design/systems/"),
        ("practice/p.md", "../system-design-extra/a.md", FOLDER_MOVE, MKDOCS, None),
    ],
)
def test_a_link_reaches_what_it_reached_before_the_move(
    page: str, target: str, move: Move, profile: SiteProfile, expected: str | None
) -> None:
    assert new_target(target, page, move.after(page), move, profile) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("diagram.png", "../system-design/diagram.png"),
        ("../practice/p.md#top", None),  # the same depth: the same text reaches it
        ("c.md", "../system-design/c.md"),
        ("a.md#own", "b.md#own"),  # itself, by name
        ("#own", None),
        ("../../outside.md", None),
    ],
)
def test_the_moved_page_s_own_links_are_recomputed_from_its_new_place(
    target: str, expected: str | None
) -> None:
    assert new_target(target, PAGE_MOVE.old, PAGE_MOVE.new, PAGE_MOVE, MKDOCS) == expected


def test_links_change_in_place_and_nothing_else_does() -> None:
    text = (
        "# T\n\nSee [a](../system-design/a.md#one 'a.md') and [b](<../system-design/a.md>),\n"
        "`[code](../system-design/a.md)`, [ref][r] and [c](c.md).\n\n"
        "```\n[fenced](../system-design/a.md)\n```\n\n"
        '!!! note "About [A](../system-design/a.md)"\n    Inside [A](../system-design/a.md#two)\n\n'
        "[r]:\n    ../system-design/a.md#three  'Title'\n"
    )
    done = retarget_links(text, "practice/p.md", "practice/p.md", PAGE_MOVE, MKDOCS)
    assert done.text == text.replace(
        "[a](../system-design/a.md#one", "[a](../fundamentals/b.md#one"
    ).replace("<../system-design/a.md>", "<../fundamentals/b.md>").replace(
        '"About [A](../system-design/a.md)"', '"About [A](../fundamentals/b.md)"'
    ).replace("[A](../system-design/a.md#two)", "[A](../fundamentals/b.md#two)").replace(
        "    ../system-design/a.md#three", "    ../fundamentals/b.md#three"
    )
    assert (done.changed, done.unchanged) == (5, ())


def test_a_target_written_with_escapes_is_listed_not_guessed() -> None:
    text = "Line one\n\n[x](../system\\-design/a.md)\n"
    done = retarget_links(text, "practice/p.md", "practice/p.md", PAGE_MOVE, MKDOCS)
    assert done.text == text
    assert [(u.line, u.target) for u in done.unchanged] == [(3, "../system-design/a.md")]


# ---- YAML values ----------------------------------------------------------------------------


def moved(path: tuple[str | int, ...], value: str) -> str | None:
    return PAGE_MOVE.moved(value) if path[:1] == ("prerequisites",) else None


def test_yaml_values_change_in_their_own_style_and_the_rest_stays() -> None:
    text = (
        "# a comment\nprerequisites:\n- system-design/a.md   # first\n"
        "- 'system-design/a.md'\n- \"system-design/a.md\"\n- other.md\n"
        "related: [system-design/a.md]\n"
    )
    edited, count = changed_values(text, moved)
    assert edited == (
        "# a comment\nprerequisites:\n- fundamentals/b.md   # first\n"
        "- 'fundamentals/b.md'\n- \"fundamentals/b.md\"\n- other.md\n"
        "related: [system-design/a.md]\n"
    )
    assert count == 3


def test_a_plain_value_that_yaml_would_read_otherwise_is_quoted() -> None:
    edited, _ = changed_values("section: a\n", lambda path, value: "2024-01-01")
    assert edited == 'section: "2024-01-01"\n'


def test_a_block_scalar_is_refused_not_rewritten() -> None:
    with pytest.raises(NoTextEdit, match="prerequisites: 0: a block scalar"):
        changed_values("prerequisites:\n- |-\n  system-design/a.md\n", moved)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("../system-design/c.md", "../../system-design/c.md"), ("c.md", "../c.md")],
)
def test_a_link_written_from_the_top_is_written_from_the_top_again(
    target: str, expected: str
) -> None:
    """As the template writes its links (`../` to the top of the docs folder, then the
    path), so that `update` finds the text it would render."""
    deeper = Move("system-design/a.md", "system-design/sub/a.md", folder=False)
    assert new_target(target, deeper.old, deeper.new, deeper, MKDOCS) == expected


def test_moves_made_as_one_touch_no_path_another_moves() -> None:
    page, other = Move("a/x.md", "b/x.md", False), Move("c/y.md", "d/y.md", False)
    joined = together([page, other])
    assert joined == Moves((page, other))
    assert joined.after("c/y.md") == "d/y.md" and joined.after("a/x.md") == "b/x.md"
    assert together([Move("a", "e", True), page]) is None  # out of a moved folder
    assert together([page, Move("c/z.md", "b/x.md", False)]) is None  # to the same place
    assert together([page, Move("b", "f", True)]) is None  # into a folder moved
