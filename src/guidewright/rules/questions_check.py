"""A document's frontmatter judged by the template's questions, as the wizard judges answers.

The same `Question` parses and validates both, so a rule reads the same in `check` as at
the prompt: "<question>: <what is allowed>".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from guidewright.markdown.frontmatter import Frontmatter
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule

if TYPE_CHECKING:  # annotations only: importing them loads Jinja2 (start-up speed)
    from guidewright.copier_compat.questions import Question
    from guidewright.template.questionnaire import Questionnaire


def written_as_parsed(parsed: Any, written: Any) -> bool:
    """Whether the written value already is what the question makes of it (3 is not "3")."""
    if isinstance(parsed, list) and isinstance(written, list):
        return len(parsed) == len(written) and all(map(written_as_parsed, parsed, written))
    if isinstance(parsed, float) and isinstance(written, int) and not isinstance(written, bool):
        return parsed == written
    return type(parsed) is type(written) and parsed == written


def _reordered(parsed: Any, written: Any) -> bool:
    """Whether a multiselect's written choices are the parsed ones in another order."""
    if not (isinstance(parsed, list) and isinstance(written, list)) or written_as_parsed(
        parsed, written
    ):
        return False
    remaining = list(parsed)
    for item in written:
        match = next((i for i, p in enumerate(remaining) if written_as_parsed(p, item)), None)
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
    # Imported here for start-up speed (it loads Jinja2): only a page judged needs it.
    from guidewright.copier_compat.questions import TYPE_WORDS

    value, problem = question.problem(written, data)
    if problem is None and question.multiselect and _reordered(value, written):
        listed = ", ".join(str(choice) for choice in value)
        problem = f"must list its choices in the template's order: {listed}"
    elif problem is None and not written_as_parsed(value, written):
        kind = question.type_name(data)
        problem = f"must be {TYPE_WORDS[kind]}" + (" items" if isinstance(value, list) else "")
    return value, problem


def frontmatter_problems(
    shown: str, parsed: Frontmatter, questionnaire: Questionnaire
) -> list[Problem]:
    """What is wrong with the frontmatter's keys and values for its content type."""
    # Imported here for start-up speed (it loads Jinja2): only a page judged needs it.
    from guidewright.copier_compat.questions import SettingFailed, plain_value

    data = {key: plain_value(value) for key, value in parsed.data.items()}
    lines = parsed.key_lines
    block = questionnaire.block
    type_key = block.type_question
    content_type = block.declared_type(data)
    if content_type is None:
        allowed = ", ".join(block.content_types)
        message = f"must be one of: {allowed}"
        return [UNKNOWN_CONTENT_TYPE.problem(shown, lines.get(type_key, 1), type_key, message)]
    problems: list[Problem] = []
    asked = set()
    try:
        questions = questionnaire.frontmatter_questions(data)
    except SettingFailed as error:  # the page's finding, on the question that failed
        line = lines.get(error.question, 1)
        return [REFUSED_VALUE.problem(shown, line, error.question, error.reason)]
    for question in questions:
        name = question.name
        asked.add(name)
        if name not in data:
            if name not in block.optional:
                message = f"missing (a {content_type} answers: {question.help_text(data)})"
                problems.append(MISSING_KEY.problem(shown, 1, name, message))
            continue
        problem = written_value_problem(question, data[name], data)[1]
        if problem:
            problems.append(REFUSED_VALUE.problem(shown, lines.get(name, 1), name, problem))
    for key, line in lines.items():
        if key in asked or key == type_key:
            continue
        if key in questionnaire.questions and key not in block.location:
            message = f"not a question of a {content_type} (the template does not ask it)"
            problems.append(KEY_NOT_ASKED.problem(shown, line, key, message))
        else:
            problems.append(UNKNOWN_KEY.problem(shown, line, key, "unknown key"))
    return problems


def _questions_problems(page: PageUnderCheck) -> list[Problem]:
    assert page.frontmatter is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    return frontmatter_problems(page.page.shown, page.frontmatter, page.questionnaire)


QUESTIONS = PageDetector(Reads.FRONTMATTER, _questions_problems)
FAMILY = "questions"

REFUSED_VALUE = Rule(
    code="GW101",
    name="refused-value",
    severity=ERROR,
    summary="a value the template's question refuses (type, choice, validator)",
    why=(
        "The frontmatter is the page's answers: a value the wizard would refuse at its "
        "prompt is refused here, in the same words, because the same question judges it. "
        "A value YAML reads as another type counts too: an unquoted `1.10` is the number "
        '1.1, not the text "1.10".'
    ),
    example=(
        '```markdown\n---\ncontent_type: "guide"\ndifficulty: "hard"\n---\n```\n\n'
        "`difficulty: must be one of: beginner, intermediate, advanced, expert`"
    ),
    family=FAMILY,
    detector=QUESTIONS,
)

MISSING_KEY = Rule(
    code="GW102",
    name="missing-key",
    severity=ERROR,
    summary="a key the document's content type requires is missing",
    why=(
        "Every question the page's content type asks, and the template does not mark "
        "optional, needs its answer in the frontmatter: the theme and `update` read it. "
        "The editor's quick fix adds the key with the question's default."
    ),
    example='```markdown\n---\ncontent_type: "guide"\ntitle: "Caching"\n---\n```',
    family=FAMILY,
    detector=QUESTIONS,
)

KEY_NOT_ASKED = Rule(
    code="GW103",
    name="key-not-asked",
    severity=ERROR,
    summary="a question's key in a content type that does not ask it",
    why=(
        "The template asks this question of other content types only: the value is "
        "never rendered for this one, and `update` would drop it."
    ),
    example=(
        "A guide with a key only tutorials answer:\n\n"
        '```markdown\n---\ncontent_type: "guide"\nskills_taught: ["caching"]\n---\n```'
    ),
    family=FAMILY,
    detector=QUESTIONS,
)

UNKNOWN_KEY = Rule(
    code="GW104",
    name="unknown-key",
    severity=WARNING,
    summary="a key no question of the template asks",
    why=(
        "No question of the template asks it, so the template never renders it: often a "
        "misspelt key, whose intended question is then missing too. A key a site adds on "
        "purpose can be left with `--ignore GW104`."
    ),
    example='```markdown\n---\ncontent_type: "guide"\ndificulty: "advanced"\n---\n```',
    family=FAMILY,
    detector=QUESTIONS,
)

UNKNOWN_CONTENT_TYPE = Rule(
    code="GW105",
    name="unknown-content-type",
    severity=ERROR,
    summary="a content type the template does not declare",
    why=(
        "The content type decides which questions the page answers; with one the template "
        "does not declare, none of them can be judged."
    ),
    example='```markdown\n---\ncontent_type: "essay"\n---\n```',
    family=FAMILY,
    detector=QUESTIONS,
)
