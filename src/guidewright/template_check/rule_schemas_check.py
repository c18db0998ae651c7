"""`template check` of the rules' JSON Schema: what can be verified without an editor.

Each question whose validator the template says in JSON Schema (template/rule_schemas.py)
gets a fragment that must be a valid JSON Schema, whose patterns use nothing ECMA-262 reads
otherwise than Python (or not at all), and that judges probe values (the question's example
or default, and edge cases: a final newline, control characters, emoji, empty text, the
bounds the fragment names) exactly as the validator does. The patterns are run by Python
with ECMA-262's end of text; tests/test_rule_schemas.py runs them in Node as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from guidewright.copier_compat.questions import Question
from guidewright.core.errors import GuidewrightError
from guidewright.rules.questions_check import written_as_parsed
from guidewright.template.json_schema import question_schema
from guidewright.template.questionnaire import Questionnaire
from guidewright.template.rule_schemas import (
    as_python,
    lone_rule_call,
    lone_rule_schema,
    rule_call,
    rule_schema,
)

# Syntax Python's re accepts that ECMA-262 reads otherwise or refuses, by what it looks like.
_NOT_ECMA = {
    r"\Z": "Python's end of text (ECMA-262 has `$`)",
    r"\A": "Python's start of text (ECMA-262 has `^`)",
    r"\z": "not ECMA-262 (`$` is the end of text)",
    "(?P": "a Python named group (ECMA-262 writes (?<name>...))",
    "(?#": "a Python comment",
    "(?>": "an atomic group (ECMA-262 has none)",
}
_CLASSES = ("d", "D", "w", "W", "s", "S", "b", "B")  # Unicode in Python, other sets in ECMA
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]+[-:)]")
_POSSESSIVE = re.compile(r"(?:[*+?}])\+")


def _pattern_problems(pattern: str) -> Iterator[str]:
    try:
        re.compile(pattern)
    except re.error as error:
        yield f"pattern {pattern!r} does not compile: {error}"
        return
    escaped = False
    for at, letter in enumerate(pattern):
        if escaped:
            if letter in _CLASSES:
                yield f"pattern {pattern!r}: \\{letter} means another set in ECMA-262"
            escaped = False
            continue
        if letter == "\\":
            escaped = True
            found = pattern[at : at + 2]
        else:
            found = pattern[at : at + 3]
        if found in _NOT_ECMA:
            yield f"pattern {pattern!r}: {found} is {_NOT_ECMA[found]}"
    if _INLINE_FLAGS.search(pattern):
        yield f"pattern {pattern!r}: inline flags are Python's (ECMA-262 has none)"
    if _POSSESSIVE.search(pattern.replace("\\\\", "").replace("\\+", "")):
        yield f"pattern {pattern!r}: a possessive quantifier is not ECMA-262"


def _patterns(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key not in {"enum", "const", "default", "examples"}:
                yield from _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _patterns(value)


def _probes(value: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """The question's own value, and the edge cases around it."""
    yield value
    edges = ["", " ", "\n", "\x00", "😀", "\xa0", "\u2028", "\ufeff", "a"]
    if isinstance(value, str):
        for edge in edges:
            yield from (value + edge, edge + value, edge)
        yield from (value + "\n", value * 2, None, 3, [value])
        for key in ("minLength", "maxLength"):
            if isinstance(schema.get(key), int):
                for size in (schema[key] - 1, schema[key], schema[key] + 1):
                    yield "a" * max(size, 0)
    elif isinstance(value, list):
        first = value[0] if value else "a"
        yield from ([], value + value[:1], value[:1], [first, 3], [None], [*value, [first]])
        yield from ("text", None, {"a": first})
        for edge in edges:
            yield [*value, edge]
            yield [f"{item}{edge}" if isinstance(item, str) else item for item in value]
        for key in ("minItems", "maxItems"):
            if isinstance(schema.get(key), int):
                for size in (schema[key] - 1, schema[key], schema[key] + 1):
                    yield [f"{first}{chr(97 + n % 26) * (n // 26 + 1)}" for n in range(size)]


def _ecma_validator() -> Any:
    """jsonschema's validator with `pattern` read as ECMA-262 reads it."""
    import jsonschema

    def pattern(validator: Any, wanted: str, instance: Any, _: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not re.search(as_python(wanted), instance):
            yield jsonschema.ValidationError(f"does not match {wanted!r}")

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})


def _disagreement(
    question: Question, answers: dict[str, Any], validator: Any, value: Any, alone: bool
) -> str | None:
    """How the rule and the schema judge `value` otherwise; `alone`: the schema says the
    rule of the value alone, so only its refusing what the rule accepts is wrong."""
    parsed, problem = question.problem(value, answers)
    accepted = problem is None and written_as_parsed(parsed, value)  # check's own type test
    valid = validator.is_valid(value)
    if valid == accepted or (alone and valid):
        return None
    rule, schema_says = ("accepts", "refuses") if accepted else ("refuses", "accepts")
    return f"the rule {rule} {value!r}, the JSON Schema {schema_says} it"


def rule_schema_findings(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """(question, what is wrong) for each rule's JSON Schema that is not right."""
    import jsonschema

    found = []
    ecma = _ecma_validator()
    answers: dict[str, Any] = {}  # an answer to every question, for its probes
    for content_type in reversed(questionnaire.content_types):
        answers.update(questionnaire.typical_answers(content_type))
    answers.update(questionnaire.block.examples)
    for name, question in questionnaire.questions.items():
        call = rule_call(questionnaire.jinja, question)
        # A rule across fields is said of the value alone: less than the rule, never more.
        alone = call is None
        if alone:
            call = lone_rule_call(questionnaire.jinja, question)
        if call is None:
            continue
        try:
            schema = (lone_rule_schema if alone else rule_schema)(questionnaire.jinja, question)
        except GuidewrightError as error:
            found.append((name, error.message.removeprefix(f"{name}: ")))
            continue
        if schema is None:
            continue
        where = f"{call.companion}({', '.join(map(repr, call.args))})"
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            found.append((name, f"{where} is not JSON Schema: {error.message}"))
            continue
        problems = [p for pattern in _patterns(schema) for p in _pattern_problems(pattern)]
        if problems:
            found.extend((name, f"{where}: {problem}") for problem in problems)
            continue
        emitted = ecma(question_schema(questionnaire, question, answers))  # type, choices too
        for probe in _probes(answers.get(name, "a"), schema):
            try:
                wrong = _disagreement(question, answers, emitted, probe, alone)
            except Exception as error:  # the template's own Jinja, on an odd value
                wrong = f"judging {probe!r} fails: {type(error).__name__}: {error}"
            if wrong:
                found.append((name, f"{where} disagrees with the rule: {wrong}"))
                break
    return found
