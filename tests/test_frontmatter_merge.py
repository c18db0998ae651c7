"""Generated author edits inside the frontmatter, a template that touches the same lines'
comments: the merge leaves no conflict marker inside a frontmatter the author kept valid,
and the merged frontmatter holds every value and comment line the author wrote."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from author_edits import FRONTMATTER_VALUES, apply_edits
from frontmatter_oracle import frontmatter_conflict_end, frontmatter_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import REPO
from test_merge_property import ANSWERS, DOCUMENT

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.copier_compat.update_merge import MergeInput, MergeResult
from guidewright.rules.page_answers import RefusedFrontmatter, page_answers
from guidewright.template.questionnaire import questionnaire_of
from guidewright.update.frontmatter_merge import merge_all_settled, settle_frontmatter_conflicts

COMMENTS = (
    ("# 2-6 relevant tags", "# 2 to 6 tags, lowercase"),
    ("# beginner|intermediate|advanced|expert", "# how hard (beginner to expert)"),
    ("learning_objectives:\n", "learning_objectives:  # one per line\n"),
    ("# technical|behavioral|leadership|mixed\n---\n", "# technical|behavioral|leadership\n---\n"),
)


@pytest.fixture(scope="module")
def renderers(tmp_path_factory: pytest.TempPathFactory) -> tuple[TemplateRenderer, ...]:
    root = tmp_path_factory.mktemp("fm-versions")
    for name in ("v1", "v2"):
        (root / name).mkdir()
        shutil.copy(REPO / "copier.yml", root / name / "copier.yml")
        shutil.copytree(REPO / "template", root / name / "template")
    partial = root / "v2/template/_partials/guide.md.jinja"
    text = partial.read_text("utf-8")
    for old, new in COMMENTS:
        assert old in text
        text = text.replace(old, new, 1)
    partial.write_text(text, "utf-8")
    return TemplateRenderer(root / "v1"), TemplateRenderer(root / "v2")


def _render(renderer: TemplateRenderer, answers: dict[str, Any], commit: str) -> bytes:
    return renderer.render(answers, src_path="t", commit=commit, only={DOCUMENT})[DOCUMENT]


kinds = st.sampled_from(["fm-insert", "fm-delete", "fm-value", "fm-value", "replace", "insert"])
edit = st.tuples(kinds, st.integers(0, 10_000))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(edit, min_size=1, max_size=5))
def test_no_marker_inside_a_valid_frontmatter(
    renderers: tuple[TemplateRenderer, TemplateRenderer], edits: list[tuple[str, int]]
) -> None:
    v1, v2 = renderers
    old = _render(v1, ANSWERS, "v1")
    document = apply_edits(old, edits)
    try:
        page = page_answers(document.content, ANSWERS, questionnaire_of(v1))
    except RefusedFrontmatter:
        return  # the page fails; nothing is merged
    new = _render(v2, page.answers, "v2")
    with tempfile.TemporaryDirectory() as scratch:
        merged = merge_all_settled(
            [MergeInput(DOCUMENT, old, document.content, new)],
            Path(scratch),
            {DOCUMENT: frozenset(v2.config.questions)},
        )[DOCUMENT]
    assert isinstance(merged, MergeResult)
    authors = frontmatter_data(document.content)
    if not authors:
        return  # a broken frontmatter: Copier's merge as it is
    assert frontmatter_conflict_end(merged.content) is None, (edits, merged.content[:2000])
    data = frontmatter_data(merged.content)
    assert data is not None, edits
    for key, value in authors.items():
        assert data.get(key) == value, (edits, key)
    lines = merged.content.split(b"\n")
    for line in document.authored:
        if line.startswith(b"# AUTHOR"):
            assert line in lines, (edits, line)


def test_the_values_it_writes_are_values_of_questions() -> None:
    assert {key for key, _ in FRONTMATTER_VALUES} - {b"author_note"} <= {
        key.encode() for key in ANSWERS
    }


def test_a_settlement_that_would_not_parse_keeps_the_markers() -> None:
    old = b'---\na: "1"  # one\nb: "x"\n---\nbody\n'
    current = b'---\na: "2"  # one\nb: "x"\n---\nbody\n'
    merged = (
        b'---\n<<<<<<< before updating\na: "2"  # one\nb: "x"\n=======\na: "1"  # two\n'
        b"b: [broken\n>>>>>>> after updating\n---\nbody\n"
    )
    new = b'---\na: "1"  # two\nb: "x"\n---\nbody\n'  # (not what the conflict shows: a guard)
    assert settle_frontmatter_conflicts(merged, old, current, new) == merged


def test_the_opening_delimiter_inside_a_conflict() -> None:
    old = b'---\na: "1"  # one\nb: "x"\n---\nbody\n'
    current = b'---\na: "2"  # one\nb: "x"\n---\nbody\n'
    merged = (
        b'<<<<<<< before updating\n---\na: "2"  # one\n=======\n---\na: "2"  # two\n'
        b'>>>>>>> after updating\nb: "x"\n---\nbody\n'
    )
    new = b'---\na: "2"  # two\nb: "x"\n---\nbody\n'
    assert settle_frontmatter_conflicts(merged, old, current, new) == new


def test_a_crlf_page_keeps_its_line_endings_and_its_own_lines() -> None:
    old = b'---\ntags: ["a", "b"]  # 2-6\nx: "1"\n---\nbody\n'
    current = (
        b'---\r\n# mine\r\ntags: ["a", "b", "c"]  # 2-6\r\nx: "1"\r\nnote: "me"\r\n---\r\nbody\r\n'
    )
    merged = (
        b'---\r\n<<<<<<< before updating\n# mine\r\ntags: ["a", "b", "c"]  # 2-6\r\n'
        b'x: "1"\r\nnote: "me"\r\n=======\ntags: ["a", "b", "c"]  # 2 to 6\nx: "1"\n'
        b">>>>>>> after updating\n---\r\nbody\r\n"
    )
    new = b'---\ntags: ["a", "b", "c"]  # 2 to 6\nx: "1"\n---\nbody\n'
    settled = settle_frontmatter_conflicts(merged, old, current, new)
    assert settled == (
        b'---\r\n# mine\r\ntags: ["a", "b", "c"]  # 2 to 6\r\nx: "1"\r\nnote: "me"\r\n'
        b"---\r\nbody\r\n"
    )


def test_a_migrated_value_is_the_templates_even_where_the_author_changed_it() -> None:
    """The author changed status; a migration maps that value: the current answer is the
    migrated one, which the new render holds."""
    old = b'---\nstatus: "draft"  # one\n---\nbody\n'
    current = b'---\nstatus: "review_needed"  # one\n---\nbody\n'
    new = b'---\nstatus: "in_review"  # two\n---\nbody\n'
    merged = (
        b'---\n<<<<<<< before updating\nstatus: "review_needed"  # one\n=======\n'
        b'status: "in_review"  # two\n>>>>>>> after updating\n---\nbody\n'
    )
    assert settle_frontmatter_conflicts(merged, old, current, new) == new
