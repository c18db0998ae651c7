"""The question model reads copier.yml as Copier does and judges answers as Copier does.

Where Copier defines the behaviour, the tests put the same question to Copier's own
`Question` and compare."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import copier_oracle
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from support import REPO

from guidewright.copier_compat import expression_reads, jinja
from guidewright.copier_compat.config import read_template_config
from guidewright.copier_compat.expression_reads import Outside
from guidewright.copier_compat.jinja import Expressions, copier_environment
from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.errors import InvalidInput
from guidewright.template.questionnaire import (
    Questionnaire,
    load_questionnaire,
    questionnaire_from_config,
)

QUESTIONNAIRE = load_questionnaire(REPO)
TEMPLATE_QUESTIONS = read_template_config(REPO).questions  # read once: 60 ms a read
CONTEXT = {"content_type": "guide", "last_updated": "2026-05-01"}

VALID: list[tuple[str, Any]] = [
    ("title", "DynamoDB: {{ x }} # ünïcode 🎯"),
    ("audience", ["L7"]),
    ("audience", ["L6", "L7"]),
    ("difficulty", "expert"),
    ("estimated_time", "5 min"),
    ("estimated_time", "600 min"),
    ("tags", ["a", "b-2"]),
    ("tags", ["a", "b", "c", "d", "e", "f"]),
    ("last_updated", "2024-02-29"),
    ("version", "1.0"),
    ("version", "2"),
    ("deliverables", []),
    ("learning_objectives", ["one"]),
    ("prerequisites", ["fundamentals/index.md", "a.md"]),
    ("slug", "a-b-3"),
    ("section", "system-design/deep_dives"),
    ("docs_dir", "content/docs"),
    ("review_date", "2026-05-02"),
]

INVALID: list[tuple[str, Any]] = [
    ("title", ""),
    ("title", "   "),
    ("title", "two\nlines"),
    ("title", "bell\x07"),
    ("title", "sep\u2028arator"),
    ("audience", []),
    ("audience", ["L8"]),
    ("difficulty", "hard"),
    ("estimated_time", "4 min"),
    ("estimated_time", "601 min"),
    ("estimated_time", "45"),
    ("estimated_time", "45 minutes"),
    ("tags", ["only-one"]),
    ("tags", ["a", "b", "c", "d", "e", "f", "g"]),
    ("tags", ["a", "a"]),
    ("tags", ["Upper", "b"]),
    ("tags", ["a", "-b"]),
    ("tags", ["a", "b--c"]),
    ("tags", ["a", "b\n"]),  # a trailing newline passes `$`, not `\Z`
    ("tags", "a,b"),
    ("last_updated", "2023-02-29"),
    ("last_updated", "2024-13-01"),
    ("last_updated", "24-01-01"),
    ("version", "v1"),
    ("learning_objectives", []),
    ("learning_objectives", [""]),
    ("prerequisites", ["../etc/passwd.md"]),
    ("prerequisites", ["/abs.md"]),
    ("prerequisites", ["notes.txt"]),
    ("slug", ""),
    ("slug", "Upper"),
    ("slug", "a--b"),
    ("slug", "../x"),
    ("slug", "a-b\n"),
    ("slug", "a" * 101),
    ("section", "../up"),
    ("section", "/abs"),
    ("section", "a//b"),
    ("section", "fundamentals\n"),
    ("docs_dir", "../outside"),
    ("review_date", "2026-05-01"),
    ("review_date", "2026-04-30"),
]


def copier_question(name: str) -> Any:
    """The same question, as Copier's own class, with Copier's own Jinja sandbox."""
    return copier_oracle.copier_question(
        REPO, copy.deepcopy(TEMPLATE_QUESTIONS[name]), name, CONTEXT
    )


def copier_refuses(name: str, value: Any) -> bool:
    question = copier_question(name)
    try:
        question.validate_answer(question.parse_answer(value))
    except ValueError:
        return True
    return False


@pytest.mark.differential
@pytest.mark.parametrize(("name", "value"), VALID)
def test_valid_answers_pass_here_and_in_copier(name: str, value: Any) -> None:
    assert QUESTIONNAIRE.questions[name].problem(value, CONTEXT)[1] is None
    assert not copier_refuses(name, value)


@pytest.mark.differential
@pytest.mark.parametrize(("name", "value"), INVALID)
def test_invalid_answers_are_refused_here_and_in_copier(name: str, value: Any) -> None:
    _, problem = QUESTIONNAIRE.questions[name].problem(value, CONTEXT)
    assert problem and problem.startswith("must be"), problem
    assert copier_refuses(name, value)


@pytest.mark.differential
def test_the_message_is_copiers_validator_message() -> None:
    question = copier_question("tags")
    with pytest.raises(ValueError) as refused:
        question.validate_answer(["A"])
    _, ours = QUESTIONNAIRE.questions["tags"].problem(["A"], CONTEXT)
    assert str(refused.value) == f"Validation error for question 'tags': {ours}"


@pytest.mark.differential
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_text_rule_agrees_with_copier_on_any_text(text: str) -> None:
    ours = QUESTIONNAIRE.questions["title"].problem(text, CONTEXT)[1] is not None
    assert ours == copier_refuses("title", text)


@pytest.mark.differential
@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[a-zA-Z0-9-]{0,6}\n?", fullmatch=True), max_size=8))
def test_tag_rule_agrees_with_copier_on_any_list(tags: list[str]) -> None:
    ours = QUESTIONNAIRE.questions["tags"].problem(tags, CONTEXT)[1] is not None
    assert ours == copier_refuses("tags", tags)


@pytest.mark.differential
@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_date_rule_agrees_with_copier_on_any_date_shape(text: str) -> None:
    ours = QUESTIONNAIRE.questions["last_updated"].problem(text, CONTEXT)[1] is not None
    assert ours == copier_refuses("last_updated", text)


@pytest.mark.differential
@pytest.mark.parametrize(
    ("last_updated", "review_date"),
    [
        ("2025-01-20", "2025-02-20"),
        ("2025-01-31", "2025-02-28"),
        ("2024-01-31", "2024-02-29"),
        ("2025-12-15", "2026-01-15"),
        ("2025-03-31", "2025-04-30"),
    ],
)
def test_defaults_are_copiers(last_updated: str, review_date: str) -> None:
    answers = {**CONTEXT, "last_updated": last_updated, "topic": "Rate Limiter: Token Bucket!"}
    questions = QUESTIONNAIRE.questions
    assert questions["review_date"].default_value(answers) == review_date
    assert questions["slug"].default_value(answers) == "rate-limiter-token-bucket"
    assert questions["estimated_time"].default_value(answers) == "45 min"
    assert questions["tags"].default_value(answers) is MISSING
    for name in ("review_date", "slug", "title", "audience", "deliverables"):
        copier = copier_question(name)
        copier.context = answers
        assert copier.get_default() == questions[name].default_value(answers), name


@pytest.mark.parametrize(
    ("source", "pure"),
    [
        ('{{ "60 min" if content_type == "tutorial" else "45 min" }}', True),
        ('{{ topic | lower | regex_replace("[^a-z0-9]+", "-") | trim("-") }}', True),
        ('{%- set ymd = (d | string).split("-") | map("int") | list -%}{{ ymd[0] }}', True),
        ('{{ "%Y-%m-%d" | strftime }}', False),  # the clock
        ("{{ 6 | random }}", False),
        ('{{ items | map("shuffle") | list }}', False),  # a filter named by its argument
        ("{{ items | map(attribute='x') | list }}", False),  # cannot tell: taken as impure
        ("{{ lipsum(1) }}", False),  # a global
        ("{{ range(3) | list }}", False),
        ('{% import "rules.jinja" as r %}{{ r.slug(slug) }}', False),
        ('{{ "~" | expanduser }}', False),  # the environment
        ('{{ ("2000-01-01 00:00:00" | to_datetime).now() }}', False),  # a value's clock
        ('{{ ("2000-01-01" | from_yaml).today() }}', False),
        ('{{ [["%Y"]] | map("map", "strftime") | list }}', False),  # a naming filter named
        ('{% set _ = tags.append("x") %}{{ tags }}', False),  # a change to an answer
        ("{{ a is sameas b }}", False),  # identity, which YAML's aliases share
        ('{{ a is string and a.startswith("x") }}', True),
    ],
)
def test_a_default_is_pure_when_it_reads_only_its_answers(source: str, pure: bool) -> None:
    assert QUESTIONNAIRE.jinja.is_pure(source) is pure


def test_a_remembered_default_is_the_default_for_those_answers_only() -> None:
    config = yaml.safe_load(
        """
