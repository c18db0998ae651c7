"""Fuzzy matching as the wizard's pickers and the editor's completion share it: a value
matches when it holds the query's letters in order (`rlm` finds `rate-limiting`)."""

from __future__ import annotations

import re


def fuzzy(query: str, values: list[str]) -> list[str]:
    """The values holding the query's letters in order, best (tightest, earliest) first."""
    if not query:
        return list(values)
    pattern = re.compile(".*?".join(map(re.escape, query.lower())))
    scored = []
    for value in values:
        found = pattern.search(value.lower())
        if found:
            scored.append((found.end() - found.start(), found.start(), value))
    return [value for *_, value in sorted(scored)]
