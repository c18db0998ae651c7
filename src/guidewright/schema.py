"""The document schema: every field, its allowed values, its default and its rules.

This is the one source of truth. The prompts, the command-line flags, `copier.yml`
(see `copier_config`), `check` and the JSON Schema are all derived from `FIELDS`.
Defaults are Jinja expressions so that the wizard and plain Copier compute the same
value from the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

CONTENT_TYPES: tuple[str, ...] = ("guide", "tutorial")
GUIDE: tuple[str, ...] = ("guide",)
TUTORIAL: tuple[str, ...] = ("tutorial",)


class Kind(Enum):
    """What sort of value a field holds; each kind has one rule."""

    TEXT = "text"
    CHOICE = "choice"
    CHOICES = "choices"
    TEXT_LIST = "text_list"
    TAG_LIST = "tag_list"
    DOC_LIST = "doc_list"
    DURATION = "duration"
    DATE = "date"
    SLUG = "slug"
    SECTION = "section"
    FOLDER = "folder"
    VERSION = "version"

    @property
    def is_list(self) -> bool:
        return self in {Kind.CHOICES, Kind.TEXT_LIST, Kind.TAG_LIST, Kind.DOC_LIST}


# Characters that YAML cannot carry in a quoted scalar unchanged (control characters,
# line and paragraph separators, lone surrogates, non-characters).
CONTROL_PATTERN = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$"
FOLDER_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$"
DOC_PATH_PATTERN = r"^([A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*\.md$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DURATION_PATTERN = r"^[0-9]{1,4} min$"
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+)*$"
MIN_MINUTES, MAX_MINUTES = 5, 600

# review_date defaults to one calendar month after last_updated, the day clamped to
# the length of that month (2025-01-31 -> 2025-02-28).
ONE_MONTH_LATER = (
    '{%- set ymd = (last_updated | string).split("-") | map("int") | list -%}'
    "{%- set year = ymd[0] + ymd[1] // 12 -%}"
    "{%- set month = ymd[1] % 12 + 1 -%}"
    "{%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}"
    "{%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]"
    "[month - 1] -%}"
    '{{ "%04d-%02d-%02d" | format(year, month, [ymd[2], days] | min) }}'
)


@dataclass(frozen=True)
class Field:
    """One answer of a document: a frontmatter key, or where the document goes."""

    key: str
    kind: Kind
    help: str
    flag: str
    content_types: tuple[str, ...] = CONTENT_TYPES
    choices: tuple[str, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    # A Jinja template (or a list for list fields), or one per content type.
    # None: no default, the author must answer.
    default: str | list[str] | Mapping[str, str] | None = None
    in_frontmatter: bool = True
    # For dates: the field whose date this one must come after.
    after: str | None = None

    def applies_to(self, content_type: str) -> bool:
        return content_type in self.content_types

    def default_template(self, content_type: str) -> str | list[str] | None:
        if isinstance(self.default, Mapping):
            return self.default.get(content_type)
        return self.default

    @property
    def rule(self) -> str:
        """What is allowed, in words an author understands."""
        return rule_text(self)


def rule_text(field: Field) -> str:
    kind = field.kind
    if kind is Kind.TEXT:
        return "must be non-empty text on one line"
    if kind is Kind.CHOICE:
        return "must be one of: " + ", ".join(field.choices)
    if kind is Kind.CHOICES:
        return "must be a non-empty selection of: " + ", ".join(field.choices)
    if kind is Kind.TEXT_LIST:
        return f"must be a list of at least {field.min_items} non-empty one-line texts"
    if kind is Kind.TAG_LIST:
        return (
            f"must be {field.min_items} to {field.max_items} distinct lowercase tags "
            "of a-z, 0-9 and single hyphens"
        )
    if kind is Kind.DOC_LIST:
        return (
            "must be a list of Markdown paths relative to the docs folder "
            "(like fundamentals/index.md)"
        )
    if kind is Kind.DURATION:
        return f"must be '<minutes> min' with minutes from {MIN_MINUTES} to {MAX_MINUTES}"
    if kind is Kind.DATE:
        after = f", after {field.after}" if field.after else ""
        return f"must be a date written YYYY-MM-DD{after}"
    if kind is Kind.SLUG:
        return "must be lowercase a-z, 0-9 and single hyphens (like dynamodb-basics)"
    if kind is Kind.SECTION:
        return "must be a folder name of lowercase a-z, 0-9, '-' or '_' (nested with '/')"
    if kind is Kind.FOLDER:
        return "must be a relative folder inside the site (no '..')"
    if kind is Kind.VERSION:
        return "must be numbers separated by dots (like 1.0)"
    raise AssertionError(kind)


_SINGLE_PATTERN = {
    Kind.SLUG: SLUG_PATTERN,
    Kind.SECTION: SECTION_PATTERN,
    Kind.FOLDER: FOLDER_PATTERN,
    Kind.VERSION: VERSION_PATTERN,
}


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not re.search(CONTROL_PATTERN, value)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.match(DATE_PATTERN, value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _item_count_ok(field: Field, value: Sequence[Any]) -> bool:
    if len(value) < field.min_items:
        return False
    return field.max_items is None or len(value) <= field.max_items


def value_is_valid(field: Field, value: Any, answers: Mapping[str, Any] | None = None) -> bool:
    """Whether `value` follows the field's rule (answers give the other fields, for dates)."""
    kind = field.kind
    if kind is Kind.TEXT:
        return _is_text(value)
    if kind is Kind.CHOICE:
        return isinstance(value, str) and value in field.choices
    if kind in _SINGLE_PATTERN:
        return isinstance(value, str) and bool(re.match(_SINGLE_PATTERN[kind], value))
    if kind is Kind.DURATION:
        return (
            isinstance(value, str)
            and bool(re.match(DURATION_PATTERN, value))
            and MIN_MINUTES <= int(value.split(" ")[0]) <= MAX_MINUTES
        )
    if kind is Kind.DATE:
        if not _is_date(value):
            return False
        other = (answers or {}).get(field.after) if field.after else None
        return not (_is_date(other) and value <= other)
    if not _is_list(value) or not _item_count_ok(field, value):
        return False
    if kind is Kind.CHOICES:
        return bool(value) and all(v in field.choices for v in value) and _distinct(value)
    items_ok = all(_ITEM_CHECKS[kind](v) for v in value)
    return items_ok and (kind is not Kind.TAG_LIST or _distinct(value))


