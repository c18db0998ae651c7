"""A document's frontmatter judged by the template's questions, as the wizard judges answers.

The same `Question` parses and validates both, so a rule reads the same in `check` as at
the prompt: "<question>: <what is allowed>".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from guidewright.copier_compat.questions import TYPE_WORDS, Question, SettingFailed, plain_value
from guidewright.markdown.frontmatter import Frontmatter
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.template.questionnaire import Questionnaire


def _same(parsed: Any, written: Any) -> bool:
    """Whether the written value already is what the question makes of it (3 is not "3")."""
    if isinstance(parsed, list) and isinstance(written, list):
        return len(parsed) == len(written) and all(map(_same, parsed, written))
    if isinstance(parsed, float) and isinstance(written, int) and not isinstance(written, bool):
        return parsed == written
    return type(parsed) is type(written) and parsed == written


def _reordered(parsed: Any, written: Any) -> bool:
    """Whether a multiselect's written choices are the parsed ones in another order."""
    if not (isinstance(parsed, list) and isinstance(written, list)) or _same(parsed, written):
        return False
    remaining = list(parsed)
    for item in written:
        match = next((i for i, p in enumerate(remaining) if _same(p, item)), None)
        if match is None:
            return False
        del remaining[match]
    return not remaining


def written_value_problem(
    question: Question, written: Any, data: Mapping[str, Any]
) -> tuple[Any, str | None]:
    """(the value, None) or (the value, what is wrong): a frontmatter value (dates already
    plain) judged as the question judges it, and refused when it is not already the value
    the question makes of it (an unquoted `1.10` is the number 1.1, not the text "1.10")."""
    value, problem = question.problem(written, data)
    if problem is None and question.multiselect and _reordered(value, written):
        listed = ", ".join(str(choice) for choice in value)
        problem = f"must list its choices in the template's order: {listed}"
    elif problem is None and not _same(value, written):
        kind = question.type_name(data)
        problem = f"must be {TYPE_WORDS[kind]}" + (" items" if isinstance(value, list) else "")
    return value, problem


def frontmatter_problems(
    shown: str, parsed: Frontmatter, questionnaire: Questionnaire
) -> list[Problem]:
    """What is wrong with the frontmatter's keys and values for its content type."""
    data = {key: plain_value(value) for key, value in parsed.data.items()}
    lines = parsed.key_lines
    block = questionnaire.block
    type_key = block.type_question
    content_type = block.declared_type(data)
    if content_type is None:
        allowed = ", ".join(block.content_types)
        return [
            Problem(
                shown, lines.get(type_key, 1), type_key, f"must be one of: {allowed}", code="GW105"
            )
        ]
    problems: list[Problem] = []
    asked = set()
    try:
        questions = questionnaire.frontmatter_questions(data)
    except SettingFailed as error:  # the page's finding, on the question that failed
        line = lines.get(error.question, 1)
        return [Problem(shown, line, error.question, error.reason, code="GW101")]
    for question in questions:
        name = question.name
        asked.add(name)
        if name not in data:
            if name not in block.optional:
                message = f"missing (a {content_type} answers: {question.help_text(data)})"
                problems.append(Problem(shown, 1, name, message, code="GW102"))
            continue
        problem = written_value_problem(question, data[name], data)[1]
        if problem:
            problems.append(Problem(shown, lines.get(name, 1), name, problem, code="GW101"))
    for key, line in lines.items():
        if key in asked or key == type_key:
            continue
        if key in questionnaire.questions and key not in block.location:
            message = f"not a question of a {content_type} (the template does not ask it)"
            problems.append(Problem(shown, line, key, message, ERROR, "GW103"))
        else:
            problems.append(Problem(shown, line, key, "unknown key", WARNING, "GW104"))
    return problems
