"""Rule GW401: a page's review date has passed.

The template's review-date question (the `_guidewright` block's `review_date`) says when a
page is to be looked at again; `check` says so on the day after.
"""

from __future__ import annotations

import datetime as dt

from guidewright.rules.page import PageInSite
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.rule import Rule, SiteDetector


def review_problems(page: PageInSite) -> list[Problem]:
    """GW401 when the page's review date is before today (a value that is no date is the
    question's to report: GW101)."""
    review_key = page.questionnaire.block.review_date
    review = page.facts.data.get(review_key) if review_key else None
    if review is not None and type(review) is not str:
        # Imported here for start-up speed (it loads Jinja2): a text is plain already.
        from guidewright.copier_compat.questions import plain_value

        review = plain_value(review)
    if not isinstance(review, str) or not review_key:
        return []
    try:
        due = dt.date.fromisoformat(review)
    except ValueError:
        return []
    if due >= page.today:
        return []
    message = f"{review} is in the past: time to review"
    return [REVIEW_DUE.problem(page.shown, page.facts.key_lines[review_key], review_key, message)]


REVIEW_DUE = Rule(
    code="GW401",
    name="review-date-passed",
    severity=WARNING,
    summary="a review date that has passed",
    why=(
        "Interview material goes stale: levels, tools and the companies' loops change. The "
        "review date is the author's promise to look again; past it, readers may be "
        "reading something no longer true. Review the page, then move the date on."
    ),
    example='```markdown\n---\ncontent_type: "guide"\nreview_date: "2024-01-31"\n---\n```',
    family="review date",
    detector=SiteDetector(review_problems),
)