kind: {type: str, default: a}
size: {type: str, default: '{{ "big" if kind == "b" else "small" }}'}
shown: {type: str, default: '{{ kind }}'}
items: {type: yaml, default: '{{ [kind, "x"] }}'}
drawn: {type: int, default: "{{ end | ans_random }}"}
"""
    )
    jinja = Expressions(copier_environment())
    questions = {name: Question(name, jinja, **spec) for name, spec in config.items()}
    for kind in ("a", "b", "a", "b"):
        assert questions["size"].default_value({"kind": kind}) == (
            "big" if kind == "b" else "small"
        )
    # A missing answer renders otherwise than a null one: never the same remembered value.
    assert questions["shown"].default_value({"kind": None}) == "None"
    assert questions["shown"].default_value({}) == ""
    first = questions["items"].default_value({"kind": "a"})
    first.append("edited")  # each caller its own list
    assert questions["items"].default_value({"kind": "a"}) == ["a", "x"]
    # A random draw is drawn again each time, never remembered.
    draws = {questions["drawn"].default_value({"end": 10**9}) for _ in range(50)}
    assert len(draws) > 1


def test_a_default_that_does_not_compile_fails_as_the_template_s_setting() -> None:
    jinja = Expressions(copier_environment())
    for default in ("{{ kind | nosuchfilter }}", "{{ kind", "{{ kind is nosuchtest }}"):
        question = Question("shown", jinja, type="str", default=default)
        with pytest.raises(InvalidInput, match="shown"):
            question.default_value({"kind": "a"})


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (0.0, -0.0),
        ({1: "a"}, {True: "a"}),
        (
            dt.datetime(2024, 5, 1, 0, 30, tzinfo=dt.UTC),
            dt.datetime(2024, 5, 1, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ({"a"}, {"a"}),  # a set: never taken for another
    ],
)
def test_a_remembered_default_is_not_given_for_an_equal_value_shown_otherwise(
    first: object, second: object
) -> None:
    jinja = Expressions(copier_environment())
    question = Question("shown", jinja, type="str", default="{{ when }}")
    for value in (first, second):
        assert question.default_value({"when": value}) == jinja.render(
            "{{ when }}", {"when": value}
        )


def test_content_types_come_from_when() -> None:
    def keys(content_type: str) -> set[str]:
        answers = QUESTIONNAIRE.typical_answers(content_type)
        return {q.name for q in QUESTIONNAIRE.frontmatter_questions(answers)}

    guide, tutorial = keys("guide"), keys("tutorial")
    assert {"guide_type", "deliverables", "success_criteria"} <= guide - tutorial
    assert {"tutorial_type", "skills_taught", "validation_method", "practice_type"} <= (
        tutorial - guide
    )
    assert not {"topic", "section", "slug", "docs_dir"} & guide


# ---- reading copier.yml like Copier -------------------------------------------------------


def write_template(root: Path, copier_yml: str, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "copier.yml").write_text(copier_yml, "utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


BLOCK = """\
_guidewright:
  format: 1
  content_types: {note: {help: A note}}
