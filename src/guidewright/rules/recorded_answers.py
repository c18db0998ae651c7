"""Rules of a page's recorded answers themselves: none (GW501), or unusable: an answers
file that cannot be read in full, or whose document is gone (GW502).

GW502 is found in two places and made here only: on the page, whose answers `check` and
the language server read as they judge it, and by `check` over the whole site for the
answers files no page is judged with (check/site_check.py).
"""

from __future__ import annotations

from guidewright.core.errors import UnusableAnswers
from guidewright.rules.page import PageInSite, PageUnderCheck
from guidewright.rules.problems import WARNING, Problem
from guidewright.rules.rule import PageDetector, Reads, Rule, SiteDetector
from guidewright.site.answers_files import RecordedDocument

FAMILY = "recorded answers"


def unusable(error: UnusableAnswers) -> Problem:
    """GW502 on the answers file the error names ("<answers file>: <why>")."""
    relpath, _, reason = str(error).partition(": ")
    return UNUSABLE_ANSWERS.problem(relpath, 1, "answers", reason)


def orphaned(recorded: RecordedDocument) -> Problem:
    """GW502 on an answers file whose document is not there."""
    message = f"its document {recorded.document} is missing (moved or deleted?)"
    return UNUSABLE_ANSWERS.problem(recorded.answers_relpath, 1, "answers", message)


def _unusable_answers_of_page(page: PageUnderCheck) -> list[Problem]:
    recorded = page.recorded
    return [unusable(recorded)] if isinstance(recorded, UnusableAnswers) else []


def _no_answers(page: PageInSite) -> list[Problem]:
    if page.shown in page.answered:
        return []
    message = "no recorded answers: `guidewright update` cannot update it"
    return [NO_ANSWERS.problem(page.shown, 1, "answers", message)]


NO_ANSWERS = Rule(
    code="GW501",
    name="no-recorded-answers",
    severity=WARNING,
    summary="a document without recorded answers (`update` cannot update it)",
    why=(
        "`guidewright new` records each page's answers in `.guidewright/answers/`; "
        "`update` re-applies a changed template from them. A page copied by hand, or "
        "whose answers file was deleted, has none, and a template change never reaches it."
    ),
    example=(
        "`docs/guides/copy.md`, copied from another guide, with no "
        "`.guidewright/answers/guides/copy.yml`."
    ),
    family=FAMILY,
    detector=SiteDetector(_no_answers),
)

UNUSABLE_ANSWERS = Rule(
    code="GW502",
    name="unusable-recorded-answers",
    severity=WARNING,
    summary="recorded answers that cannot be used, or whose document is gone",
    why=(
        "An answers file that is not valid YAML, is too large, or names a document "
        "outside the docs folder cannot be used by `update`; one whose document was moved "
        "or deleted updates nothing. Move it with the page (`git mv` both) or delete it."
    ),
    example="```yaml\n# .guidewright/answers/guides/caching.yml\n_src_path: [\n```",
    family=FAMILY,
    detector=PageDetector(Reads.FRONTMATTER, _unusable_answers_of_page),
)
