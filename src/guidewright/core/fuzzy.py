"""Fuzzy matching as the wizard's pickers and the editor's completion share it: a value
matches when it holds the query's letters in order (`rlm` finds `rate-limiting`)."""

from __future__ import annotations


def fuzzy(query: str, values: list[str]) -> list[str]:
    """The values holding the query's letters in order, best (tightest, earliest) first."""
    if not query:
        return list(values)
    wanted = query.lower()
    scored = []
    for value in values:
        span = _span(wanted, value.lower())
        if span is not None:
            scored.append((span[1] - span[0], span[0], value))
    return [value for *_, value in sorted(scored)]


def _span(wanted: str, text: str) -> tuple[int, int] | None:
    """Where `text` holds `wanted`'s letters in order: from the first letter's first place,
    each next letter at its first place after the one before, as a regular expression
    `w.*?a.*?n...` finds them, in one pass (that expression backtracks for a long time
    over the values it does not match: 5,000 pages to complete)."""
    start = text.find(wanted[0])
    if start < 0:
        return None
    at = start + 1
    for letter in wanted[1:]:
        at = text.find(letter, at)
        if at < 0:
            return None
        at += 1
    return start, at
