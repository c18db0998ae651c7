"""`check --fix`'s core: the list fixes of GW601 change only blank lines and indentation,
leave the page's CommonMark reading as it was, make Python-Markdown agree, and a second
run changes nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_oracle import (
    admonition_bodies,
    authors_items_of,
    containers_of,
    documents,
    oracle_places,
    places_in_html,
    python_markdown_html,
)
from test_list_rules import extensions

from guidewright.rules.list_reading import ENDED_BY_CONTAINER, commonmark_items, list_findings
from guidewright.rules.list_rules import fix_lists


def words(text: str) -> list[str]:
    """The lines that hold text, without their spaces: what a fix may not change."""
    return [line.replace(" ", "") for line in re.split(r"\r\n|\r|\n", text) if line.strip(" >")]


def openers(text: str) -> list[str]:
    """The admonitions' first lines, as they are: what a fix may not move."""
    return [line for line in re.split(r"\r\n|\r|\n", text) if line.lstrip(" >")[:3] == "!!!"]


# Derandomized: the same 300 documents each run, so that CI is not failed by a new random
# find; the known one it found is pinned below, and a random search (`derandomize=False`)
# is how to look for more.
@pytest.mark.differential
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(documents(), st.sampled_from(["\n", "\r\n"]))
def test_fixes_are_blank_lines_and_indentation_and_a_second_run_changes_nothing(
    document: tuple[str, list[str]], line_end: str
) -> None:
    text = document[0].replace("\n", line_end)
    result = fix_lists(text)
    assert words(result.text) == words(text)
    assert openers(result.text) == openers(text)  # an indented `!!! note` is no admonition
    if line_end == "\r\n":
        assert "\n" not in result.text.replace("\r\n", "")
    assert fix_lists(result.text).text == result.text
    left = list_findings(result.text, commonmark_items(result.text))
    assert len(left) == result.unfixed
    # The author reads the page as before: the same items under the same items, each
    # admonition's content read as a page (CommonMark's reading of its lines, the lazy
    # text of an item before it, is no one's: a fix may change it).
    unix = result.text.replace("\r\n", "\n")
    assert authors_items_of(unix, admonition_bodies(unix)) == authors_items_of(
        document[0], document[1]
    )
    assert_python_markdown_agrees(document[0], unix, {(f.line, f.kind) for f in left})


def assert_python_markdown_agrees(text: str, fixed: str, left: set[tuple[int, str]]) -> None:
    """A fix changes what the site renders only in the nesting it announces: every
    admonition shows the same text, and Python-Markdown itself (admonitions included)
    renders otherwise only what is left found."""
    before = python_markdown_html(text, extensions())
    after = python_markdown_html(fixed, extensions())
    assert containers_of(after) == containers_of(before)
    assert places_in_html(fixed, admonition_bodies(fixed), after) == left


def test_a_second_run_changes_nothing_after_an_admonition_ended_by_a_numbered_line() -> None:
    text = '- w1\n!!! note "Note"\n    - w2\n       * w4\n\n    - w5\n      * w6\n1) w9'
    once = fix_lists(text).text
    assert fix_lists(once).text == once
    # w4 re-indented alone: the blank line after it ends its item, w5 stays where it was.
    assert once == '- w1\n!!! note "Note"\n    - w2\n        * w4\n\n    - w5\n        * w6\n1) w9'


@pytest.mark.differential
def test_what_is_left_after_a_fix_is_what_python_markdown_shows() -> None:
    result = fix_lists("- w1\n  2. w2\n\n  2. w3\n\n\n")
    left = list_findings(result.text, commonmark_items(result.text))
    assert oracle_places(result.text, [], extensions()) == {(f.line, f.kind) for f in left}
    # '2. w2' is text of w1 to CommonMark and an item to Python-Markdown: no blank line or
    # indentation nests w3 under w1 in both, so the page is left as found, the run told.
    assert (result.text, result.fixed, result.unfixed) == ("- w1\n  2. w2\n\n  2. w3\n\n\n", 0, 1)


def test_a_finding_no_fix_reaches_does_not_hold_up_the_others() -> None:
    # '1)' is never a list to Python-Markdown: its blank line fixes nothing. The ten other
    # lists are fixed all in the first run, not one a round until the rounds run out.
    text = "".join(f"Para\n- w{n}\n\n" for n in range(1, 11)) + "Para\n1) w11\n"
    result = fix_lists(text)
    assert result.text == text.replace("Para\n- ", "Para\n\n- ")
    assert (result.fixed, result.unfixed) == (10, 1)


