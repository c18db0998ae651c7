"""find_mark: str.find for a mark, found from its first character (fast on wide text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guidewright.markdown.text_search import find_mark

# Few characters, so that marks and their first characters occur often; an emoji makes
# some texts wide (four bytes a character), as a page with one is.
TEXTS = st.text(alphabet="ab!?<`\n😀", max_size=30)
MARKS = st.text(alphabet="ab!?<`😀", min_size=1, max_size=4)


@given(TEXTS, MARKS, st.integers(min_value=0, max_value=35))
@settings(max_examples=300, deadline=None)
def test_it_finds_what_str_find_finds(text: str, mark: str, start: int) -> None:
    assert find_mark(text, mark, start) == text.find(mark, start)


def test_a_mark_after_many_of_its_first_character() -> None:
    text = "😀 " + "<" * 6 + " " + "<" * 7 + "\n"
    assert find_mark(text, "<" * 7) == text.find("<" * 7) == 9
    assert find_mark(text, "<!--") == -1
