"""GW601 on a site with extensions the quick model does not read: the page is judged by
Python-Markdown itself with the site's markdown_extensions (markdown/site_markdown.py),
and the findings are exactly where the oracle (Python-Markdown's HTML of the untouched
page, against CommonMark's reading of each container as its author means it) has them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_oracle import (
    BOOLEANS,
    ONE_TO_FOUR,
    WORDS,
    Tokens,
    list_lines,
    oracle_places,
    site_markdown_extensions,
)
from support import folder_for_the_process

from guidewright.markdown.site_markdown import SiteMarkdown
from guidewright.rules.list_reading import NESTING, SWALLOWED, commonmark_items, list_findings
from guidewright.rules.list_rules import IN_HTML, fix_lists
from guidewright.site.init_config import MKDOCS_YML
from guidewright.site.profile import read_profile

EXTRA = {
    "truly_sane": "  - mdx_truly_sane_lists\n",
    "sane": "  - sane_lists\n",
    "tabs": "  - pymdownx.tabbed:\n      alternate_style: true\n",
    "blocks": "  - pymdownx.blocks.admonition\n",
    "everything": "  - pymdownx.tabbed:\n      alternate_style: true\n  - mdx_truly_sane_lists\n"
    "  - pymdownx.blocks.admonition\n",
}


@cache
def site(name: str) -> tuple[SiteMarkdown, tuple[list[object], dict[str, object]]]:
    """The site's Python-Markdown as guidewright reads it, and as MkDocs hands it over."""
    folder = folder_for_the_process(f"gw-site-lists-{name}-")
    (folder / "docs").mkdir()
    (folder / "overrides").mkdir()
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.format(site_name="S") + EXTRA.get(name, ""))
    profile = read_profile(folder)
    return SiteMarkdown(profile.markdown), site_markdown_extensions(folder / "mkdocs.yml")


def findings(text: str, name: str) -> set[tuple[int, str]]:
    return {(f.line, f.kind) for f in list_findings(text, commonmark_items(text), site(name)[0])}


@cache
def container_kinds(kinds: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Made once per site, not at every draw (list_oracle.py says why)."""
    return st.sampled_from(["list", "para-list", *kinds])


@st.composite
def container_lines(
    draw: st.DrawFn, tokens: Tokens, bodies: list[str], kinds: list[str]
) -> list[str]:
    """Lists, paragraphs, and (top level) the containers of the site's extensions."""
    kind = draw(container_kinds(tuple(kinds)))
    if kind == "list":
        return draw(list_lines(tokens))
    if kind == "para-list":
        return [draw(WORDS), *draw(list_lines(tokens))]
    inner = [draw(WORDS), *draw(list_lines(tokens))] if draw(BOOLEANS) else draw(list_lines(tokens))
    if kind in ("tab", "admonition"):
        bodies.append("\n".join(inner))
        head = '=== "Tab"' if kind == "tab" else '!!! note "Note"'
        return [head, "", *[("    " + line) if line else "" for line in inner], ""]
    if kind == "block":
        bodies.append("\n".join(inner))
        return ["/// note | Title", "", *inner, "", "///", ""]
    bodies.append("\n".join(inner))  # a markdown-enabled HTML block
    return ["<div markdown>", "", *inner, "", "</div>", ""]


@st.composite
def documents(draw: st.DrawFn, kinds: list[str]) -> tuple[str, list[str]]:
    tokens, bodies, lines = Tokens(), [], []
    for _ in range(draw(ONE_TO_FOUR)):
        lines.extend(draw(container_lines(tokens, bodies, kinds)))
        if draw(BOOLEANS):
            lines.append("")
    return "\n".join(lines) + "\n", bodies


CONTAINERS = {
    "init": ["admonition", "html"],
    "truly_sane": ["admonition"],
    "sane": ["admonition"],
    "tabs": ["tab", "html"],
    "blocks": ["block"],
    "everything": ["tab", "block", "html"],
}


@pytest.mark.parametrize("name", sorted(CONTAINERS))
def test_findings_are_where_the_site_s_build_renders_lists_otherwise(name: str) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(CONTAINERS[name]))
    def check(document: tuple[str, list[str]]) -> None:
        text, bodies = document
        markdown, extensions = site(name)
        expected = oracle_places(text, bodies, extensions)
        if not markdown.reads(text):
            # The quick model's pages: every finding of theirs is the quick model's, whose
            # own oracle test is tests/test_list_rules.py.
            return
        assert findings(text, name) == expected

    check()


def test_truly_sane_lists_nest_by_two_spaces_and_fix_changes_nothing() -> None:
    text = "# Page\n\n- w1\n  - w2\n    - w3\n- w4\n"
    markdown, _ = site("truly_sane")
    assert markdown.reads(text)
    assert findings(text, "truly_sane") == set()
    assert fix_lists(text, markdown).text == text
    assert findings(text, "init") == {(3, NESTING)}  # the same page on init's site


