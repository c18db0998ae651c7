"""`template check` on the block's migrations: each is judged against this version's
questions, at the end of the chain (a name renamed again or removed by a later entry is
followed there, a value mapped again too).

Refused: a rename whose new name is not a question, a mapped value the question refuses
(a list item judged as one item of a list the question accepts), a removed question that
still exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.errors import AnswerError
from guidewright.template.migrations import Migration, Scalar, map_value, shown_value
from guidewright.template.questionnaire import Questionnaire


def _followed(name: str, later: Sequence[Migration]) -> str | None:
    """What `name` is called after the later entries; None when one removes it."""
    for entry in later:
        name = entry.rename.get(name, name)
        if name in entry.remove:
            return None
    return name


def _value_followed(value: Scalar, name: str, later: Sequence[Migration]) -> Any:
    for entry in later:
        name = entry.rename.get(name, name)
        if name in entry.values:
            value = map_value(value, entry.values[name])
    return value


def _context(questionnaire: Questionnaire, question: Question) -> dict[str, Any]:
    """Typical answers of the first content type the question applies to."""
    for content_type in questionnaire.content_types:
        answers = questionnaire.typical_answers(content_type)
        if question.applies(answers):
            return answers
    return questionnaire.typical_answers(questionnaire.content_types[0])


def _as_list_item(
    questionnaire: Questionnaire, question: Question, value: Any, context: dict[str, Any]
) -> list[Any]:
    """`value` in place of the first item of a list the question accepts (its example or
    default), so that the list's own bounds do not judge the one item."""
    base = questionnaire.block.examples.get(question.name, context.get(question.name, MISSING))
    if not isinstance(base, list):
        return [value]
    others = [item for item in base if item != value]
    return [value, *others[: len(base) - 1]]


def _is_list(questionnaire: Questionnaire, question: Question) -> bool:
    return questionnaire.is_list(question.name) or bool(question.multiselect)


def _refusal(questionnaire: Questionnaire, question: Question, value: Any) -> str | None:
    context = _context(questionnaire, question)
    if _is_list(questionnaire, question):
        value = _as_list_item(questionnaire, question, value, context)
    try:
        return question.problem(value, context)[1]
    except (AnswerError, TemplateError, ValueError, TypeError) as error:
        return str(error)


def _entry_problems(
    questionnaire: Questionnaire, entry: Migration, later: Sequence[Migration]
) -> list[str]:
    questions = questionnaire.questions
    problems = []
    for old, new in entry.rename.items():
        final = _followed(new, later)
        if final is not None and final not in questions:
            shown = new if final == new else f"{new} (then {final})"
            problems.append(f"rename: {old} becomes {shown}, which is not a question")
    for name, mapping in entry.values.items():
        final = _followed(name, later)
        if final is None:
            continue
        question = questions.get(final)
        if question is None:
            problems.append(f"values: {name} is not a question")
            continue
        for before, after in mapping.items():
            refused = _refusal(questionnaire, question, _value_followed(after, name, later))
            if refused:
                where = "the item" if _is_list(questionnaire, question) else "the value"
                problems.append(
                    f"values: {name}: {shown_value(before)} → {shown_value(after)}: "
                    f"{final} refuses {where}: {refused}"
                )
    for name in entry.remove:
        reused = any(name in later_entry.rename.values() for later_entry in later)
        if name in questions and not reused:
            problems.append(f"remove: {name} is still a question (delete it from copier.yml)")
    return problems


def migration_problems(questionnaire: Questionnaire) -> list[str]:
    """What is wrong with the block's migrations, one line each."""
    migrations = questionnaire.block.migrations
    problems = []
    for index, entry in enumerate(migrations):
        where = f"_guidewright: migrations: entry {index + 1} (version {entry.version})"
        problems += [
            f"{where}: {p}" for p in _entry_problems(questionnaire, entry, migrations[index + 1 :])
        ]
    return problems