"""


@pytest.mark.differential
def test_multi_document_and_include_read_as_copier_reads_them(tmp_path: Path) -> None:
    root = write_template(
        tmp_path / "t",
        "kind:\n  choices: [note]\n  default: note\n_exclude: [a]\n---\n"
        "size:\n  type: int\n  default: 3\n_exclude: [b]\n---\n!include extra/*.yml\n---\n"
        "content_type:\n  type: str\n  choices: [note]\n  default: note\n" + BLOCK,
        **{"extra/one.yml": "colour:\n  type: str\n  choices: {Red: r, Blue: b}\n  default: r\n"},
    )
    ours = read_template_config(root)
    theirs = copier_oracle.copier_template_config(root / "copier.yml")
    assert ours.questions == {
        k: (v if isinstance(v, dict) else {"default": v})
        for k, v in theirs.items()
        if not k.startswith("_")
    }
    assert ours.settings["exclude"] == theirs["_exclude"] == ["a", "b"]
    questionnaire = questionnaire_from_config(ours, root)
    colour = questionnaire.questions["colour"]
    assert colour.parse("b", {}) == "b" and [c.label for c in colour.choice_list({})] == [
        "Red",
        "Blue",
    ]
    assert questionnaire.questions["size"].parse("4", {}) == 4
    assert questionnaire.questions["size"].problem("four", {})[1] == "must be a whole number"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("", "has no _guidewright block"),
        (
            "_guidewright:\n  format: 3\n  content_types: {note: {}}\n",
            "format is 3, but this guidewright reads formats 1 and 2: use a guidewright that "
            "reads format 3",
        ),
        (
            "_guidewright:\n  format: 1\n  content_types: {other: {}}\n",
            "content_types (other) must be the choices of content_type (note)",
        ),
        (BLOCK + "  lists: [nope]\n", "lists: 'nope' is not a question"),
        (BLOCK + "  suggestions: {content_type: somewhere}\n", "'somewhere' is not one of"),
    ],
)
def test_a_block_this_tool_cannot_read_is_refused(tmp_path: Path, block: str, message: str) -> None:
    root = write_template(tmp_path / "t", "content_type:\n  choices: [note]\n" + block)
    with pytest.raises(InvalidInput, match=None) as refused:
        questionnaire_from_config(read_template_config(root), root)
    assert message in str(refused.value)


def test_a_yaml_bomb_in_copier_yml_is_refused_fast(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]"
        for i in range(8)
    ]
    root = write_template(tmp_path / "t", "\n".join(levels) + "\n")
    with pytest.raises(InvalidInput, match="aliases expand"):
        read_template_config(root)


def test_include_outside_the_template_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.yml").write_text("x: 1\n")
    root = write_template(tmp_path / "t", "!include ../secret.yml\n")
    with pytest.raises(InvalidInput, match="leaves the template"):
        read_template_config(root)


def test_the_repository_template_is_what_the_wheel_ships(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "template", copy / "template")
    shutil.copy(REPO / "copier.yml", copy / "copier.yml")
    assert yaml.safe_load((copy / "copier.yml").read_text())["_subdirectory"] == "template"
    assert load_questionnaire(copy).content_types == ["guide", "tutorial"]


@given(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "[a, b]",
                "{a: [1, 2]}",
                "&x [1]",
                "a: &x [1]\nb: *x",
                "!!set {a, b}",
                "2026-12-01",
                "0000-01-01",
                "[",
                "{a: 1, a: 2}",
            ]
        ),
    )
)
@settings(max_examples=300, deadline=None)
def test_a_yaml_answer_read_once_is_read_as_yaml_safe_load_reads_it(text: str) -> None:
    """The cast of a `yaml` question remembers each text's value: always the value
    safe_load gives, a fresh copy each time, and an error each time it is one."""
    from guidewright.copier_compat.questions import _CAST

    try:
        expected = yaml.safe_load(text)
    except Exception as error:  # whatever safe_load raises, the cast raises
        for _ in range(2):
            with pytest.raises(type(error)):
                _CAST["yaml"](text)
        return
    first = _CAST["yaml"](text)
    assert first == expected and type(first) is type(expected)
    if isinstance(first, list | dict | set):
        first.clear()  # a caller changing its value changes no other caller's
    assert _CAST["yaml"](text) == expected


@pytest.mark.parametrize(
    ("tags", "broken"),
    [
        (["a", "b", "c", "d", "e", "f", "g"], "(7 given)"),
        (["aws"], "(1 given)"),
        (["aws", "aws"], "('aws' is given twice)"),
        (["aws", "Rate Limiting"], "('Rate Limiting' is not one)"),
        ("aws", "(a list)"),
    ],
)
def test_a_tag_refusal_names_the_part_of_the_rule_broken(tags: object, broken: str) -> None:
    questionnaire = load_questionnaire(REPO)
    answers = questionnaire.typical_answers("guide")
    problem = questionnaire.questions["tags"].problem(tags, answers)[1]
    rule = "must be 2 to 6 distinct lowercase tags of a-z, 0-9 and single hyphens"
    assert problem == f"{rule} {broken}"


def test_a_questionnaire_is_read_again_when_a_file_it_was_read_from_changes(
    tmp_path: Path,
) -> None:
    """copier.yml edited, a file an `!include` glob comes to match, the file the validators
    import edited: each load after sees it; nothing changed, the same questionnaire."""
    template = tmp_path / "template"
    template.mkdir()
    shutil.copy(REPO / "copier.yml", template / "copier.yml")
    shutil.copytree(REPO / "template", template / "template")
    first = load_questionnaire(template)
    assert load_questionnaire(template) is first
    assert load_questionnaire.as_read(first)
    copier = template / "copier.yml"
    copier.write_text(copier.read_text().replace("default: intermediate", "default: advanced"))
    assert not load_questionnaire.as_read(first)
    edited = load_questionnaire(template)
    assert edited.questions["difficulty"].default == "advanced"
    (template / "extra").mkdir()
    copier.write_text(copier.read_text() + "---\n!include 'extra/*.yml'\n")
    assert load_questionnaire(template).questions["difficulty"].default == "advanced"
    (template / "extra" / "more.yml").write_text("difficulty:\n  type: str\n  default: expert\n")
    included = load_questionnaire(template)
    assert included.questions["difficulty"].default == "expert"
    assert included.questions["title"].problem("x" * 40, {})[1] is None
    rules = template / "template" / "_partials" / "rules.jinja"
    long = "macro one_line(value, max_length=1000)"
    rules.write_text(rules.read_text().replace(long, long.replace("1000", "20")))
    shorter = load_questionnaire(template)
    assert shorter is not included
    assert shorter.questions["title"].problem("x" * 40, {})[1] == "must be at most 20 characters"
    assert load_questionnaire(template) is shorter


def test_what_reads_the_day_is_judged_again_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validator and a condition comparing with today, judged for the same values by the
    same questionnaire (a language server runs for days) before and after a day: each
    day's verdict, not the first one remembered."""
    template = tmp_path / "template"
    template.mkdir()
    text = (REPO / "copier.yml").read_text()
    when = "when: '{{ content_type == \"guide\" }}'"
    dated = 'when: \'{{ content_type == "guide" and "%Y-%m-%d" | strftime < "2050-01-01" }}\''
    (template / "copier.yml").write_text(text.replace(when, dated, 1))
    shutil.copytree(REPO / "template", template / "template")
    questionnaire = load_questionnaire(template)
    env = Expressions(copier_environment(None, {}))
    not_after = '{% if d > "%Y-%m-%d" | strftime %}must not be after today{% endif %}'
    question = Question("d", env, type="str", validator=not_after)
    today = ("must not be after today", True)
    seen = _judged_each_day(monkeypatch, questionnaire, question)
    assert seen == [today, (None, False), today]


