"""A validator called straight through its macro gives what rendering it gives."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidewright.copier_compat.jinja import copier_environment
from guidewright.copier_compat.macro_calls import macro_call
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import bundled_template

QUESTIONNAIRE = load_questionnaire(bundled_template())
VALIDATED = [q for q in QUESTIONNAIRE.questions.values() if q.validator]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["45 min", "2026-11-01", "2026-13-45", "caching", "a-b", "L6", "  ", "🎯"]),
    st.lists(st.text(max_size=12), max_size=7),
    st.integers(),
    st.none(),
    st.booleans(),
)


def test_the_templates_validators_take_the_direct_call() -> None:
    """Else the direct call saves nothing: every validator of our template has the shape."""
    env = QUESTIONNAIRE.jinja.env
    assert VALIDATED and all(macro_call(env, q.validator) for q in VALIDATED)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(VALIDATED),
    VALUES,
    st.dictionaries(
        st.sampled_from(["content_type", "docs_dir", "section", "slug", "topic"]),
        st.text(max_size=8),
    ),
)
def test_a_direct_call_gives_what_the_render_gives(
    question: Any, value: Any, others: dict[str, str]
) -> None:
    jinja = QUESTIONNAIRE.jinja
    context = {**others, question.name: value}
    call = macro_call(jinja.env, question.validator)
    assert call is not None
    try:
        expected: object = jinja.compiled(question.validator).render(**context)
    except Exception as error:  # the same error, either way
        expected = type(error)
    try:
        got: object = call.render(jinja.env, context)
    except Exception as error:
        got = type(error)
    assert got == expected


def test_other_shapes_and_environments_render() -> None:
    env = copier_environment(None, None)
    assert macro_call(env, '{% import "r.jinja" as r %}{{ r.m(x, 3, "a") }}') is not None
    for source in [
        '{% import "r.jinja" as r %}{{ r.m(x) }} ',  # text after it
        '{% import "r.jinja" as r with context %}{{ r.m(x) }}',
        '{% import "r.jinja" as r %}{{ r.m(x | upper) }}',
        '{% import "r.jinja" as r %}{{ r.m(x=1) }}',
        '{% import "r.jinja" as r %}{{ other.m(x) }}',
        "{% import name as r %}{{ r.m(x) }}",
        "{{ x }}",
    ]:
        assert macro_call(env, source) is None, source
    escaping = copier_environment(None, {"autoescape": True})
    assert macro_call(escaping, '{% import "r.jinja" as r %}{{ r.m(x) }}') is None
