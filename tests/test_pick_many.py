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


def test_enter_takes_the_highlighted_tag_only_when_it_starts_with_the_typed_text() -> None:
    from guidewright.cli.pick_many import _State, enter_value

    def after_typing(query: str) -> str:
        state = _State(list(TAGS), [], query=query)
        state.refresh()
        return enter_value(state, lambda text: text.strip().lower().replace(" ", "-"))

    assert after_typing("ds") == "ds"  # fuzzy-matches system-design, which does not start so
    assert after_typing("ai") == "ai"  # matches caching: Enter still adds what was typed
    assert after_typing("cach") == "caching"
    assert after_typing("CACH") == "caching"
    assert after_typing("Rate Limit") == "rate-limit"  # normalised, not rate-limiting
    assert after_typing("rate-lim") == "rate-limiting"