def _judged_each_day(
    monkeypatch: pytest.MonkeyPatch, questionnaire: Questionnaire, question: Question
) -> list[tuple[str | None, bool]]:
    """Each day of 2000, 2100 and 2000 again: the question's verdict on 2050-01-01, and
    whether a guide is asked `guide_type`."""
    seen = []
    for year in (2000, 2100, 2000):
        day = dt.datetime(year, 6, 1, 12, tzinfo=dt.UTC).timestamp()
        monkeypatch.setattr(expression_reads, "clock", lambda day=day: day)
        asked = [q.name for q in questionnaire.frontmatter_questions({"content_type": "guide"})]
        seen.append((question.problem("2050-01-01", {})[1], "guide_type" in asked))
    return seen


def _template_with_rules(tmp_path: Path, rules_added: str, edits: dict[str, str]) -> Path:
    """A copy of the bundled template, `rules_added` at the end of rules.jinja and each
    text of copier.yml in `edits` replaced."""
    template = tmp_path / "template"
    template.mkdir()
    shutil.copytree(REPO / "template", template / "template")
    rules = template / "template" / "_partials" / "rules.jinja"
    rules.write_text(rules.read_text() + rules_added)
    text = (REPO / "copier.yml").read_text()
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    (template / "copier.yml").write_text(text)
    return template


