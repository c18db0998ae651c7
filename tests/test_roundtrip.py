"""Any text an author may type comes back unchanged, and no template syntax is left."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO, seed_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidewright import schema
from guidewright.documents import frontmatter
from guidewright.template.jinja import default_value
from guidewright.template.render import TemplateRenderer

RENDERER = TemplateRenderer(REPO)

TRICKY = [
    'He said "quoted" and \'single\'', "key: value # not a comment", "{{ jinja }} {% if %}",
    "---", "@at start", "* star start", "& anchor", "!tag", "ü ñ 🎯 →", "x" * 500, "- dash",
    "[not a list]", "{not: a map}", "null", "yes", "1.0", "2025-01-20", "%percent", "`tick`",
    "trailing space ", " leading space", "back\\slash", "|", ">", "?", "#",
]  # fmt: skip

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cn")), min_size=1, max_size=80
    ).filter(str.strip),
)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
paths = st.from_regex(
    r"([a-z0-9_][a-z0-9_-]{0,7}/){0,2}[a-z0-9_][a-z0-9_-]{0,7}\.md", fullmatch=True
)


@st.composite
def document_answers(draw: st.DrawFn) -> dict[str, Any]:
    content_type = draw(st.sampled_from(schema.CONTENT_TYPES))
    answers: dict[str, Any] = {"content_type": content_type, "docs_dir": "docs"}
    answers["topic"] = draw(texts)
    answers["section"] = draw(
        st.from_regex(schema.SECTION_PATTERN.replace("*", "{0,2}"), fullmatch=True)
    )
    answers["slug"] = draw(slugs)
    for field in schema.fields_for(content_type):
        if field.key in answers:
            continue
        kind = field.kind
        if kind is schema.Kind.TEXT:
            value: Any = draw(texts)
        elif kind is schema.Kind.CHOICE:
            value = draw(st.sampled_from(field.choices))
        elif kind is schema.Kind.CHOICES:
            value = draw(st.sampled_from([["L6"], ["L7"], ["L6", "L7"]]))
        elif kind is schema.Kind.TEXT_LIST:
            value = draw(st.lists(texts, min_size=max(field.min_items, 0), max_size=4))
        elif kind is schema.Kind.TAG_LIST:
            value = draw(st.lists(slugs, min_size=2, max_size=6, unique=True))
        elif kind is schema.Kind.DOC_LIST:
            value = draw(st.lists(paths, max_size=3))
        elif kind is schema.Kind.DURATION:
            value = f"{draw(st.integers(5, 600))} min"
        elif field.key == "last_updated":
            value = draw(st.dates()).isoformat()
        elif field.key == "review_date":
            value = default_value(field, content_type, answers)
        else:
            value = draw(st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True))
        answers[field.key] = value
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
    for field in schema.fields_for(answers["content_type"]):
        assert schema.problem(field, answers[field.key], answers) is None, field.key
    output = RENDERER.render(answers, src_path="/template", commit=None)
    document = output[f"docs/{answers['section']}/{answers['slug']}.md"].decode("utf-8")
    parsed = frontmatter.parse(document)
    assert parsed is not None
    for field in schema.frontmatter_fields(answers["content_type"]):
        assert parsed.data[field.key] == answers[field.key], field.key
    assert set(parsed.data) == {f.key for f in schema.frontmatter_fields(answers["content_type"])}
    body = parsed.body
    for text in sorted({answers["topic"], answers["title"]}, key=len, reverse=True):
        body = body.replace(text, "")
    assert not re.search(r"\{\{|\{%|\{#|%\}|#\}", body)
    assert headings(parsed.body)[1:] == seed_headings(answers["content_type"])
    recorded = yaml.safe_load(
        output[f".guidewright/answers/{answers['section']}/{answers['slug']}.yml"]
    )
    assert recorded == {"_src_path": "/template", **answers}


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
