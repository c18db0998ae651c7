"""`check --fix` knows a candidate fix's admonitions from the page's own
(`moved_admonitions`) rather than reading the candidate with the quick model: what it
knows so must be what the model reads, and where it cannot be told, the model reads it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_oracle import documents

from guidewright.markdown import pymarkdown_lists
from guidewright.rules.list_reading import (
    authors_reading,
    commonmark_items,
    fixed_authors_reading,
)
from guidewright.rules.list_rules import fix_lists

# Lines a page is made of: lists a fix changes, admonitions it must leave, and what
# could join the two (references, fences, quotes, raw HTML, indented code, tabs).
LINES = [
    "Text line",
    "- a",
    "  - b",
    "   - c",
    "    - d",
    "1. one",
    "2) two",
    "",
    "",
    "!!! note",
    "    inside",
    "    - in it",
    '??? tip "T"',
    "> quote",
    "> - q",
    "```",
    "  - y: 1",
    "[ref]: http://example.org",
    "# Heading",
    "    code",
    "<div>",
    "</div>",
    "| a | b |",
    "|---|---|",
    "---",
    "\t- tab",
    "- - nested",
]
pages = st.lists(st.sampled_from(LINES), min_size=3, max_size=30).map(
    lambda lines: "\n".join(lines) + "\n"
)


def assert_known_as_read(before: str) -> None:
    after = fix_lists(before).text
    if after == before:
        return
    reading = authors_reading(before, commonmark_items(before))
    items = commonmark_items(after)
    assert fixed_authors_reading(reading, after, items) == authors_reading(after, items)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(pages)
def test_a_fix_s_admonitions_are_known_as_the_model_reads_them(page: str) -> None:
    assert_known_as_read(page)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(documents())
def test_a_fix_s_admonitions_are_known_as_the_model_reads_them_in_documents(
    document: tuple[str, list[str]],
) -> None:
    assert_known_as_read(document[0])


APART = "!!! note\n    Read this.\n\nSteps:\n- one\n- two\n\n!!! tip\n    - kept\n"


def test_a_fix_away_from_the_admonitions_is_not_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = APART
    reading = authors_reading(before, commonmark_items(before))
    after = fix_lists(before).text
    assert after == before.replace("Steps:\n", "Steps:\n\n")

    def unread(lines: list[str]) -> pymarkdown_lists.Rendered:
        raise AssertionError("the candidate was read")

    monkeypatch.setattr(pymarkdown_lists, "python_markdown_lists", unread)
    known = fixed_authors_reading(reading, after, commonmark_items(after))
    assert [container[0] for container in known.containers] == [0, 8]


# A reference leaves the lines after it to the element before: here the admonition's,
# so the part after the blank line is not read alone, and the admonition is read again.
AFTER_A_REFERENCE = "!!! note\n    inside\n\n[ref]: http://example.org\n    - a\nText\n- b\n"


def test_lines_after_a_reference_are_no_part_read_alone() -> None:
    assert_known_as_read(AFTER_A_REFERENCE)
    before = AFTER_A_REFERENCE
    after = fix_lists(before).text
    assert after != before
    lines = before.split("\n")
    read = pymarkdown_lists.Admonitions.of(lines, pymarkdown_lists.python_markdown_lists(lines))
    assert pymarkdown_lists.moved_admonitions(read, after.split("\n")) is None