NOT_FUTURE = (
    "\n{%- macro not_future(value) -%}"
    '{% if value > "%Y-%m-%d" | strftime %}must not be after today{% endif %}'
    "{%- endmacro -%}\n"
    '{%- macro before(day) -%}{{ "%Y-%m-%d" | strftime < day }}{%- endmacro -%}\n'
)


def test_what_a_loaded_macro_reads_of_the_day_is_judged_again_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validator and a condition calling a macro of rules.jinja that compares with
    today (the expressions' own text reads no clock): each day's verdict, as a fresh
    questionnaire gives it, not the first one remembered."""
    rules = '{% import "template/_partials/rules.jinja" as r %}'
    template = _template_with_rules(
        tmp_path,
        NOT_FUTURE,
        {
            "{{ r.date(last_updated) }}": "{{ r.date(last_updated) }}{{ r.not_future(last_updated) }}",
            "when: '{{ content_type == \"guide\" }}'": (
                f'when: \'{rules}{{{{ content_type == "guide" and r.before("2050-01-01") }}}}\''
            ),
        },
    )
    questionnaire = load_questionnaire(template)
    question = questionnaire.questions["last_updated"]
    today = ("must not be after today", True)
    seen = _judged_each_day(monkeypatch, questionnaire, question)
    assert seen == [today, (None, False), today]


def test_an_imported_file_s_day_is_read_again_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rules.jinja setting `today` at its top (evaluated once per loaded module, which
    Jinja keeps while it keeps the file) and a validator comparing with it: the same
    questionnaire gives each day's verdict."""
    module_today = (
        '\n{%- set today_set = "%Y-%m-%d" | strftime -%}\n'
        "{%- macro not_future(value) -%}"
        "{% if value > today_set %}must not be after today{% endif %}"
        "{%- endmacro -%}\n"
    )
    date = "{{ r.date(last_updated) }}"
    template = _template_with_rules(
        tmp_path, module_today, {date: date + "{{ r.not_future(last_updated) }}"}
    )
    question = load_questionnaire(template).questions["last_updated"]
    seen = []
    for year in (2000, 2100, 2000):
        day = dt.datetime(year, 6, 1, 12, tzinfo=dt.UTC).timestamp()
        monkeypatch.setattr(expression_reads, "clock", lambda day=day: day)
        seen.append(question.problem("2050-01-01", {})[1])
    assert seen == ["must not be after today", None, "must not be after today"]


def test_what_reads_the_time_is_not_kept(tmp_path: Path) -> None:
    """A condition and a validator reading the hour are judged afresh at each call, so
    nothing of them is kept either: a language server judging page after page for days
    would keep a result for every call (a review measured one per call, unbounded)."""
    hour = '"%H" | strftime != "99"'
    template = _template_with_rules(
        tmp_path,
        "",
        {
            "when: '{{ content_type == \"guide\" }}'": (
                f"when: '{{{{ content_type == \"guide\" and {hour} }}}}'"
            ),
            "{{ r.one_line(title) }}": f"{{{{ r.one_line(title) }}}}{{% if {hour} %}}{{% endif %}}",
        },
    )
    questionnaire = load_questionnaire(template)
    title = questionnaire.questions["title"]
    for number in range(50):
        questionnaire.frontmatter_questions({"content_type": "guide", "title": f"t{number}"})
        assert title.problem(f"t{number}", {}) == (f"t{number}", None)
    assert not questionnaire._frontmatter
    hourly = [q for q in questionnaire.questions.values() if "%H" in str(q.when)]
    assert len(hourly) == 1 and not hourly[0]._conditions
    assert not title._judged


def _judged_with_check(questionnaire: Questionnaire) -> None:
    """`questionnaire` made ready to judge pages as `check` makes it (check/site_check.py)."""
    from guidewright.check import site_check
    from guidewright.rules.page import SiteIndex
    from guidewright.rules.registry import REGISTRY

    index = SiteIndex(frozenset(), frozenset(), lambda target: None)
    site_check._judged_with(index, [questionnaire], REGISTRY, "/")


def test_check_works_out_no_expression_of_a_questionnaire_reading_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the questionnaire's expressions read, told once for them all (and kept in
    the cache folder), stands for each one's: judging every question's value works out
    none of them, in each of check's workers (some 35 ms each for the bundled template)."""
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    questionnaire = load_questionnaire(_template_with_rules(tmp_path, "", {}))
    _judged_with_check(questionnaire)
    worked_out: list[object] = []
    monkeypatch.setattr(jinja, "read_beyond", lambda *given: worked_out.append(given))
    answers = {"content_type": "guide", "title": "A title"}
    for question in questionnaire.frontmatter_questions(answers):
        question.problem("a value", answers)
    assert [given[1] for given in worked_out] == []
    assert questionnaire.questions["title"]._judging_reads() is Outside.NOTHING


