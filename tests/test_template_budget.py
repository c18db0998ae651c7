"""A template's Jinja that raises or never ends: a TemplateError naming what failed, after
a bounded number of steps, in any thread; a template that behaves renders as before."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from jinja2 import TemplateError

from guidewright.copier_compat.jinja import Expressions, copier_environment
from guidewright.copier_compat.jinja_budget import STEPS, TemplateFailed, TooManySteps
from guidewright.copier_compat.questions import Question, SettingFailed
from guidewright.core.errors import InvalidInput

NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
SLOW = [
    NESTED_LOOPS,
    # A macro that calls itself twice: 2 ** 40 calls, and no loop at all.
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    # A recursive loop's next level, called from the loop.
    "{% for i in range(2) recursive %}{% for j in range(100000) %}{% endfor %}"
    "{{ loop(range(50)) }}{% endfor %}",
    "{{ loop_items | length }}{% for i in range(100000) %}{% for j in [1] * 100000 %}"
    "{% endfor %}{% endfor %}",
]
HUGE = ["{{ 10 ** 100000000 }}", "{{ 'x' * 10 ** 9 }}", "{{ 10 ** 9 * [0] }}"]
RAISING = {
    "{{ 1 / 0 }}": "ZeroDivisionError: division by zero",
    "{{ x | regex_search('(') }}": "re.error: missing ), unterminated subpattern at position 0",
    "{{ '%d' | format(x) }}": "TypeError: %d format: a real number is required, not str",
}


def expressions() -> Expressions:
    return Expressions(copier_environment())


@pytest.mark.parametrize("source", SLOW)
def test_a_template_that_never_ends_stops_at_its_budget(source: str) -> None:
    with pytest.raises(TooManySteps, match=f"runs past {STEPS:,} steps"):
        expressions().render(source, {"x": "a", "loop_items": [1]})


@pytest.mark.parametrize("source", HUGE)
def test_a_value_too_large_to_compute_is_refused_first(source: str) -> None:
    with pytest.raises(TooManySteps, match="more than"):
        expressions().render(source, {})


@pytest.mark.parametrize(("source", "reason"), RAISING.items())
def test_a_python_error_is_a_template_error_naming_it(source: str, reason: str) -> None:
    with pytest.raises(TemplateFailed) as failed:
        expressions().render(source, {"x": "a"})
    assert str(failed.value) == reason
    assert isinstance(failed.value, TemplateError)


def test_a_page_render_has_the_same_budget() -> None:
    env = copier_environment()
    with pytest.raises(TooManySteps):
        env.from_string(NESTED_LOOPS).render()
    with pytest.raises(TemplateFailed, match="ZeroDivisionError"):
        env.from_string("{{ 1 / 0 }}").render()


def test_each_render_has_a_budget_of_its_own() -> None:
    # Two thirds of the budget, three times over: each render alone fits.
    source = "{% for i in range(" + str(STEPS * 2 // 3) + ") %}{% endfor %}done"
    jinja = expressions()
    assert [jinja.render(source, {}) for _ in range(3)] == ["done"] * 3


def test_the_budget_holds_in_another_thread() -> None:
    found: list[BaseException] = []

    def judge() -> None:
        try:
            expressions().render(NESTED_LOOPS, {})
        except TooManySteps as error:
            found.append(error)

    worker = threading.Thread(target=judge)
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and len(found) == 1


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{% for x in items %}{{ loop.index }}/{{ loop.length }} {% endfor %}", {}, "1/2 2/2 "),
        ("{% for x in items if x > 1 %}{{ x }}{% else %}none{% endfor %}", {}, "2"),
        ("{% for x in [] %}{{ x }}{% else %}none{% endfor %}", {}, "none"),
        ("{% for x in tree recursive %}{{ x.n }}{{ loop(x.c) }}{% endfor %}", {}, "123"),
        ("{% for k, v in {'a': 1} | dictsort %}{{ k }}={{ v }}{% endfor %}", {}, "a=1"),
        ("{{ 2 ** 10 }} {{ 'ab' * 2 }} {{ 3 * [0] }} {{ 1.5 * 2 }}", {}, "1024 abab [0, 0, 0] 3.0"),
        ("{% for x in missing %}{{ x }}{% endfor %}", {}, ""),
    ],
)
def test_templates_that_behave_render_as_before(
    source: str, context: dict[str, Any], expected: str
) -> None:
    tree = [{"n": 1, "c": [{"n": 2, "c": []}, {"n": 3, "c": []}]}]
    values = {"items": [1, 2], "tree": tree, **context}
    assert expressions().render(source, values) == expected


def test_a_validator_that_fails_is_the_answers_refusal() -> None:
    jinja = expressions()
    raising = Question("topic", jinja, type="str", validator="{{ 1 / 0 }}")
    assert raising.problem("x", {}) == (
        "x",
        "the template's validator fails: ZeroDivisionError: division by zero",
    )
    slow = Question("topic", jinja, type="str", validator=NESTED_LOOPS)
    assert slow.problem("x", {})[1] == (
        f"the template's validator fails: runs past {STEPS:,} steps (loop turns and calls)"
    )


def test_a_failing_condition_or_default_names_its_question() -> None:
    jinja = expressions()
    condition = Question("difficulty", jinja, type="str", when="{{ 1 / 0 }}")
    with pytest.raises(SettingFailed) as failed:
        condition.applies({})
    assert str(failed.value) == (
        "difficulty: the template's condition fails: ZeroDivisionError: division by zero"
    )
    assert isinstance(failed.value, InvalidInput)  # a command's one-line error, exit 2
    default = Question("estimated_time", jinja, type="str", default="{{ [] | first + 1 }}")
    with pytest.raises(SettingFailed, match="estimated_time: the template's default fails"):
        default.default_value({})


def test_check_makes_a_failing_condition_the_pages_finding(
    template_copy: Path, tmp_path: Path
) -> None:
    from guidewright.markdown.frontmatter import parse
    from guidewright.rules.questions_check import frontmatter_problems
    from guidewright.template.questionnaire import load_questionnaire

    template = shutil.copytree(template_copy, tmp_path / "template")
    config = (template / "copier.yml").read_text("utf-8")
    config = config.replace("difficulty:\n", 'difficulty:\n  when: "{{ 1 / 0 }}"\n', 1)
    (template / "copier.yml").write_text(config, "utf-8")
    page = parse("---\ncontent_type: guide\ntopic: T\ndifficulty: advanced\n---\n")
    assert page is not None
    found = frontmatter_problems("docs/p.md", page, load_questionnaire(template))
    assert [(p.line, p.field, p.message, p.code) for p in found] == [
        (
            4,
            "difficulty",
            "the template's condition fails: ZeroDivisionError: division by zero",
            "GW101",
        )
    ]
