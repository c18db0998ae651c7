"""Rules GW504 and GW505: a page's frontmatter against its recorded answers.

The frontmatter is the answer (rules/page_answers.py): an author changes a value there,
and `update` re-renders what the template makes from it (a body line such as "Skill Level:
Expert"). Until then the page and its answers file disagree; `check` says where, with the
same reading `update` will use, so the two can never tell the author different things.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from guidewright.markdown import frontmatter
from guidewright.rules.page_answers import RefusedFrontmatter, answers_from_frontmatter
from guidewright.rules.problems import ERROR, WARNING, Problem
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
        return [Problem(shown, refused.line, refused.key, refused.reason, ERROR, "GW505")]
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
        problems.append(Problem(shown, line, name, message, WARNING, "GW504"))
    return problems
