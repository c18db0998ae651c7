"""Reference links past pulldown-cmark's expansion budget are read as Python-Markdown reads
them (markdown/pyromark.py, `_EXPANSION_FLOOR`): pages whose references spend just less
than, exactly and more than the budget, compared with Python-Markdown itself, with the
extensions `init` configures that make links and headings."""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import run_cli

from guidewright.lsp.navigation import links_of
from guidewright.markdown import pyromark
from guidewright.rules.links import PLAIN_MARKDOWN, page_anchors, parse_page

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]
EXTENSIONS += ["pymdownx.details", "pymdownx.superfences"]
BUDGET = 100_000  # pulldown-cmark's, for a page shorter than it


class _Targets(HTMLParser):
    """The `href` of each `<a>` and `src` of each `<img>` of an HTML text, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None:
                self.found.append(value)


def python_markdown(text: str) -> tuple[list[str], frozenset[str]]:
    """The link targets and heading ids Python-Markdown makes of `text`."""
    engine = markdown.Markdown(extensions=EXTENSIONS)
    html = engine.convert(text)
    parser = _Targets()
    parser.feed(html)
    ids: set[str] = set()
    tokens = list(engine.toc_tokens)  # type: ignore[attr-defined]
    while tokens:
        token = tokens.pop()
        ids.add(token["id"])
        tokens.extend(token["children"])
    return parser.found, frozenset(ids)


def page(uses: int, width: int, *, title: bool = False, image: bool = False) -> str:
    """`uses` references to a definition whose target and title are `width` bytes, then
    a heading made of a reference link, a broken reference and an admonition's title
    with a reference, each past the budget when `uses * width` reaches it."""
    target = "p" * (width - 6 if title else width - 3) + ".md"
    definition = f'[r]: {target} "t"' if title else f"[r]: {target}"
    mark = "!" if image else ""
    lines = [
        "# Start",
        "",
        " ".join(f"{mark}[u{n}][r]" for n in range(uses)),
        "",
        "## [the heading][r]",
        "",
        "See [broken][b] and [r] and [again][].",
        "",
        '!!! note "A title with [a reference][r] and [another][b]"',
        "",
        "    Inside: [inner][b].",
        "",
        definition,
        "[b]: missing.md",
        "[again]: again.md",
        "",
    ]
    return "\n".join(lines)


# (uses, width): the page's text spends (uses + 2) * width of the budget on `[r]` (its
# paragraph's uses, the heading's, the `[r]` after it), then `[again][]` and `[broken][b]`.
CASES = [
    pytest.param(100, 900, id="well below"),
    pytest.param(BUDGET // 1000 - 3, 1000, id="a use short of the budget"),
    pytest.param(BUDGET // 1000 - 2, 1000, id="the budget spent exactly"),
    pytest.param(BUDGET // 1000 - 1, 1000, id="a use past the budget"),
    pytest.param(500, 240, id="the issue's page"),
    pytest.param(900, 1000, id="several doublings"),
]


# (uses, the definition's title): each use spends its target's 500 bytes and the title's
# bytes (`é`: two bytes, one character), so that what they spend is below the budget or
# reaches it; the first HTML is short enough to tell alone that it cannot reach it.
TITLED = [
    pytest.param(20, "t" * 500, True, id="an HTML too short to reach the budget"),
    pytest.param(99, "t" * 500, True, id="titles a use short of the budget"),
    pytest.param(100, "t" * 500, False, id="titles spending the budget"),
    pytest.param(99, "é" * 250, True, id="titles of two bytes a character, a use short"),
    pytest.param(100, "é" * 250, False, id="titles of two bytes a character, spending it"),
]


@pytest.mark.parametrize(("uses", "title", "whole"), TITLED)
def test_link_targets_are_read_from_the_html_only_below_the_budget(
    uses: int, title: str, whole: bool
) -> None:
    """`link_targets` reads the targets from the HTML where its links' targets and titles
    (in bytes) stay below the budget, and leaves the page to `read` where they reach it."""
    target = "p" * 497 + ".md"
    links = " ".join(f"[u{n}][r]" for n in range(uses))
    text = f'# Start\n\n{links}\n\n[r]: {target} "{title}"\n'
    assert pyromark.link_targets(text) == ([target] * uses if whole else None)
    assert [link.target for link in pyromark.read(text, headings=False).links] == [target] * uses


@pytest.mark.parametrize(("uses", "width"), CASES)
@pytest.mark.parametrize("title", [False, True])
def test_links_and_anchors_are_python_markdowns(uses: int, width: int, title: bool) -> None:
    text = page(uses, width, title=title)
    targets, ids = python_markdown(text)
    outline = pyromark.read(text)
    assert [link.target for link in outline.links] == targets
    assert [link.target for link in pyromark.read(text, headings=False).links] == targets
    quick = pyromark.link_targets(text)
    assert quick is None or quick == targets
    assert parse_page(text, 1, markdown=PLAIN_MARKDOWN).anchors == ids
    assert page_anchors(text) == ids
    assert "the heading" in pyromark.heading_texts(text)


def test_images_spend_the_budget_too() -> None:
    text = page(BUDGET // 1000 + 5, 1000, image=True)
    targets, ids = python_markdown(text)
    assert [link.target for link in pyromark.read(text, headings=False).links] == targets
    assert page_anchors(text) == ids


def test_links_in_an_image_s_alt_text_spend_the_budget_unseen_in_the_html() -> None:
    """The HTML writes an image's alt text as text: its links' targets are not in it."""
    uses = " ".join(f"![a [u{n}][r] b](i.png)" for n in range(120))
    text = f"# Start\n\n{uses}\n\n## [the heading][r]\n\n[r]: {'p' * 997}.md\n"
    assert page_anchors(text) == python_markdown(text)[1]
    assert "the heading" in pyromark.heading_texts(text)


def test_an_admonition_title_past_its_own_budget_is_read_whole() -> None:
    """A title is read on its own, with a budget of its own."""
    uses = " ".join(f"[u{n}][r]" for n in range(120))
    text = f'!!! note "{uses} [broken][b]"\n\n    Text.\n\n[r]: {"p" * 997}.md\n[b]: missing.md\n'
    targets = python_markdown(text)[0]
    assert targets[-1] == "missing.md"
    assert [link.target for link in pyromark.read(text, headings=False).links] == targets


def test_the_editor_follows_every_reference_past_the_budget() -> None:
    text = page(500, 1000)
    assert [link.target for link in links_of(text)] == python_markdown(text)[0]


def test_each_link_is_where_the_author_wrote_it_past_the_budget() -> None:
    text = page(500, 1000)
    links = pyromark.read(text, headings=False).links
    lines = text.split("\n")
    for link in links:
        line = lines[link.start.line - 1]
        assert line[link.start.column - 1] in "[!<"
    broken = [link for link in links if link.target == "missing.md"]
    places = [(7, "[broken]"), (9, "[another]"), (11, "[inner]")]
    expected = [(line, lines[line - 1].index(mark) + 1) for line, mark in places]
    assert [(link.start.line, link.start.column) for link in broken] == expected
    assert links[-1].end.line <= len(lines)


def test_a_page_needing_more_than_the_ceiling_is_read_as_far_as_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past `EXPANSION_CEILING` the page keeps pulldown-cmark's budget, raised to the
    ceiling's half at most: the reading ends, its references resolved so far."""
    monkeypatch.setattr(pyromark, "EXPANSION_CEILING", 4 * BUDGET)
    links = pyromark.read(page(900, 1000), headings=False).links
    resolved = [link for link in links if link.kind == "reference"]
    assert 200 <= len(resolved) < 900