def test_lists_in_tabs_and_html_blocks_are_found() -> None:
    text = '=== "One"\n\n    Intro:\n    - w1\n\n<div markdown>\nText\n- w2\n</div>\n'
    assert findings(text, "tabs") == {(3, SWALLOWED), (7, SWALLOWED)}
    fixed = fix_lists(text, site("tabs")[0])
    assert (
        fixed.text
        == '=== "One"\n\n    Intro:\n\n    - w1\n\n<div markdown>\nText\n\n- w2\n</div>\n'
    )
    assert (fixed.fixed, fixed.unfixed) == (2, 0)


def test_an_extension_that_cannot_be_loaded_is_said_and_its_pages_left_unfixed() -> None:
    profile = site("truly_sane")[0].profile
    without = SiteMarkdown(profile, importable=lambda name: name != "mdx_truly_sane_lists")
    text = "# Page\n\nIntro\n- w1\n"
    assert without.judged_without(text) == ("mdx_truly_sane_lists",)
    result = fix_lists(text, without)
    assert result.text == text
    assert result.left_because == {"judged without mdx_truly_sane_lists": 1}
    assert IN_HTML != "judged without mdx_truly_sane_lists"


@pytest.mark.parametrize("name", ["truly_sane", "tabs", "everything"])
def test_fix_keeps_the_author_s_reading_and_a_second_run_changes_nothing(name: str) -> None:
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(documents(CONTAINERS[name]))
    def check(document: tuple[str, list[str]]) -> None:
        text = document[0]
        markdown = site(name)[0]
        result = fix_lists(text, markdown)
        assert fix_lists(result.text, markdown).text == result.text
        left = list_findings(result.text, commonmark_items(result.text), markdown)
        assert len(left) == result.unfixed == sum(result.left_because.values())

    check()


def test_check_says_which_pages_were_judged_without_an_extension_and_fix_says_what_it_left(
    tmp_path: Path,
) -> None:
    from support import commit_all, run_cli

    home, root = tmp_path / "home", tmp_path / "site"
    assert run_cli("init", str(root), cwd=tmp_path, home=home).returncode == 0
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "  - mdx_truly_sane_lists\n  - mdx_not_installed_here\n")
    pages = {
        "html.md": "# H\n\n<div markdown>\n\nIntro\n1) w1\n2) w2\n\n</div>\n",
        "paren.md": "# P\n\nIntro\n1) w3\n",
        "sane.md": "# S\n\n- w4\n  - w5\n",
        "fixable.md": "# F\n\nText\n- w6\n",
    }
    for name, text in pages.items():
        (root / "docs" / name).write_text(text)
    commit_all(root, home, "pages")
    checked = run_cli("check", "--format", "json", cwd=root, home=home)
    import json

    report = json.loads(checked.stdout)
    assert report["read_by_python_markdown"] == 5  # and init's docs/index.md, a list
    assert {(p["path"], p["line"]) for p in report["problems"] if p["code"] == "GW601"} == {
        ("docs/html.md", 6),
        ("docs/paren.md", 4),
        ("docs/fixable.md", 4),
    }
    assert report["notes"] == [
        "note: mdx_not_installed_here is not installed here (or is no Markdown extension "
        "guidewright loads): the lists of 5 pages judged without it (docs/fixable.md, "
        "docs/html.md, docs/index.md and 2 more)"
    ]
    assert report["notes"][0] in checked.stderr  # said where a person sees it
    fixed = run_cli("check", "--fix", cwd=root, home=home)
    assert (
        "fixed 0 lists in 0 pages (GW601); 3 left: 3 judged without mdx_not_installed_here"
        in fixed.stdout
    )
    config.write_text(config.read_text().replace("  - mdx_not_installed_here\n", ""))
    commit_all(root, home, "pages")
    fixed = run_cli("check", "--fix", cwd=root, home=home)
    assert (
        "fixed 1 list in 1 page (GW601); 2 left: 1 inside HTML blocks, 1 no blank line or "
        "indentation makes the build agree (see check)"
    ) in fixed.stdout, fixed.stdout
    assert (root / "docs" / "fixable.md").read_text() == "# F\n\nText\n\n- w6\n"
    assert (root / "docs" / "sane.md").read_text() == pages["sane.md"]


def test_an_item_whose_text_became_code_is_known_by_that_code() -> None:
    """Found by the property above: Python-Markdown makes the code block `- w5` the first
    thing of the item that holds the rest, so that item shows as `w5`'s, and `w2`'s line
    is shown as text (swallowed) though a later paragraph of the same item holds it."""
    text = "- w1\n\n- w2\n      - w3\n       - w4\n\n\n      - w5\n       - w6\n- w7\n"
    text += "/// note | Title\n\n- w8\n\n\n///\n\n"
    expected = oracle_places(text, ["- w8\n"], site("everything")[1])
    assert findings(text, "everything") == expected == {(2, "swallowed"), (9, "nesting")}
