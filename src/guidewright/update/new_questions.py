"""The answers a document has under a newer template version: its recorded answers, each
still parsed and validated, plus the questions the new version added.

Copier's rules: a question whose `when` is false is hidden (its default feeds the render,
nothing is recorded); a recorded answer is re-read through its question; a new question
takes its default or, in a terminal, is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.questions import MISSING, Question
from guidewright.core.errors import AnswerError, UnanswerableDocument
from guidewright.template.answering import Prompt

# Asked once per document for a question the new template added: (document, prompt).
AskNew = Callable[[str, Prompt], Any]


@dataclass(frozen=True)
class CompletedAnswers:
    """A document's answers under the new version."""

    answers: dict[str, Any]  # the render context's answers
    hidden: frozenset[str]  # questions whose `when` is false: not recorded


def _default(question: Question, answers: Mapping[str, Any]) -> Any:
    try:
        return question.default_value(answers)
    except (AnswerError, TemplateError):
        return MISSING


def complete_answers(
    questions: Mapping[str, Question],
    lists: tuple[str, ...],
    recorded: Mapping[str, Any],
    document: str,
    ask_new: AskNew | None,
    kept_as_recorded: tuple[str, ...] = (),
) -> CompletedAnswers:
    """`recorded` answers completed for `questions` (a newer version's). Those named in
    `kept_as_recorded` are not judged again: an adopted page's location is what it is."""
    answers = dict(recorded)
    hidden: set[str] = set()
    for name, question in questions.items():
        try:
            applies = question.applies(answers)
        except TemplateError as error:  # SettingFailed: it names the question
            raise UnanswerableDocument(str(error)) from error
        if not applies:
            hidden.add(name)
            default = _default(question, answers)
            if default is MISSING:
                answers.pop(name, None)
            else:
                answers[name] = default
            continue
        if name in answers and name in kept_as_recorded:
            continue
        if name in answers:
            value, problem = question.problem(answers[name], answers)
            if problem:
                raise UnanswerableDocument(f"recorded answer {name}: {problem}")
            answers[name] = value
            continue
        default = _default(question, answers)
        if ask_new is not None:

            def check(raw: Any, question: Question = question) -> tuple[Any, str | None]:
                return _checked(question, raw, answers)

            prompt = Prompt(
                question=question,
                label=question.help_text(answers),
                default=default,
                type_name=question.type_name(answers),
                choices=question.choice_list(answers),
                is_list=name in lists,
                source=None,
                check=check,
            )
            value = ask_new(document, prompt)
        elif default is MISSING:
            raise UnanswerableDocument(
                f"the new template asks '{name}', which has no default: run update in a terminal"
            )
        else:
            value = default
        value, problem = _checked(question, value, answers)
        if problem:
            raise UnanswerableDocument(problem)
        answers[name] = value
    return CompletedAnswers(answers, frozenset(hidden))


def _checked(question: Question, raw: Any, answers: Mapping[str, Any]) -> tuple[Any, str | None]:
    value, problem = question.problem(raw, answers)
    return value, (f"{question.name}: {problem}" if problem else None)
