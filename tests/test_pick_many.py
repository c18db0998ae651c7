"""The tag picker's fuzzy filter (the prompt itself is driven in test_interactive.py)."""

from __future__ import annotations

from guidewright.cli.pick_many import fuzzy

TAGS = ["aws", "coding", "rate-limiting", "caching", "system-design", "load-balancing"]


def test_letters_in_order_tightest_first() -> None:
    assert fuzzy("cdg", TAGS) == ["coding"]
    assert fuzzy("rlm", TAGS) == ["rate-limiting"]
    assert fuzzy("ing", TAGS)[0] == "coding"  # the tightest, earliest match leads
    assert fuzzy("", TAGS) == TAGS
    assert fuzzy("zz", TAGS) == []
    assert fuzzy("A.S", ["a.s", "aws"]) == ["a.s"]  # typed text is literal, not a pattern
