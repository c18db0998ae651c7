"""Hypothesis strategies for the texts of simple patterns (names, slugs, paths, versions),
drawn a whole text at a time.

`st.from_regex` draws a match one character at a time, each through a strategy of its own:
in the property tests it took from a third to a half of the time spent making examples.
The same texts are made here of `st.text` draws (one draw each, on Hypothesis's fast path
for an alphabet) joined together; each function names the pattern whose matches, all of
them and only them, it draws."""

from __future__ import annotations

from hypothesis import strategies as st


def word(first: str, rest: str, most: int) -> st.SearchStrategy[str]:
    """`[first][rest]{0,most}`: a character of `first`, then up to `most` of `rest`."""
    return st.builds(
        str.__add__, st.text(first, min_size=1, max_size=1), st.text(rest, max_size=most)
    )


def joined(
    part: st.SearchStrategy[str], separator: str, fewest: int, most: int
) -> st.SearchStrategy[str]:
    """`part(separator part){fewest-1,most-1}`: `fewest` to `most` parts, `separator`
    between them."""
    return st.lists(part, min_size=fewest, max_size=most).map(separator.join)