def _is_slug(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(SLUG_PATTERN, value))


def _is_doc_path(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(DOC_PATH_PATTERN, value))


_ITEM_CHECKS: dict[Kind, Callable[[Any], bool]] = {
    Kind.TEXT_LIST: _is_text,
    Kind.TAG_LIST: _is_slug,
    Kind.DOC_LIST: _is_doc_path,
}


def item_problem(field: Field, item: Any) -> str | None:
    """The problem with one item of a list field, or None."""
    return None if _ITEM_CHECKS[field.kind](item) else f"{field.key}: {field.rule}"


def _distinct(values: Sequence[Any]) -> bool:
    try:
        return len(set(values)) == len(values)
    except TypeError:
        return False


def problem(field: Field, value: Any, answers: Mapping[str, Any] | None = None) -> str | None:
    """The author-facing problem with `value`, or None when it is valid."""
    if value_is_valid(field, value, answers):
        return None
    return f"{field.key}: {field.rule}"


def minutes_to_duration(text: str) -> str:
    """Accept '45' as well as '45 min' from an author."""
    stripped = text.strip()
    return f"{stripped} min" if stripped.isdigit() else stripped


_TEXT_DEFAULTS = {
    "title": {
        "guide": "{{ topic }} Complete Guide for Amazon L6/L7 Interviews",
        "tutorial": "{{ topic }} Hands-On Tutorial for L6/L7 Interviews",
    },
    "summary": {
        "guide": "Comprehensive step-by-step guide to mastering {{ topic }} for Amazon "
        "engineering manager interviews",
        "tutorial": "Interactive tutorial to build practical {{ topic }} through hands-on "
        "exercises and real implementation",
    },
    "progression_path": {
        "guide": "fundamentals → core concepts → advanced applications → practice",
        "tutorial": "theory → guided practice → independent implementation → interview application",
    },
}