def test_check_works_out_each_expression_of_a_questionnaire_reading_the_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the questionnaire's expressions read more (the day), each question's are
    worked out on their own, as with no check: a validator reading the day keeps its
    verdicts by the day."""
    monkeypatch.setenv("GUIDEWRIGHT_CACHE_DIR", str(tmp_path / "cache"))
    date = "{{ r.date(last_updated) }}"
    template = _template_with_rules(
        tmp_path, NOT_FUTURE, {date: date + "{{ r.not_future(last_updated) }}"}
    )
    judged, alone = (
        load_questionnaire(template),
        questionnaire_from_config(read_template_config(template), template),
    )
    _judged_with_check(judged)
    reads = {name: q._judging_reads() for name, q in judged.questions.items()}
    assert reads == {name: q._judging_reads() for name, q in alone.questions.items()}
    assert reads["last_updated"] is Outside.DAY


def test_a_questionnaire_loaded_again_elsewhere_is_no_longer_as_read(tmp_path: Path) -> None:
    """Two sites of one server share a template: the first loads it, its copier.yml is
    edited, the second loads it again first. The first's questionnaire is no longer as
    read (a review found it said to be, being no longer the one kept)."""
    template = _template_with_rules(tmp_path, "", {})
    first = load_questionnaire(template)
    assert load_questionnaire.as_read(first)
    copier = template / "copier.yml"
    copier.write_text(copier.read_text().replace("default: intermediate", "default: advanced"))
    second = load_questionnaire(template)
    assert second is not first and second.questions["difficulty"].default == "advanced"
    assert load_questionnaire.as_read(second)
    assert not load_questionnaire.as_read(first)