@cache
def past_the_ceiling() -> str:
    """A page whose references copy more than `EXPANSION_CEILING` (1,700 uses of a 10,000
    byte web address: 17 MB), then a broken reference: built once, read in a fifth of a
    second."""
    uses = " ".join(f"[u{n}][r]" for n in range(1_700))
    target = "https://example.com/" + "p" * 9_980
    return f"# Home\n\n{uses}\n\nSee [broken][b].\n\n[r]: {target}\n[b]: missing.md\n"


def test_a_page_past_the_ceiling_says_where_its_references_stop_being_read() -> None:
    text = past_the_ceiling()
    links = pyromark.read(text, headings=False).links
    assert "missing.md" not in [link.target for link in links]  # the parser's text, unread
    unread = pyromark.read(text).references_unread
    assert unread is not None and unread == links[-1]
    assert 2 * pyromark._budget(len(text), 0) <= pyromark.EXPANSION_CEILING
    assert len(links) * 10_000 >= pyromark.EXPANSION_CEILING // 2  # read that far
    assert pyromark.read(page(900, 1000)).references_unread is None  # read whole


def test_an_admonition_title_past_the_ceiling_says_so_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pyromark, "EXPANSION_CEILING", 4 * BUDGET)
    uses = " ".join(f"[u{n}][r]" for n in range(400))
    text = f'!!! note "{uses} [broken][b]"\n\n    Text.\n\n[r]: {"p" * 997}.md\n[b]: missing.md\n'
    unread = pyromark.read(text, headings=False).references_unread
    assert unread is not None and unread.start.line == 1
    assert unread.label == "r"


