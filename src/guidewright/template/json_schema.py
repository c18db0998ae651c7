"""The frontmatter as a JSON Schema (draft 2020-12), derived from `schema.FIELDS`.

JSON Schema cannot say "after last_updated"; that rule stays in `check`.
"""

from __future__ import annotations

from typing import Any

from guidewright import schema
from guidewright.schema import Field, Kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TEXT: dict[str, Any] = {
    "type": "string",
    "pattern": r"\S",
    "not": {"pattern": schema.CONTROL_PATTERN},
}


def _minutes_pattern() -> str:
    numbers = "|".join(str(n) for n in range(schema.MIN_MINUTES, schema.MAX_MINUTES + 1))
    return f"^({numbers}) min$"


def _array(items: dict[str, Any], field: Field, unique: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"type": "array", "items": items}
    if field.min_items:
        result["minItems"] = field.min_items
    if field.max_items is not None:
        result["maxItems"] = field.max_items
    if unique:
        result["uniqueItems"] = True
    return result


def field_schema(field: Field, content_type: str) -> dict[str, Any]:
    kind = field.kind
    if field.key == "content_type":
        result: dict[str, Any] = {"const": content_type}
    elif kind is Kind.TEXT:
        result = dict(_TEXT)
    elif kind is Kind.CHOICE:
        result = {"enum": list(field.choices)}
    elif kind is Kind.CHOICES:
        result = _array({"enum": list(field.choices)}, field, unique=True)
    elif kind is Kind.TEXT_LIST:
        result = _array(dict(_TEXT), field, unique=False)
    elif kind is Kind.TAG_LIST:
        result = _array({"type": "string", "pattern": schema.SLUG_PATTERN}, field, unique=True)
    elif kind is Kind.DOC_LIST:
        result = _array({"type": "string", "pattern": schema.DOC_PATH_PATTERN}, field, False)
    elif kind is Kind.DURATION:
        result = {"type": "string", "pattern": _minutes_pattern()}
    elif kind is Kind.DATE:
        result = {"type": "string", "format": "date", "pattern": schema.DATE_PATTERN}
    elif kind is Kind.VERSION:
        result = {"type": "string", "pattern": schema.VERSION_PATTERN}
    else:
        raise AssertionError(kind)
    result["description"] = f"{field.help}: {field.rule}"
    return result


def document_schema(content_type: str) -> dict[str, Any]:
    fields = schema.frontmatter_fields(content_type)
    return {
        "type": "object",
        "title": f"guidewright {content_type} frontmatter",
        "properties": {f.key: field_schema(f, content_type) for f in fields},
        "required": [f.key for f in fields],
        # Keys of the other content type are errors; other unknown keys only warnings.
        "not": {
            "anyOf": [
                {"required": [f.key]}
                for f in schema.FIELDS
                if f.in_frontmatter and not f.applies_to(content_type)
            ]
        },
    }


def frontmatter_json_schema(content_type: str | None = None) -> dict[str, Any]:
    if content_type is not None:
        return {"$schema": DIALECT, **document_schema(content_type)}
    return {
        "$schema": DIALECT,
        "title": "guidewright document frontmatter",
        "$defs": {t: document_schema(t) for t in schema.CONTENT_TYPES},
        "oneOf": [{"$ref": f"#/$defs/{t}"} for t in schema.CONTENT_TYPES],
    }
