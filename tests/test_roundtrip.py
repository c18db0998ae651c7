"""Any text an author may type comes back unchanged, and no template syntax is left."""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from drawn_texts import joined, word
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO, seed_text

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.markdown import frontmatter
from guidewright.template.questionnaire import load_questionnaire

RENDERER = TemplateRenderer(REPO)

TRICKY = [
    "He said \"quoted\" and 'single'",
    "key: value # not a comment",
    "{{ jinja }} {% if %}",
    "---",
    "@at start",
    "* star start",
    "& anchor",
    "!tag",
    "ü ñ 🎯 →",
    "- dash",
    "[not a list]",
    "{not: a map}",
    "null",
    "yes",
    "1.0",
    "2025-01-20",
    "%percent",
    "`tick`",
    "x" * 200,
    "trailing space ",
    " leading space",
    "back\\slash",
    "|",
    ">",
    "?",
    "#",
]

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cn")), min_size=1, max_size=80
    ).filter(str.strip),
)
ALNUM = string.ascii_lowercase + string.digits
# [a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}
slugs = joined(st.text(ALNUM, min_size=1, max_size=8), "-", 1, 3)
# ([a-z0-9_][a-z0-9_-]{0,7}/){0,2}[a-z0-9_][a-z0-9_-]{0,7}\.md
paths = joined(word(ALNUM + "_", ALNUM + "_-", 7), "/", 1, 3).map(lambda path: path + ".md")
# [0-9]{1,3}(\.[0-9]{1,3}){0,2}
versions = joined(st.text(string.digits, min_size=1, max_size=3), ".", 1, 3)


QUESTIONNAIRE = load_questionnaire(REPO)
CONTENT_TYPES = QUESTIONNAIRE.content_types
# [a-z0-9][a-z0-9_-]{0,8}(/[a-z0-9][a-z0-9_-]{0,8}){0,2}
sections = joined(word(ALNUM, ALNUM + "_-", 8), "/", 1, 3)


def _value(draw: st.DrawFn, name: str, answers: dict[str, Any]) -> Any:
    question = QUESTIONNAIRE.questions[name]
    choices = [c.value for c in question.choice_list(answers)]
    if question.multiselect:
        return draw(st.sampled_from([["L6"], ["L7"], ["L6", "L7"]]))
    if choices:
        return draw(st.sampled_from(choices))
    if name == "tags":
        return draw(st.lists(slugs, min_size=2, max_size=6, unique=True))
    if name in ("prerequisites", "related_content"):
        return draw(st.lists(paths, max_size=3))
    if QUESTIONNAIRE.is_list(name):
        low = 1 if name in ("learning_objectives", "skills_taught", "contributors") else 0
        return draw(st.lists(texts, min_size=low, max_size=4))
    if name == "estimated_time":
        return f"{draw(st.integers(5, 600))} min"
    if name == "last_updated":
        return draw(st.dates()).isoformat()
    if name == "review_date":
        return question.default_value(answers)
    if name == "version":
        return draw(versions)
    return draw(texts)


@st.composite
def document_answers(draw: st.DrawFn) -> dict[str, Any]:
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    answers: dict[str, Any] = {"content_type": content_type, "docs_dir": "docs"}
    answers["topic"] = draw(texts)
    answers["section"] = draw(sections)
    answers["slug"] = draw(slugs)
    for question, applies in QUESTIONNAIRE.walk(answers):
        if applies and question.name not in answers:
            answers[question.name] = _value(draw, question.name, answers)
    return answers


def seed_headings(content_type: str) -> list[str]:
    body = frontmatter.split(seed_text(content_type))[1]  # type: ignore[index]
    return headings(body)[1:]


def headings(body: str) -> list[str]:
    found, in_code = [], False
    for line in body.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.append(line)
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_answers())
def test_frontmatter_round_trips_and_body_is_fully_rendered(answers: dict[str, Any]) -> None:
    for name, value in answers.items():
        assert QUESTIONNAIRE.questions[name].problem(value, answers)[1] is None, name
    output = RENDERER.render(answers, src_path="/template", commit=None)
    document = output[f"docs/{answers['section']}/{answers['slug']}.md"].decode("utf-8")
    parsed = frontmatter.parse(document)
    assert parsed is not None
    keys = [q.name for q in QUESTIONNAIRE.frontmatter_questions(answers)]
    for key in keys:
        assert parsed.data[key] == answers[key], key
    assert set(parsed.data) == set(keys)
    body = parsed.body
    # The author's words the body shows: the topic, the title, the objectives, the skills.
    shown = {answers["topic"], answers["title"]}
    shown |= {*answers["learning_objectives"], *answers.get("skills_taught", [])}
    for text in sorted(shown, key=len, reverse=True):
        body = body.replace(text, "")
    assert not re.search(r"\{\{|\{%|\{#|%\}|#\}", body)
    assert headings(parsed.body)[1:] == seed_headings(answers["content_type"])
    recorded = yaml.safe_load(
        output[f".guidewright/answers/{answers['section']}/{answers['slug']}.yml"]
    )
    assert recorded == {"_src_path": "/template", **answers}


@pytest.mark.differential
@settings(max_examples=8, deadline=None)
@given(answers=document_answers())
def test_renderer_equals_copier_for_generated_answers(
    answers: dict[str, Any], template_copy: Path
) -> None:
    import copier

    with tempfile.TemporaryDirectory() as out:
        copier.run_copy(str(template_copy), out, data=answers, defaults=True, quiet=True)
        expected = {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in Path(out).rglob("*")
            if p.is_file()
        }
    rendered = TemplateRenderer(template_copy).render(
        answers, src_path=str(template_copy), commit=None
    )
    assert rendered == expected
