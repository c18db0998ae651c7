"""Rules GW504 and GW505: a page's frontmatter against its recorded answers.

The frontmatter is the answer (rules/page_answers.py): an author changes a value there,
and `update` re-renders what the template makes from it (a body line such as "Skill Level:
Expert"). Until then the page and its answers file disagree; `check` says where, with the
same reading `update` will use, so the two can never tell the author different things.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from guidewright.core.errors import UnusableAnswers
from guidewright.markdown import frontmatter
from guidewright.rules.page import PageUnderCheck
from guidewright.rules.page_answers import RefusedFrontmatter, answers_from_frontmatter
from guidewright.rules.problems import ERROR, WARNING, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule

if TYPE_CHECKING:  # annotations only: importing it loads Jinja2 (start-up speed)
    from guidewright.template.questionnaire import Questionnaire


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def drift_problems(
    shown: str,
    parsed: frontmatter.Frontmatter,
    recorded: Mapping[str, Any],
    questionnaire: Questionnaire,
) -> list[Problem]:
    """GW504 for each frontmatter value that differs from its recorded answer, GW505 for a
    changed content type. A value the question refuses is GW101's to report, not these,
    and a content type the template does not declare GW105's."""
    if questionnaire.block.declared_type(parsed.data) is None:
        return []
    try:
        held = answers_from_frontmatter(parsed, recorded, questionnaire)
    except RefusedFrontmatter as refused:
        if refused.key != questionnaire.block.type_question:
            return []
        return [TYPE_CHANGED.problem(shown, refused.line, refused.key, refused.reason)]
    problems = []
    for name in held.changed:
        was = (
            f"its recorded answer is {_shown(recorded[name])}"
            if name in recorded
            else ("its recorded answers lack it")
        )
        message = (
            f"the page says {_shown(held.answers[name])}, {was}: what the template makes "
            "from it is stale until `guidewright update`"
        )
        line = parsed.key_lines.get(name, 1)
        problems.append(ANSWER_DRIFT.problem(shown, line, name, message))
    return problems


def _drift_of_page(page: PageUnderCheck) -> list[Problem]:
    """`drift_problems` where the page has usable recorded answers (unusable ones are
    rules/recorded_answers.py's GW502)."""
    recorded = page.recorded
    if recorded is None or isinstance(recorded, UnusableAnswers):
        return []
    assert page.frontmatter is not None  # Reads.FRONTMATTER: guidewright's frontmatter
    return drift_problems(page.page.shown, page.frontmatter, recorded, page.questionnaire)


DRIFT = PageDetector(Reads.FRONTMATTER, _drift_of_page)
FAMILY = "answers drift"

ANSWER_DRIFT = Rule(
    code="GW504",
    name="answer-drift",
    severity=WARNING,
    summary="a frontmatter value that differs from the page's recorded answer: text the "
    "template makes from it is stale until `update`",
    why=(
        "An author changes a value in the frontmatter, where it is the answer; the text "
        'the template makes from it (a body line such as "Skill Level: Expert") still '
        "says the old one until `guidewright update` renders it again. `check` reads the "
        "page as `update` will, so the two never tell the author different things."
    ),
    example=(
        'A page made with `difficulty: "intermediate"`, changed by hand:\n\n'
        '```markdown\n---\ncontent_type: "guide"\ndifficulty: "expert"\n---\n```'
    ),
    family=FAMILY,
    detector=DRIFT,
)

TYPE_CHANGED = Rule(
    code="GW505",
    name="content-type-changed",
    severity=ERROR,
    summary="a page whose content type differs from the type it was made as (`update` refuses it)",
    why=(
        "A page's content type decides its questions and its whole body: changing it is "
        "not an update, and `update` refuses the page. Make a new page of the other type "
        "instead, or put the type back."
    ),
    example='A page made as a guide:\n\n```markdown\n---\ncontent_type: "tutorial"\n---\n```',
    family=FAMILY,
    detector=DRIFT,
)
