"""A page's current answers: the recorded ones overlaid with its frontmatter, judged by the
question model as `check` judges them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REPO
from test_merge_property import ANSWERS, DOCUMENT

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.rules.page_answers import (
    PageAnswers,
    RefusedFrontmatter,
    page_answers,
)
from guidewright.template.questionnaire import questionnaire_of

RENDERER = TemplateRenderer(REPO)
QUESTIONNAIRE = questionnaire_of(RENDERER)
PAGE = RENDERER.render(ANSWERS, src_path="t", commit="v1", only={DOCUMENT})[DOCUMENT]


def answers_of(content: bytes) -> PageAnswers:
    return page_answers(content, ANSWERS, QUESTIONNAIRE)


def test_an_untouched_page_holds_its_recorded_answers() -> None:
    page = answers_of(PAGE)
    assert page.answers == ANSWERS and page.changed == () and page.notes == ()


def test_edited_values_become_answers_as_the_question_reads_them() -> None:
    content = PAGE.replace(b'difficulty: "advanced"', b"difficulty: expert")
    content = content.replace(b'last_updated: "2026-01-01"', b"last_updated: 2026-03-02")
    content = content.replace(b'tags: ["aa", "bb"]', b"tags: [aa, cc]")
    page = answers_of(content)
    assert page.changed == ("difficulty", "tags", "last_updated")
    assert page.answers["difficulty"] == "expert" and page.answers["tags"] == ["aa", "cc"]
    assert page.answers["last_updated"] == "2026-03-02"  # an unquoted date is that day


def test_a_value_is_never_rewritten_into_another() -> None:
    with pytest.raises(RefusedFrontmatter, match=r"^version \(line 10\): must be text"):
        answers_of(PAGE.replace(b'version: "1.0"', b"version: 1.10"))
    with pytest.raises(RefusedFrontmatter, match=r"^difficulty \(line 6\): must be one of"):
        answers_of(PAGE.replace(b'difficulty: "advanced"', b'difficulty: "guru"'))


def test_location_and_type_are_not_read_from_the_frontmatter() -> None:
    page = answers_of(PAGE.replace(b'title: "Queues"', b'title: "Queues"\nslug: "elsewhere"'))
    assert page.answers["slug"] == "q"
    with pytest.raises(RefusedFrontmatter, match="changing a page's type is not an update"):
        answers_of(PAGE.replace(b'content_type: "guide"', b'content_type: "tutorial"'))


def test_deleted_keys_and_unreadable_frontmatter_keep_the_recorded_answers() -> None:
    deleted = answers_of(PAGE.replace(b'status: "draft"', b"").replace(b"status:", b"x:"))
    assert deleted.answers["status"] == "draft"
    assert deleted.notes == ("keys not in the frontmatter keep their recorded answers: status",)
    for broken in (b'tags: ["aa"', b"tags: caf\xe9", b"tags: a\0b"):
        page = answers_of(PAGE.replace(b'tags: ["aa", "bb"]', broken))
        assert page.answers == ANSWERS and "the recorded answers stay" in page.notes[0], broken


def test_only_the_frontmatter_is_decoded() -> None:
    page = answers_of(
        PAGE.replace(b'difficulty: "advanced"', b'difficulty: "expert"') + b"\xff\0 a\rb\n"
    )
    assert page.answers["difficulty"] == "expert"


keys = st.sampled_from([*ANSWERS, "content_type", "note"])
values = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dates(),
)


@settings(max_examples=200, deadline=None)
@given(overrides=st.dictionaries(keys, values, max_size=6), raw=st.binary(max_size=40))
def test_any_frontmatter_gives_answers_or_a_refusal(
    overrides: dict[str, object], raw: bytes
) -> None:
    """Never anything else: no traceback, whatever the page holds."""
    import yaml

    data = {**ANSWERS, **overrides}
    content = b"---\n" + yaml.safe_dump(data).encode() + raw + b"\n---\nbody\n"
    try:
        page = answers_of(content)
    except RefusedFrontmatter as error:
        assert str(error).split(" ", 1)[0] in data
        return
    assert set(page.answers) == set(ANSWERS)