def test_check_tells_the_author_a_page_s_references_went_unchecked(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: docs\n")
    (tmp_path / "docs" / "index.md").write_text(past_the_ceiling())
    home = tmp_path / "home"
    home.mkdir()
    result = run_cli("check", "--dest", ".", "--no-cache", cwd=tmp_path, home=home)
    unread = pyromark.read(past_the_ceiling(), headings=False).links[-1]
    where = f"docs/index.md:{unread.start.line}:{unread.start.column}"
    assert f"{where}: GW207 link: warning: the reference links after this one are not " in (
        result.stdout
    )
    assert "(at most 16 MiB; MkDocs reads them all)" in result.stdout
    assert "GW201" not in result.stdout  # missing.md: unread, and so not reported
    assert result.returncode == 0  # a warning: --strict fails on it
    strict = run_cli("check", "--dest", ".", "--no-cache", "--strict", cwd=tmp_path, home=home)
    assert strict.returncode == 1


def test_check_reports_a_broken_reference_past_the_budget(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: docs\n")
    target = "a-long-name-" * 20 + ".md"
    uses = " ".join(f"[u{n}][r]" for n in range(500))
    body = f"# Home\n\n{uses}\n\nSee [broken][b].\n\n[r]: {target}\n[b]: missing.md\n"
    (tmp_path / "docs" / "index.md").write_text(body)
    (tmp_path / "docs" / target).write_text("# T\n")
    home = tmp_path / "home"
    home.mkdir()
    result = run_cli("check", "--dest", ".", "--no-cache", cwd=tmp_path, home=home)
    assert "docs/index.md:5:5: GW201 link: missing.md does not exist" in result.stdout
    assert result.returncode == 1


# Lines of every block kind whose end the blanks after a text could move: fences and raw
# HTML left open, lists, block quotes, tables, indented code, headings, definitions.
LINE_KINDS = [
    "```",
    "~~~",
    "<!--",
    "<div>",
    "<pre>",
    "- [a][r]",
    "1. [b]",
    "   - c",
    "> [d](e.md)",
    "| h | [r] |",
    "|---|---|",
    "    [code][r]",
    "# [h][r]",
    "text [r]",
    "==",
    "[r]: t.md",
    '[r]: t.md "x"',
    "  ",
    "",
    "a\\",
    "b  ",
    "<https://x.y>",
    "![i][r]",
    "[r]:",
    "***",
    "-",
    "2)",
    "\t[t]",
    ">",
    "Setext",
    "---",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(LINE_KINDS), max_size=12),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.integers(1, 5000),
)
def test_blanks_after_a_text_change_nothing_read_of_it(
    lines: list[str], newline: str, ended: bool, padding: int
) -> None:
    """What raises the budget (`_padded`) leaves every link, heading and item as it was."""
    text = newline.join(lines) + (newline if ended else "")
    positions = pyromark._Positions(text)
    plain, spent = pyromark._outline(text, positions, 0, True, True)
    padded, spent_padded = pyromark._outline(text, positions, padding, True, True)
    assert padded == plain
    assert spent_padded == spent
    assert pyromark._links_only(text, positions, padding)[0].links == plain.links