FIELDS: tuple[Field, ...] = (
    # Where the document goes and what it is about (recorded answers, not frontmatter).
    Field("content_type", Kind.CHOICE, "Kind of document", "--content-type",
          choices=CONTENT_TYPES, default="guide", in_frontmatter=True),
    Field("topic", Kind.TEXT, "Topic of the document (e.g. DynamoDB Partitioning)", "--topic",
          in_frontmatter=False),
    Field("docs_dir", Kind.FOLDER, "Docs folder of the site, relative to its root", "--docs-dir",
          default="docs", in_frontmatter=False),
    Field("section", Kind.SECTION, "Section folder inside the docs folder", "--section",
          in_frontmatter=False),
    Field("slug", Kind.SLUG, "File name of the document, without .md", "--slug",
          default='{{ topic | lower | regex_replace("[^a-z0-9]+", "-") | trim("-") }}',
          in_frontmatter=False),
    # Frontmatter, in the seeds' order.
    Field("title", Kind.TEXT, "Title", "--title", default=_TEXT_DEFAULTS["title"]),
    Field("summary", Kind.TEXT, "One-sentence summary", "--summary",
          default=_TEXT_DEFAULTS["summary"]),
    Field("audience", Kind.CHOICES, "Audience levels", "--audience", choices=("L6", "L7"),
          min_items=1, default=["L6", "L7"]),
    Field("difficulty", Kind.CHOICE, "Difficulty", "--difficulty",
          choices=("beginner", "intermediate", "advanced", "expert"), default="intermediate"),
    Field("estimated_time", Kind.DURATION, "Estimated time, e.g. '45 min'", "--estimated-time",
          default={"guide": "45 min", "tutorial": "60 min"}),
    Field("tags", Kind.TAG_LIST, "Tags (2 to 6)", "--tag", min_items=2, max_items=6),
    Field("last_updated", Kind.DATE, "Last updated (YYYY-MM-DD)", "--last-updated",
          default='{{ "%Y-%m-%d" | strftime }}'),
    Field("version", Kind.VERSION, "Document version", "--doc-version", default="1.0"),
    Field("status", Kind.CHOICE, "Status", "--status",
          choices=("draft", "published", "review_needed", "archived"), default="draft"),
    Field("guide_type", Kind.CHOICE, "Guide type", "--guide-type", content_types=GUIDE,
          choices=("getting_started", "preparation", "deep_dive", "advanced"),
          default="preparation"),
    Field("deliverables", Kind.TEXT_LIST, "Deliverables", "--deliverable", content_types=GUIDE,
          default=["topic mastery checklist", "practice exercises completed"]),
    Field("success_criteria", Kind.TEXT_LIST, "Success criteria", "--success-criterion",
          content_types=GUIDE,
          default=["can explain core concepts clearly", "ready for interview questions"]),
    Field("tutorial_type", Kind.CHOICE, "Tutorial type", "--tutorial-type",
          content_types=TUTORIAL,
          choices=("hands_on", "interactive", "code_along", "design_exercise"),
          default="hands_on"),
    Field("skills_taught", Kind.TEXT_LIST, "Skills taught", "--skill", content_types=TUTORIAL,
          min_items=1),
    Field("validation_method", Kind.CHOICE, "Validation method", "--validation-method",
          content_types=TUTORIAL, choices=("self_check", "automated", "peer_review"),
          default="self_check"),
    Field("prerequisites", Kind.DOC_LIST, "Prerequisite documents", "--prerequisite",
          default=[]),
    Field("learning_objectives", Kind.TEXT_LIST, "Learning objectives", "--objective",
          min_items=1),
    Field("related_content", Kind.DOC_LIST, "Related documents", "--related", default=[]),
    Field("progression_path", Kind.TEXT, "Progression path", "--progression-path",
          default=_TEXT_DEFAULTS["progression_path"]),
    Field("contributors", Kind.TEXT_LIST, "Contributors", "--contributor", min_items=1),
    Field("review_date", Kind.DATE, "Next review date (YYYY-MM-DD)", "--review-date",
          default=ONE_MONTH_LATER, after="last_updated"),
    Field("content_owner", Kind.TEXT, "Content owner (team)", "--content-owner"),
    Field("technical_depth", Kind.CHOICE, "Technical depth", "--technical-depth",
          choices=("component", "platform", "organization"), default="component"),
    Field("interview_focus", Kind.CHOICE, "Interview focus", "--interview-focus",
          choices=("technical", "behavioral", "leadership", "mixed"), default="technical"),
    Field("practice_type", Kind.CHOICE, "Practice type", "--practice-type",
          content_types=TUTORIAL,
          choices=("theory", "hands_on", "mock_interview", "self_assessment"),
          default="hands_on"),
)  # fmt: skip

FIELDS_BY_KEY: Mapping[str, Field] = {f.key: f for f in FIELDS}
# Fields an author never types: the command sets one, the site the other.
NOT_ASKED: tuple[str, ...] = ("content_type", "docs_dir")


def fields_for(content_type: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.applies_to(content_type))


def frontmatter_fields(content_type: str) -> tuple[Field, ...]:
    return tuple(f for f in fields_for(content_type) if f.in_frontmatter)


def all_frontmatter_keys() -> frozenset[str]:
    return frozenset(f.key for f in FIELDS if f.in_frontmatter)
