"""copier.yml is derived from the schema, and Copier's validators agree with ours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schema import INVALID, VALID

from guidewright import schema
from guidewright.copier_config import copier_validator, render_copier_yml
from guidewright.template.jinja import render_expression


def test_committed_copier_yml_is_generated_from_the_schema() -> None:
    assert (REPO / "copier.yml").read_text("utf-8") == render_copier_yml(), (
        "run: python -m guidewright.copier_config > copier.yml"
    )


def test_copier_yml_asks_every_schema_field_in_order() -> None:
    data = yaml.safe_load((REPO / "copier.yml").read_text("utf-8"))
    questions = [k for k in data if not k.startswith("_")]
    assert questions == [f.key for f in schema.FIELDS]
    for field in schema.FIELDS:
        assert data[field.key].get("choices", []) == list(field.choices)


def copier_rejects(key: str, value: Any, answers: dict[str, Any] | None = None) -> bool:
    field = schema.FIELDS_BY_KEY[key]
    validator = copier_validator(field)
    if validator is None:  # choices: Copier checks membership itself
        return value not in field.choices if isinstance(value, str) else True
    return bool(render_expression(validator, {**(answers or {}), key: value}).strip())


@pytest.mark.parametrize(("key", "value"), VALID)
def test_copier_accepts_what_the_schema_accepts(key: str, value: Any) -> None:
    if schema.FIELDS_BY_KEY[key].kind is schema.Kind.CHOICES:
        value_ok = all(v in schema.FIELDS_BY_KEY[key].choices for v in value)
        assert value_ok and not copier_rejects(key, value)
    else:
        assert not copier_rejects(key, value)


@pytest.mark.parametrize(("key", "value"), INVALID)
def test_copier_rejects_what_the_schema_rejects(key: str, value: Any) -> None:
    field = schema.FIELDS_BY_KEY[key]
    unknown_choice = isinstance(value, list) and any(v not in field.choices for v in value)
    if field.kind is schema.Kind.CHOICES and unknown_choice:
        return  # Copier refuses an unknown choice before the validator runs
    assert copier_rejects(key, value)


def test_copier_message_is_the_schema_rule() -> None:
    field = schema.FIELDS_BY_KEY["tags"]
    message = render_expression(copier_validator(field) or "", {"tags": ["A"]})
    assert message.strip() == field.rule


def test_copier_checks_review_date_after_last_updated() -> None:
    answers = {"last_updated": "2026-05-01"}
    assert copier_rejects("review_date", "2026-05-01", answers)
    assert not copier_rejects("review_date", "2026-06-01", answers)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_text_rule_agrees_on_any_text(text: str) -> None:
    field = schema.FIELDS_BY_KEY["title"]
    assert copier_rejects("title", text) == (schema.problem(field, text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[a-zA-Z0-9-]{0,6}", fullmatch=True), max_size=8))
def test_tag_rule_agrees_on_any_list(tags: list[str]) -> None:
    field = schema.FIELDS_BY_KEY["tags"]
    assert copier_rejects("tags", tags) == (schema.problem(field, tags) is not None)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_date_rule_agrees_on_any_date_shape(text: str) -> None:
    field = schema.FIELDS_BY_KEY["last_updated"]
    assert copier_rejects("last_updated", text) == (schema.problem(field, text) is not None)


def test_plain_copier_refuses_an_invalid_answer(template_copy: Path, tmp_path: Path) -> None:
    import copier

    data = {
        "content_type": "guide", "topic": "T", "section": "s", "tags": ["Bad Tag", "b"],
        "learning_objectives": ["o"], "contributors": ["c"], "content_owner": "o",
    }  # fmt: skip
    with pytest.raises(ValueError, match="tags"):
        copier.run_copy(str(template_copy), tmp_path / "out", data=data, defaults=True, quiet=True)
