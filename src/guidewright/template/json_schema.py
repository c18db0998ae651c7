"""The frontmatter as a JSON Schema (draft 2020-12), from the template's questionnaire.

Types, choices, lists and which keys each content type requires come from the questions.
A validator that is one of the template's shared rules, where the template says how that
rule reads in JSON Schema (template/rule_schemas.py), becomes those keywords, which editors
enforce; any other Jinja validator is kept as the annotation `x-guidewright-validator`, and
`check` applies it.
"""

from __future__ import annotations

from typing import Any

from guidewright.copier_compat.questions import Question
from guidewright.core.errors import InvalidInput
from guidewright.template.questionnaire import Questionnaire
from guidewright.template.rule_schemas import rule_schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_JSON_TYPES = {"str": "string", "path": "string", "int": "integer", "float": "number",
               "bool": "boolean"}  # fmt: skip


def question_schema(
    questionnaire: Questionnaire, question: Question, answers: dict[str, Any]
) -> dict[str, Any]:
    """What a frontmatter key may hold, as far as JSON Schema can say it."""
    type_name = question.type_name(answers)
    item: dict[str, Any] = {}
    if type_name in _JSON_TYPES:
        item["type"] = _JSON_TYPES[type_name]
    choices = [c.value for c in question.choice_list(answers) if not c.disabled]
    if choices:
        item["enum"] = choices
    result: dict[str, Any]
    if question.multiselect or questionnaire.is_list(question.name):
        result = {"type": "array", "items": item}
        if question.multiselect:
            result["uniqueItems"] = True
    else:
        result = item
    result["description"] = question.help_text(answers)
    if question.validator:
        said = rule_schema(questionnaire.jinja, question)
        if said is None:
            result["x-guidewright-validator"] = question.validator
        else:
            result = merged(result, said)
    return result


def merged(schema: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    """Both schemas' keywords in one (an instance must satisfy both): side by side where
    they do not clash, `items` merged alike, else the addition under `allOf`."""
    result = dict(schema)
    clashing = {}
    for key, value in more.items():
        if key not in result or result[key] == value:
            result[key] = value
        elif key == "items" and isinstance(value, dict) and isinstance(result[key], dict):
            result[key] = merged(result[key], value)
        else:
            clashing[key] = value
    if clashing:
        result["allOf"] = [*result.get("allOf", []), clashing]
    return result


def document_schema(questionnaire: Questionnaire, content_type: str) -> dict[str, Any]:
    """The frontmatter of one content type."""
    answers = questionnaire.typical_answers(content_type)
    questions = questionnaire.frontmatter_questions(answers)
    properties = {q.name: question_schema(questionnaire, q, answers) for q in questions}
    properties[questionnaire.block.type_question] = {"const": content_type}
    own = {q.name for q in questions}
    others = [
        name
        for name in questionnaire.questions
        if name not in own and name not in questionnaire.block.location
    ]
    schema: dict[str, Any] = {
        "type": "object",
        "title": f"guidewright {content_type} frontmatter",
        "properties": properties,
        "required": [q.name for q in questions if q.name not in questionnaire.block.optional],
    }
    if others:  # keys of other content types are errors; other unknown keys only warnings
        schema["not"] = {"anyOf": [{"required": [name]} for name in others]}
    return schema


def frontmatter_json_schema(
    questionnaire: Questionnaire, content_type: str | None = None
) -> dict[str, Any]:
    """One content type's schema, or all of them as `oneOf`."""
    if content_type is not None:
        if content_type not in questionnaire.block.content_types:
            allowed = ", ".join(questionnaire.block.content_types)
            raise InvalidInput(f"TYPE: must be one of: {allowed}")
        return {"$schema": DIALECT, **document_schema(questionnaire, content_type)}
    types = questionnaire.content_types
    return {
        "$schema": DIALECT,
        "title": "guidewright document frontmatter",
        "$defs": {t: document_schema(questionnaire, t) for t in types},
        "oneOf": [{"$ref": f"#/$defs/{t}"} for t in types],
    }