CASES = [
    (
        "Before starting, ensure you have:\n- [ ] a\n- [ ] b\n",
        "Before starting, ensure you have:\n\n- [ ] a\n- [ ] b\n",
    ),
    (
        "1. **Q**\n   - **Approach**: x\n   - **Key Points**: y\n",
        "1. **Q**\n    - **Approach**: x\n    - **Key Points**: y\n",
    ),
    ("- a\n  - b\n    - c\n", "- a\n    - b\n        - c\n"),
    ("> Para\n> - a\n", "> Para\n>\n> - a\n"),
    ("Intro:\r\n- a\r\n  - b\r\n", "Intro:\r\n\r\n- a\r\n    - b\r\n"),
    ("!!! note\n    Para\n    - a\n      - b\n", "!!! note\n    Para\n\n    - a\n        - b\n"),
    ("---\ntitle: x\n---\nIntro:\n- a\n", "---\ntitle: x\n---\nIntro:\n\n- a\n"),
    ("\ufeff---\ntitle: x\n---\nIntro:\n- a\n", "\ufeff---\ntitle: x\n---\nIntro:\n\n- a\n"),
    ("```yaml\ndependencies:\n  - a\n```\n", "```yaml\ndependencies:\n  - a\n```\n"),
    # CommonMark reads the admonition as b's lazy text: re-indenting it with b would make
    # `  !!! note` text; b alone is re-indented, c staying in the admonition as the author
    # reads it (CommonMark, which knows no admonition, reads c elsewhere: no matter).
    ("- a\n  - b\n!!! note\n    - c\n    d\n", "- a\n    - b\n!!! note\n    - c\n    d\n"),
    ("---\ntitle: [\n---\nIntro:\n- a\n", "---\ntitle: [\n---\nIntro:\n- a\n"),  # bad YAML: left
]

# Pages a fix once broke, each left as found: indenting the line after the admonition
# moved it into the admonition; re-indenting `!!! note`, text inside c, made an admonition.
AFTER_AN_ADMONITION = [
    '- w1 Install\n!!! tip "Tip"\n    - w2 use\n\n  - w3 then check\n',
    "1. Install w1\n!!! tip\n    Use brew.\n\n   - then verify w2\n",
]
TEXT_MADE_AN_ADMONITION = [
    "- w1\n  1. w2\n     * w3\n  !!! note\n      - w4\n",
    "- w1\n  1. w2\n     * w3\n  !!! note\n      plain\n",  # no list in it: told apart
]


@pytest.mark.differential
@pytest.mark.parametrize("text", [*AFTER_AN_ADMONITION, *TEXT_MADE_AN_ADMONITION])
def test_a_fix_moves_no_line_into_or_out_of_an_admonition(text: str) -> None:
    result = fix_lists(text)
    assert (result.text, result.fixed, result.unfixed) == (text, 0, 1)
    left = list_findings(text, commonmark_items(text))
    assert_python_markdown_agrees(text, result.text, {(f.line, f.kind) for f in left})


@pytest.mark.parametrize("text", AFTER_AN_ADMONITION)
def test_a_list_after_an_admonition_is_told_no_indentation_nests_it(text: str) -> None:
    (finding,) = list_findings(text, commonmark_items(text))
    assert finding.message == ENDED_BY_CONTAINER
    assert "needs" not in finding.message


@pytest.mark.parametrize(("text", "fixed"), CASES)
def test_known_fixes(text: str, fixed: str) -> None:
    assert fix_lists(text).text == fixed


@pytest.mark.parametrize("text", ["<div>\n\n- w1\n", "<div> w\n\n- w1\n        - w2"])
def test_a_list_in_raw_html_is_left_and_said_to_be_left(text: str) -> None:
    """Python-Markdown's `<div>` runs on to its closing tag: the list is text on the site,
    and no blank line or indentation changes that. Once the quick test cleared the page:
    nothing fixed, nothing said left, while list_findings found the list."""
    result = fix_lists(text)
    assert (result.text, result.fixed, result.unfixed) == (text, 0, 1)
    assert len(list_findings(text, commonmark_items(text))) == 1
