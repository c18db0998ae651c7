from __future__ import annotations

from typing import Any

import pytest

from guidewright import schema
from guidewright.template.jinja import default_value

F = schema.FIELDS_BY_KEY

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
]

INVALID: list[tuple[str, Any]] = [
    ("title", ""),
    ("title", "   "),
    ("title", "two\nlines"),
    ("title", "bell\x07"),
    ("title", "sep\u2028arator"),
    ("title", 3),
    ("audience", []),
    ("audience", ["L8"]),
    ("audience", ["L6", "L6"]),
    ("audience", "L6"),
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
    ("section", "../up"),
    ("section", "/abs"),
    ("section", "a//b"),
    ("docs_dir", "../outside"),
]


@pytest.mark.parametrize(("key", "value"), VALID)
def test_valid_values_pass(key: str, value: Any) -> None:
    assert schema.problem(F[key], value) is None


@pytest.mark.parametrize(("key", "value"), INVALID)
def test_invalid_values_name_the_field_and_rule(key: str, value: Any) -> None:
    message = schema.problem(F[key], value)
    assert message == f"{key}: {F[key].rule}"


def test_review_date_must_follow_last_updated() -> None:
    answers = {"last_updated": "2026-05-01"}
    assert schema.problem(F["review_date"], "2026-05-01", answers) is not None
    assert schema.problem(F["review_date"], "2026-04-30", answers) is not None
    assert schema.problem(F["review_date"], "2026-05-02", answers) is None


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
def test_review_date_defaults_to_one_month_later(last_updated: str, review_date: str) -> None:
    answers = {"last_updated": last_updated}
    assert default_value(F["review_date"], "guide", answers) == review_date


def test_defaults_derive_from_topic_and_content_type() -> None:
    answers = {"topic": "Rate Limiter: Token Bucket!"}
    assert default_value(F["slug"], "guide", answers) == "rate-limiter-token-bucket"
    assert default_value(F["title"], "tutorial", answers) == (
        "Rate Limiter: Token Bucket! Hands-On Tutorial for L6/L7 Interviews"
    )
    assert default_value(F["estimated_time"], "guide", answers) == "45 min"
    assert default_value(F["estimated_time"], "tutorial", answers) == "60 min"
    assert default_value(F["tags"], "guide", answers) is None


def test_type_specific_fields() -> None:
    guide = {f.key for f in schema.fields_for("guide")}
    tutorial = {f.key for f in schema.fields_for("tutorial")}
    assert {"guide_type", "deliverables", "success_criteria"} <= guide - tutorial
    assert {"tutorial_type", "skills_taught", "validation_method", "practice_type"} <= (
        tutorial - guide
    )


def test_minutes_are_forgiven() -> None:
    assert schema.minutes_to_duration(" 45 ") == "45 min"
    assert schema.minutes_to_duration("45 min") == "45 min"
