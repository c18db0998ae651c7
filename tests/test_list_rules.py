"""The list rule (GW601) finds exactly the lists Python-Markdown renders otherwise than
CommonMark: the oracle is Python-Markdown itself, with the site's own markdown_extensions."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_oracle import admonition_bodies, documents, init_site_extensions, oracle_places
from support import folder_for_the_process

from guidewright.markdown.pymarkdown_text import first_raw_html_line
from guidewright.rules import list_reading
from guidewright.rules.list_reading import (
    NESTING,
    SWALLOWED,
    commonmark_items,
    list_findings,
    may_differ,
)


@cache
def extensions() -> tuple[list[object], dict[str, object]]:
    return init_site_extensions(folder_for_the_process("gw-lists-"))


def findings(text: str) -> set[tuple[int, str]]:
    return {(f.line, f.kind) for f in list_findings(text, commonmark_items(text))}


@pytest.mark.differential
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_findings_are_where_python_markdown_has_no_list_and_commonmark_has_one(
    document: tuple[str, list[str]],
) -> None:
    text, admonition_bodies = document
    found = findings(text)
    assert found == oracle_places(text, admonition_bodies, extensions())
    if found:
        assert_quick_tests_see_lists(text)


def assert_quick_tests_see_lists(text: str) -> None:
    """The quick tests never hide a finding: they say "may differ" of its page."""
    assert may_differ(text)
    items = commonmark_items(text)
    raw_html = first_raw_html_line(text)
    assert "!!!" in text or list_reading._items_may_differ(text.split("\n"), items, raw_html)


CASES = [
    ("Before starting, ensure you have:\n- [ ] w1\n- [ ] w2\n", {(1, SWALLOWED)}),
    ("**Key Decisions**:\n1. w1\n2. w2\n", {(1, SWALLOWED)}),
    ("### Heading\n- w1\n", set()),  # a heading ends its line's block: the list renders
    ("Para\n\n- w1\n  - w2\n", {(3, NESTING)}),
    ("1. w1\n   - w2\n   - w3\n", {(1, NESTING)}),  # the guide's questions, as the seed had
    ("1. w1\n    - w2\n", set()),
    # "2." cannot interrupt a paragraph: w1's text to CommonMark, an item to Python-Markdown
    ("- w1\n  2. x\n\n    2. w2\n", {(3, NESTING)}),
    ("- w1\n\n  - w2\n", {(2, NESTING)}),
    ("- w1\n\n    para\n    - w2\n", {(3, SWALLOWED)}),
    ("> Para\n> - w1\n", {(1, SWALLOWED)}),
    ("> Para\n>\n> - w1\n>   - w2\n", {(3, NESTING)}),
    ('!!! note "Note"\n    Para\n    - w1\n', {(2, SWALLOWED)}),
    ("!!! note\n    - w1\n      - w2\n", {(2, NESTING)}),
    # CommonMark reads an admonition after an item as the item's lazy text, where a
    # fence's deeper line starts an item: the admonition's own reading has code there.
    ("   - w1\n!!! note\n    - w2\n    ```yaml\n    a:\n      - [b]\n    ```\n", set()),
    ("   - w1\n!!! note\n    - w2\n    ```yaml\n    a:\n      - w3\n    ```\n", set()),
    ("  - w1\n   - w2\n??? note\n    ~~~\n    a:\n      - w3\n    ~~~\n", set()),
    # No admonition: the fence, indented less than w1's text, is lazy text to CommonMark
    ("   - w1\n    ```yaml\n    a:\n      - w2\n    ```\n", {(3, SWALLOWED)}),
    ("- w1\n    - w2\n    ```yaml\n    a:\n      - [b]\n    ```\n", set()),
    ("> - w1\n> ```yaml\n> a:\n>   - [b]\n> ```\n", set()),
    ("```yaml\ndependencies:\n  - [dependency-1]\n```\n", set()),  # code is no list
    ("```\ncode\n```\n- w1\n", {(3, SWALLOWED)}),  # superfences: the fence is paragraph text
    ("Para\n2. w1\n", set()),  # CommonMark too: only a list from 1 may follow a paragraph
    ("<!--\nNotes:\n1. w1\n-->\n", set()),  # raw HTML
    ("<div>\nPara\n- w1\n</div>\n", set()),
    # Python-Markdown's raw HTML runs on to its closing tag, over blank lines; CommonMark's
    # `<div>` ends at the first blank line. The quick tests once passed these pages.
    ("<div>\n\n- w1\n", {(2, SWALLOWED)}),
    ("<details>\n\n- w1\n    - w2\n", {(2, SWALLOWED)}),
    ("  <p> w\n\n1. w1\n\n- w2\n", {(2, SWALLOWED), (4, SWALLOWED)}),
    ("<div>\n\n```\nx\n```\n\n- w1\n", {(6, SWALLOWED)}),  # past a fence too
    ("<div>\n\n</div>\n\n- w1\n", set()),  # closed: the list renders
    ("<hr>\n\n- w1\n", set()),  # an empty tag to Python-Markdown: the block is the tag
    # An element runs on to its own end tag, past those of the same name inside it; a
    # declaration or an instruction is a block of its own, as in CommonMark.
    ("<div>\n<div>\nw\n</div>\n\n- w1\n</div>\n", {(5, SWALLOWED)}),
    ("<div>\n<DIV class='a'>\n</div >\n\n- w1\n</div>\n", {(4, SWALLOWED)}),
    ("<div>\n<div/>\n</div>\n\n- w1\n", set()),  # `<div/>` is empty: the list renders
    ("<!DOCTYPE html>\n- w1\n", set()),
    ("<?php echo 1; ?>\n- w1\n", set()),
    ("<![CDATA[\nx\n]]>\n- w1\n", set()),
    # No tag inside a comment or a script counts; an unclosed comment, or any other `<!`,
    # is text; what follows a block on its last line is text, blanks too.
    ('<div class="grid">\n<!-- <div class="card"> -->\n</div>\n\n- w1\n', set()),
    ("<div>\n<!-- </div> -->\n\n- w1\n</div>\n", {(3, SWALLOWED)}),
    ("<script>\nw('<script>');\n</script>\n\n- w1\n", set()),
    ("<?php $a->b;\n?>\n- w1\n", set()),
    ("<hr/>\n<!--\n\n- w1\n", set()),
    ("<!ENTITY x 'y'>\n- w1\n", {(1, SWALLOWED)}),
    ("<!-- TODO --> \n- w1\n", {(1, SWALLOWED)}),
    ("Para\r\n- w1\r\n", {(1, SWALLOWED)}),
    ("1) w1\n2) w2\n", {(0, SWALLOWED)}),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n- w1\n", {(3, SWALLOWED)}),  # the table takes it as a row
    ("Para\n[ref]: https://example.com\n- w1\n", set()),  # a reference ends the paragraph
    (
        "Para\n---\n- w1\n",
        set(),
    ),  # a heading (setext)  # Python-Markdown has no ")" lists: no fix either
    # A block that starts as indented code has its fences put back as text by
    # superfences: the YAML's `- w3` is an item under w2, as in CommonMark.
    ("\n      1. w1\n  1. w2\n    ```yaml\n    a:\n      - w3\n    ```\n", set()),
    ("    code\n```\nx\n```\n- w1\n", {(4, SWALLOWED)}),  # ``` is text: w1 follows it
    # The same in a block quote: the fence's lines put back without their `>`.
    (">     Some text:\n>   1. w1\n>     ```yaml\n>     a:\n>       - w2\n>     ```\n>\n", set()),
    (
        ">       ```yaml\n>       a:\n>         - w1\n>       ```\n>       1. w2\n>    - [ ] w3\n"
        ">       more\n>    - w4\n>     more\n>\n>      1. w5\n>     more\n",
        set(),
    ),
    # Python-Markdown runs `- not a list` on, lazily, over the fence and `1) w9`: w9 is that
    # item's text, no item (the oracle once took it for the item, its token being the
    # first in the item's text; a token counts on the item's own first line only).
    (
        "Some text:\n- w1\n- w5\n\n    - w6\n- w7\n- w8\n```yaml\ndependencies:\n"
        "  - [dependency-1]\n- not a list\n```\nSome text:\n1) w9\n\n",
        {(1, SWALLOWED), (13, SWALLOWED)},
    ),
]


@pytest.mark.differential
@pytest.mark.parametrize(("text", "expected"), CASES)
def test_known_cases(text: str, expected: set[tuple[int, str]]) -> None:
    assert findings(text) == expected
    if expected:
        assert_quick_tests_see_lists(text)
    assert (
        oracle_places(text.replace("\r\n", "\n"), admonition_bodies(text), extensions()) == expected
    )


def test_messages_say_what_to_do() -> None:
    (swallowed,) = list_findings("Para\n- w1\n", commonmark_items("Para\n- w1\n"))
    assert swallowed.message == "MkDocs shows this list as text: it needs a blank line before it"
    text = "1. w1\n   - w2\n"
    (nesting,) = list_findings(text, commonmark_items(text))
    assert nesting.message == (
        "MkDocs does not nest this list: indented 3 spaces, it needs 4 to nest it under the "
        "item above"
    )


def test_pathological_nesting_gives_no_traceback() -> None:
    for text in (
        "Para\n" + "> " * 3000 + "- a\n",
        "".join("  " * i + "- a\n" for i in range(2000)),
    ):
        assert isinstance(list_findings(text, commonmark_items(text)), list)


@settings(max_examples=400, deadline=None)
@given(
    st.tuples(
        st.text(" \t", max_size=9),
        st.sampled_from(["-", "*", "1.", "12.", "1)", "a.", "-."]),
        st.text(" \t\r", max_size=2),
        st.text(st.sampled_from(list(" \t-*1.ab")), max_size=6),
    ).map("".join)
)
def test_the_quick_plain_item_is_what_the_whole_reading_calls_plain(line: str) -> None:
    """`may_differ`'s shortcut for the commonest list lines says "plain" only where
    `_list_line` does, with the line's indentation."""
    indent = list_reading._plain_item_indent(line)
    if indent is not None:
        assert list_reading._list_line(line) == "plain"
        assert indent == len(line) - len(line.lstrip(" "))


def test_a_fix_models_each_text_once_and_keeps_none_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page's fix reads the page and each fixed candidate with the quick model once,
    for their findings and their containers alike; nothing is kept past the page (the
    next page, or check's reading, models its text afresh)."""
    from guidewright.markdown import pymarkdown_lists
    from guidewright.rules.list_rules import fix_lists

    modelled: list[tuple[str, ...]] = []
    model = pymarkdown_lists.python_markdown_lists

    def counted(lines: list[str]) -> pymarkdown_lists.Rendered:
        modelled.append(tuple(lines))
        return model(lines)

    monkeypatch.setattr(pymarkdown_lists, "python_markdown_lists", counted)
    page = "Intro:\n- a\n  - b\n\n!!! note\n    - c\n    - d\n"
    fixed = fix_lists(page)
    assert fixed.fixed == 2
    assert fixed.text == "Intro:\n\n- a\n    - b\n\n!!! note\n    - c\n    - d\n"
    assert len(modelled) == len(set(modelled)) == 3  # the page, after each of two rounds
    list_findings(page, commonmark_items(page))
    list_findings(page, commonmark_items(page))
    assert len(modelled) == 5
