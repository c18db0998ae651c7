"""A page's current answers: its recorded answers, overlaid with what its frontmatter says.

The frontmatter is where an author changes a value, so for every question written as a
frontmatter key the page's value is the answer, judged as `check` judges it (read by
markdown/frontmatter.py, judged by the page's own template version through the question
model), never rewritten: a value the question refuses fails the page. Not read from the
frontmatter: the location answers (not keys) and the type question (changing a page's
type is not an update). A key the author deleted, or a frontmatter that no longer parses,
leaves the recorded answer, as plain Copier would; the notes say so.

Only the frontmatter slice is decoded: a body with invalid UTF-8, NUL or a lone CR does not
stop the page from updating.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guidewright.core.errors import FrontmatterError, InvalidInput
from guidewright.markdown import frontmatter
from guidewright.rules.questions_check import written_value_problem

if TYPE_CHECKING:  # annotations only: importing it loads Jinja2 (start-up speed)
    from guidewright.template.questionnaire import Questionnaire


class RefusedFrontmatter(InvalidInput):
    """A frontmatter value the question refuses, or a changed type: the page fails."""

    def __init__(self, key: str, line: int, message: str) -> None:
        super().__init__(f"{key} (line {line}): {message}")
        self.key, self.line, self.reason = key, line, message


@dataclass(frozen=True)
class PageAnswers:
    """The answers a page holds now, and what the report says about them."""

    answers: dict[str, Any]
    changed: tuple[str, ...]  # questions whose frontmatter value differs from the recorded
    notes: tuple[str, ...]  # where the recorded answer stayed, and why


def read_frontmatter(content: bytes) -> frontmatter.Frontmatter | None:
    """The page's frontmatter, decoding nothing past its closing delimiter (None: none).

    Raises FrontmatterError when it cannot be read (invalid UTF-8 or YAML inside it)."""
    text = content.decode("utf-8", "surrogateescape")
    parts = frontmatter.split(text.removeprefix("\ufeff"))
    if parts is None:
        return None
    head = text[: len(text) - len(parts[1])]
    try:
        head.encode("utf-8")
    except UnicodeEncodeError as error:
        line = head.count("\n", 0, error.start) + 1
        raise FrontmatterError(line, "not UTF-8") from error
    return frontmatter.parse(head)


def _unchanged(recorded: Mapping[str, Any], notes: tuple[str, ...]) -> PageAnswers:
    return PageAnswers(dict(recorded), (), notes)


def page_answers(
    content: bytes, recorded: Mapping[str, Any], questionnaire: Questionnaire | None
) -> PageAnswers:
    """`recorded` overlaid with the page's frontmatter values, judged by `questionnaire`
    (the page's recorded version; None when it has no readable `_guidewright` block, and
    then no key is known to be an answer). Raises RefusedFrontmatter."""
    if questionnaire is None:
        return _unchanged(
            recorded,
            ("the recorded template version has no questionnaire: the recorded answers stay",),
        )
    try:
        parsed = read_frontmatter(content)
    except FrontmatterError as error:
        return _unchanged(
            recorded,
            (f"frontmatter unreadable ({error.place}: {error}): the recorded answers stay",),
        )
    if parsed is None:
        return _unchanged(recorded, ("no frontmatter: the recorded answers stay",))
    return answers_from_frontmatter(parsed, recorded, questionnaire)


def answers_from_frontmatter(
    parsed: frontmatter.Frontmatter, recorded: Mapping[str, Any], questionnaire: Questionnaire
) -> PageAnswers:
    """`recorded` overlaid with the values of a parsed frontmatter: what `update` takes as
    the page's answers, and what `check` compares with the recorded ones (GW504).
    Raises RefusedFrontmatter."""
    # Imported here for start-up speed (it loads Jinja2): only a page judged needs it.
    from guidewright.copier_compat.questions import frozen, plain_value

    data = {key: plain_value(value) for key, value in parsed.data.items()}
    type_key = questionnaire.block.type_question
    if type_key in data and type_key in recorded and data[type_key] != recorded[type_key]:
        raise RefusedFrontmatter(
            type_key,
            parsed.key_lines.get(type_key, 1),
            f"the page says {data[type_key]!r} but was made as {recorded[type_key]!r}; "
            "changing a page's type is not an update (create a new page of that type)",
        )
    answers = dict(recorded)
    changed: list[str] = []
    deleted: list[str] = []
    for question in questionnaire.frontmatter_questions(recorded):
        name = question.name
        if name == type_key:
            continue
        if name not in data:
            if name in recorded:
                deleted.append(name)
            continue
        if name in recorded and frozen(data[name]) == frozen(recorded[name]):
            continue  # the recorded answer itself (types included), judged when the update does
        value, problem = written_value_problem(question, data[name], {**answers, **data})
        if problem:
            raise RefusedFrontmatter(
                name,
                parsed.key_lines.get(name, 1),
                f"{problem}; fix the frontmatter value and run update again",
            )
        if name not in recorded or value != recorded[name]:
            changed.append(name)
        answers[name] = value
    notes: tuple[str, ...] = ()
    if deleted:
        notes = (f"keys not in the frontmatter keep their recorded answers: {', '.join(deleted)}",)
    return PageAnswers(answers, tuple(changed), notes)
