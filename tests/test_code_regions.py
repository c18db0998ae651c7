"""Fenced code as the two parsers read it (markdown/code_regions.py): CommonMark's reading
against pulldown-cmark itself, superfences' against the cases that set it apart."""

from __future__ import annotations

import random

import pyromark
import pytest

from guidewright.markdown.code_regions import (
    commonmark_blocks,
    commonmark_code_lines,
    fence_lines,
    line_spans,
    superfences_blocks,
    superfences_code_lines,
)


def _pulldown_fenced_lines(text: str) -> list[bool]:
    """Each line of `text` inside a fenced code block, fences included, as pulldown-cmark
    reads it."""
    starts = [0] + [at + 1 for at, char in enumerate(text) if char == "\n"]
    inside = [False] * len(starts)
    events = pyromark.events_with_range(text, options=pyromark.Options.ENABLE_TABLES)
    for event, span in events:
        start = event.get("Start") if isinstance(event, dict) else None
        if isinstance(start, dict) and "Fenced" in start.get("CodeBlock", {}):
            first = sum(1 for s in starts if s <= span["start"]) - 1
            last = sum(1 for s in starts if s < span["end"]) - 1
            for number in range(first, last + 1):
                inside[number] = True
    return inside


def test_commonmark_reading_is_pulldown_cmarks_on_random_pages() -> None:
    """Fences of every kind, indentations, info strings and closings, outside lists and
    block quotes: the lines in code are exactly pulldown-cmark's."""
    pieces = ["```", "~~~", "````", "~~~~", "``", " ", "  ", "   ", "    ", "py", "`x`", "a"]
    chosen = random.Random(31)
    for _ in range(3000):
        lines = [
            "".join(chosen.choice(pieces) for _ in range(chosen.randrange(0, 4)))
            for _ in range(chosen.randrange(1, 8))
        ]
        lines = [line for line in lines if line.strip()] or ["a"]  # blank lines end nothing
        text = "\n".join(lines)
        expected = _pulldown_fenced_lines(text)
        assert commonmark_code_lines(lines) == expected, text


@pytest.mark.parametrize(
    ("text", "commonmark", "superfences"),
    [
        ("```\ncode\n```\ntext", [True, True, True, False], [True, True, True, False]),
        # Unclosed: CommonMark's code to the end; superfences' no code at all.
        ("```\ncode", [True, True], [False, False]),
        # A longer closing fence closes CommonMark's; superfences wants the same fence.
        ("```\nx\n````\ny\n```", [True, True, True, False, True], [True] * 5),
        # A closing line with an info string closes neither.
        ("~~~\n~~~ py\n~~~", [True, True, True], [True, True, True]),
        # Indented 4: CommonMark's indented code, no fence; superfences' fence.
        ("    ```\n    x\n    ```", [False, False, False], [True, True, True]),
        # In a block quote: superfences' fence (CommonMark's is the quote's business).
        ("> ```\n> x\n> ```", [False, False, False], [True, True, True]),
        # Content less indented than its fence: superfences drops the fence.
        ("  ```\nx\n  ```", [True, True, True], [False, False, False]),
        # A backtick fence's info string holds no backtick.
        # (Its last line opens a fence, never closed.)
        ("``` a`b\nx\n```", [False, False, True], [False, False, False]),
    ],
)
def test_the_two_readings_differ_where_the_parsers_do(
    text: str, commonmark: list[bool], superfences: list[bool]
) -> None:
    lines = text.split("\n")
    assert commonmark_code_lines(lines) == commonmark
    assert superfences_code_lines(lines) == superfences


def test_blocks_say_where_they_are_and_fence_lines_are_found_by_their_marks() -> None:
    text = "intro\n\n```py\nx = 1\n```\n\nmid ``` not a fence\n~~~\ny\n~~~\n"
    assert [(text[f.start : f.end], f.run, f.info) for f in fence_lines(text)] == [
        ("```py", "```", "py"),
        ("```", "```", ""),
        ("~~~", "~~~", ""),
        ("~~~", "~~~", ""),
    ]
    blocks = commonmark_blocks(text)
    assert line_spans(text, blocks) == [(2, 4), (7, 9)]
    assert [text[b.start : b.end] for b in blocks] == ["```py\nx = 1\n```", "~~~\ny\n~~~"]
    assert superfences_blocks(text) == blocks
