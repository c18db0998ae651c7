"""core/fuzzy.py: the letters in order, best (tightest, earliest) first, as the regular
expression `q.*?u.*?e...` ranks them, without its backtracking."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from guidewright.core.fuzzy import fuzzy

LETTERS = st.text(alphabet="abcAB-/ é", max_size=12)


def by_expression(query: str, values: list[str]) -> list[str]:
    if not query:
        return list(values)
    pattern = re.compile(".*?".join(map(re.escape, query.lower())))
    scored = []
    for value in values:
        found = pattern.search(value.lower())
        if found:
            scored.append((found.end() - found.start(), found.start(), value))
    return [value for *_, value in sorted(scored)]


@given(query=st.text(alphabet="abcB-é", max_size=4), values=st.lists(LETTERS, max_size=8))
def test_fuzzy_ranks_as_the_expression_does(query: str, values: list[str]) -> None:
    assert fuzzy(query, values) == by_expression(query, values)


def test_fuzzy_finds_the_letters_in_order_best_first() -> None:
    tags = ["rate-limiting", "reliability", "hands-on", "system-design"]
    assert fuzzy("rlm", tags) == ["rate-limiting"]
    assert fuzzy("hands-o", tags) == ["hands-on"]
    assert fuzzy("sd", tags) == ["system-design"]
    assert fuzzy("", tags) == tags
