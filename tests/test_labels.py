"""Label lines MkDocs joins into one paragraph (GW602): found as Python-Markdown joins
them, and set apart by `check --fix` without moving anything out of its block."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import seed_text

from guidewright.rules.labels import (
    LABEL_LINES_AFTER_BREAK,
    TWO_LABEL_LINES,
    _adjacent_label_lines,
    fix_labels,
    label_findings,
    label_problems,
)

JOINED = re.compile(r"<strong>[^<]*(?:</strong>:|:</strong>)")
# What starts or ends a line of the rendered page: a block's tags, a line break.
LINE_EDGE = re.compile(r"</?(?:p|li|ul|ol|div|blockquote|h[1-6])\b[^>]*>|<br\s*/?>")


def rendered(text: str) -> str:
    """The page as MkDocs' Python-Markdown renders it (the extensions `init` configures
    that change blocks)."""
    return markdown.markdown(text, extensions=["admonition", "pymdownx.superfences"])


def joined_paragraphs(text: str) -> list[str]:
    """The rendered lines (a paragraph, an item's text) holding two labels or more."""
    return [p for p in LINE_EDGE.split(rendered(text)) if len(JOINED.findall(p)) > 1]


def test_the_seed_guides_fourteen_pairs_are_found() -> None:
    found = label_findings(seed_text("guide"))
    assert [f.label for f in found][:3] == [
        "Implementation",
        "Organizational Impact",
        "Implementation",
    ]
    assert len(found) == 14 and all(f.fixable for f in found)
    assert label_findings(seed_text("tutorial")) == []


@pytest.mark.parametrize(
    "text",
    [
        "**A**: one\n**B**: two\n",
        "# T\n**A**: one\n**B**: two\n**C:** three\n",
        "> **A**: one\n> **B**: two\n",
        '!!! note "N"\n    **A**: one\n    **B**: two\n',
        "1. Item\n\n    **A**: one\n    **B**: two\n",
        "1. Item\n    **A**: one\n    **B**: two\n",
        "**A**: one\r\n**B**: two\r\n",
    ],
)
def test_joined_labels_are_found_and_a_blank_line_sets_them_apart(text: str) -> None:
    assert joined_paragraphs(text)  # what MkDocs shows: one paragraph
    assert label_findings(text)
    fixed = fix_labels(text)
    assert fixed.fixed == len(label_findings(text)) and fixed.unfixed == 0
    assert joined_paragraphs(fixed.text) == []
    assert label_findings(fixed.text) == []
    assert fix_labels(fixed.text).text == fixed.text  # a second run changes nothing
    assert fixed.text.replace("\r\n", "\n").replace("\n\n", "\n").replace(">\n", "") == (
        text.replace("\r\n", "\n").replace("\n\n", "\n")
    )  # only blank lines added
    assert ("\r\n" in fixed.text) is ("\r\n" in text)


@pytest.mark.parametrize(
    "text",
    [
        "**A**: one\n\n**B**: two\n",  # apart already
        "**A**: one  \n**B**: two\n",  # a hard line break
        "```\n**A**: one\n**B**: two\n```\n",  # code
        "<!--\n**A**: one\n**B**: two\n-->\n",  # a comment
        "- **A**: one\n- **B**: two\n",  # list items
        "Text\n\n    **A**: one\n    **B**: two\n",  # indented code
        "**A**: one\n  **B**: two\n",  # not the same indentation: no pair of label lines
        "**Note** one\n**B**: two\n",  # no label
    ],
)
def test_what_renders_apart_or_is_no_label_line_is_not_found(text: str) -> None:
    assert label_findings(text) == []
    assert fix_labels(text).text == text


def test_a_label_line_in_a_list_items_text_is_found_but_not_moved() -> None:
    """Inside a list item's text a blank line would need 4 spaces more to stay in the item:
    the finding is reported, and left for the author."""
    text = "- Item\n  **A**: one\n  **B**: two\n"
    assert joined_paragraphs(text)
    assert [f.fixable for f in label_findings(text)] == [False]
    assert fix_labels(text) == fix_labels(text).__class__(text, 0, 1)
    lazy = "- Item\n**A**: one\n**B**: two\n"  # a lazy line of the item's paragraph
    assert [f.fixable for f in label_findings(lazy)] == [False]


def test_the_frontmatter_is_left_and_lines_count_from_the_page() -> None:
    page = '---\ntitle: "**A**: x"\n---\n\n**A**: one\n**B**: two\n'
    fixed = fix_labels(page)
    assert fixed.text == '---\ntitle: "**A**: x"\n---\n\n**A**: one\n\n**B**: two\n'
    problems = label_problems("docs/a.md", page.split("---\n", 2)[2], 4)
    assert [(p.line, p.code, p.severity) for p in problems] == [(6, "GW602", "warning")]
    assert problems[0].message == (
        "'**B**' joins the line above ('**A**') in one paragraph in MkDocs: "
        "put a blank line between them"
    )


LINE_PIECES = ["**A**: x", "**B:** y", "> **C**: z", "    **D**: w", "  **E**: v", "- **F**: u"]


@given(
    st.lists(
        st.one_of(st.sampled_from(LINE_PIECES), st.text(alphabet=" >*:\n\rAb-", max_size=12)),
        max_size=8,
    )
)
@settings(max_examples=150, deadline=None)
def test_the_quick_test_passes_every_page_with_two_label_lines(pieces: list[str]) -> None:
    # Its first search only rules out pages: where the full patterns find two label lines
    # one below the other, it never says there are none.
    body = "\n".join(pieces)
    full = TWO_LABEL_LINES.match(body) or LABEL_LINES_AFTER_BREAK.search(body)
    assert _adjacent_label_lines(body) == bool(full)
