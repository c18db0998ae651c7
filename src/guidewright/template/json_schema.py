"""The frontmatter as a JSON Schema (draft 2020-12), from the template's questionnaire.

Types, choices, lists and which keys each content type requires come from the questions.
A validator that is one of the template's shared rules, where the template says how that
rule reads in JSON Schema (template/rule_schemas.py), becomes those keywords, which editors
enforce. A rule across fields (a review date after the last update) becomes what it says
of the value alone (a date), and any other validator stays with `check`: both are named in
a `$comment`, the one annotation every validator accepts, even in strict mode.

For editors, each key also gets its literal `default`, a `markdownDescription` (VS Code,
yaml-language-server) and, where a `pattern` judges it, `patternErrorMessage`: `check`'s
own message for a value the pattern refuses, not the pattern itself. Validators in strict
mode (ajv) refuse those two keywords unless declared; `editor=False` leaves them out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.errors import InvalidInput
from guidewright.template.questionnaire import Questionnaire
from guidewright.template.rule_schemas import as_python, lone_rule_schema, rule_schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_JSON_TYPES = {
    "str": "string",
    "path": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
}
# The keywords only editors read (VS Code's JSON and YAML servers): not JSON Schema's own.
EDITOR_KEYWORDS = ("markdownDescription", "patternErrorMessage")
# Values a pattern is tried on to find one it refuses, whose message `check` gives.
_REFUSED_PROBES = ("", "soon", "\x00", " ", "-", "a\nb", "A B", "x" * 2000)


def question_schema(
    questionnaire: Questionnaire,
    question: Question,
    answers: dict[str, Any],
    editor: bool = True,
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
    listed = question.multiselect or questionnaire.is_list(question.name)
    if listed:
        result = {"type": "array", "items": item}
        if question.multiselect:
            result["uniqueItems"] = True
    else:
        result = item
    result["description"] = question.help_text(answers)
    if question.validator:
        said = rule_schema(questionnaire.jinja, question)
        if said is None:
            alone = lone_rule_schema(questionnaire.jinja, question)
            result = result if alone is None else merged(result, alone)
            result["$comment"] = (
                f"guidewright check also applies the template's validator: {question.validator}"
            )
        else:
            result = merged(result, said)
    default = _literal_default(question, answers)
    if default is not MISSING:
        result["default"] = default
    if editor:
        example = questionnaire.block.examples
        _add_editor_keywords(result, question, answers, example, listed, default)
    return result


def _literal_default(question: Question, answers: dict[str, Any]) -> Any:
    """The question's default when it is a plain value (one made by Jinja, today's date
    say, would change the schema every day): MISSING otherwise."""
    if question.default is MISSING or _templated(question.default):
        return MISSING
    try:
        value = question.default_value(answers)
    except (InvalidInput, ValueError):
        return MISSING
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return MISSING
    return value


def _templated(value: Any) -> bool:
    """Whether a raw default holds Jinja anywhere."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, list | tuple):
        return any(_templated(item) for item in value)
    if isinstance(value, dict):
        return any(_templated(k) or _templated(v) for k, v in value.items())
    return False


def _add_editor_keywords(
    schema: dict[str, Any],
    question: Question,
    answers: dict[str, Any],
    example: dict[str, Any],
    listed: bool,
    default: Any,
) -> None:
    """`markdownDescription` and, beside each pattern, `check`'s message for a value it
    refuses (`patternErrorMessage`)."""
    holder = schema.get("items") if listed else schema
    message = None
    if isinstance(holder, dict) and isinstance(holder.get("pattern"), str):
        message = _refused_message(question, answers, example, holder["pattern"], listed)
        if message:
            holder["patternErrorMessage"] = message
    described = schema["description"]
    if default is not MISSING and default not in ("", []):
        described += f"\n\nDefault: `{json.dumps(default, ensure_ascii=False)}`"
    if message:
        described += f"\n\n`guidewright check`: {question.name} {message}"
    schema["markdownDescription"] = described


def _refused_message(
    question: Question,
    answers: dict[str, Any],
    example: dict[str, Any],
    pattern: str,
    listed: bool,
) -> str | None:
    """What `check` says of the first probe the pattern refuses (as an item of the typical
    list, for a list's items); None when no probe is refused, or check says nothing."""
    try:
        compiled = re.compile(as_python(pattern))
    except re.error:
        return None
    # A list's other items as the template's own example has them (its count right), so
    # that the message is about the item, not the count.
    typical = example.get(question.name, answers.get(question.name))
    rest = list(typical[1:]) if listed and isinstance(typical, list) else []
    for probe in _REFUSED_PROBES:
        if compiled.search(probe):
            continue
        _, problem = question.problem([probe, *rest] if listed else probe, answers)
        if problem:
            return problem
    return None


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


def document_schema(
    questionnaire: Questionnaire, content_type: str, editor: bool = True
) -> dict[str, Any]:
    """The frontmatter of one content type."""
    answers = questionnaire.typical_answers(content_type)
    questions = questionnaire.frontmatter_questions(answers)
    properties: dict[str, Any] = {
        q.name: question_schema(questionnaire, q, answers, editor) for q in questions
    }
    properties[questionnaire.block.type_question] = {"const": content_type}
    # Keys of other content types are errors (`false`: no value is allowed); other unknown
    # keys only warnings, so the schema leaves them be.
    for name in questionnaire.questions:
        if name not in properties and name not in questionnaire.block.location:
            properties[name] = False
    return {
        "type": "object",
        "title": f"guidewright {content_type} frontmatter",
        "properties": properties,
        "required": [q.name for q in questions if q.name not in questionnaire.block.optional],
    }


def frontmatter_json_schema(
    questionnaire: Questionnaire, content_type: str | None = None, editor: bool = True
) -> dict[str, Any]:
    """One content type's schema, or all of them as `oneOf`; without the editors' own
    keywords (EDITOR_KEYWORDS) unless `editor`."""
    if content_type is not None:
        if content_type not in questionnaire.block.content_types:
            allowed = ", ".join(questionnaire.block.content_types)
            raise InvalidInput(f"TYPE: must be one of: {allowed}")
        return {"$schema": DIALECT, **document_schema(questionnaire, content_type, editor)}
    types = questionnaire.content_types
    return {
        "$schema": DIALECT,
        "title": "guidewright document frontmatter",
        "$defs": {t: document_schema(questionnaire, t, editor) for t in types},
        "oneOf": [{"$ref": f"#/$defs/{t}"} for t in types],
    }
