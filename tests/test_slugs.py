"""Heading ids made with the site's slugify, as its toc makes them (rules/links.py and
markdown/slugs.py), against Python-Markdown's toc configured the same way."""

from __future__ import annotations

import html
import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions import toc
from pymdownx import slugs

from guidewright.markdown.markdown_profile import (
    Extension,
    MarkdownProfile,
    PythonCall,
    PythonName,
)
from guidewright.rules.links import broken_links, parse_page

PAGE = "# Café Crème!\n\n## Ünïcode Straße 東京\n\n## Part\n\n## Part\n\n## Own {#mine}\n"


def profile(**toc: object) -> MarkdownProfile:
    return MarkdownProfile((Extension("toc", tuple(toc.items())), Extension("attr_list")))


def anchors(page: str, markdown_profile: MarkdownProfile) -> frozenset[str] | None:
    return parse_page(page, 1, markdown=markdown_profile).anchors


def test_python_markdown_s_default_slugify() -> None:
    assert anchors(PAGE, profile()) == {"cafe-creme", "unicode-strae", "part", "part_1", "mine"}


def test_toc_slugify_unicode_and_a_separator() -> None:
    uslugify = PythonName("markdown.extensions.toc.slugify_unicode")
    assert anchors(PAGE, profile(slugify=uslugify, separator="_")) == {
        "café_crème",
        "ünïcode_straße_東京",
        "part",
        "part_1",
        "mine",
    }


def test_pymdownx_slugify_with_its_case() -> None:
    lower = PythonCall("pymdownx.slugs.slugify", kwds=(("case", "lower"),))
    assert anchors(PAGE, profile(slugify=lower)) == {
        "café-crème",
        "ünïcode-straße-東京",
        "part",
        "part_1",
        "mine",
    }
    as_written = PythonCall("pymdownx.slugs.slugify")
    assert "Café-Crème" in (anchors(PAGE, profile(slugify=as_written)) or ())


def test_permalinks_change_no_id() -> None:
    assert anchors(PAGE, profile(permalink=True)) == anchors(PAGE, profile())


def test_a_slugify_of_the_site_s_own_judges_no_heading_anchor() -> None:
    """A function guidewright does not reproduce: no anchor is called missing."""
    own = profile(slugify=PythonName("my_site.slugs.slugify"))
    page = parse_page("# Part\n\n[here](#part) [there](#nothing)\n", 1, markdown=own)
    assert page.anchors is None
    assert broken_links("a.md", page, frozenset({"a.md"}), lambda target: None) == []


TOC_CONFIGS = [
    ({}, {}),
    (
        {"slugify": PythonName("markdown.extensions.toc.slugify_unicode")},
        {"slugify": toc.slugify_unicode},
    ),
    (
        {
            "slugify": PythonCall("pymdownx.slugs.slugify", kwds=(("case", "lower"),)),
            "separator": "_",
        },
        {"slugify": slugs.slugify(case="lower"), "separator": "_"},
    ),
    (
        {
            "slugify": PythonCall(
                "pymdownx.slugs.slugify", kwds=(("case", "fold"), ("percent_encode", True))
            )
        },
        {"slugify": slugs.slugify(case="fold", percent_encode=True)},
    ),
]
WORDS = st.text(alphabet="abcXYZ019 -_,.!?'éßÉ東京ǅ", min_size=1, max_size=12)

H2_ID = re.compile(r'<h2 id="([^"]*)"')


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS.filter(lambda w: w.strip(" #")), min_size=1, max_size=6),
    st.sampled_from(range(len(TOC_CONFIGS))),
)
def test_heading_ids_are_those_python_markdown_makes(headings: list[str], config: int) -> None:
    ours_config, theirs_config = TOC_CONFIGS[config]
    page = "".join(f"## {text}\n\n" for text in headings)
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": theirs_config})
    # Python-Markdown escapes what it writes in an attribute: read back as a browser does.
    theirs = {html.unescape(anchor) for anchor in H2_ID.findall(md.convert(page))}
    assert anchors(page, profile(**ours_config)) == theirs
