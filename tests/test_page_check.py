"""The check of one page as a library: text and a site index in, findings out, nothing read
from disk and nothing left behind between calls."""

from __future__ import annotations

from guidewright.check.page_check import check_page
from guidewright.core.errors import UnusableAnswers
from guidewright.rules.page import PageRef, SiteIndex
from guidewright.template.questionnaire import load_questionnaire
from guidewright.template.source import bundled_template

PAGE = PageRef("docs/guides/page.md", "guides/page.md")
TEXT = (
    "# Page\n\n## Here\n\n[a](other.md#there) [b](other.md#gone) [c](missing.md) "
    "[d](#here) [e](#nope)\n"
)


def index(anchors: dict[str, frozenset[str]]) -> SiteIndex:
    files = frozenset({"guides/page.md", "guides/other.md"})
    return SiteIndex(files, files, lambda target: anchors.get(target))


def test_one_page_is_judged_from_its_text_and_the_index_alone() -> None:
    questionnaire = load_questionnaire(bundled_template())
    offered = {"guides/other.md": frozenset({"there"})}
    verdict = check_page(PAGE, TEXT, index(offered), questionnaire)
    assert verdict.plain and verdict.parsed is None  # no guidewright frontmatter
    assert [(p.code, p.message) for p in verdict.problems] == [
        ("GW201", "other.md#gone matches no heading or anchor in guides/other.md"),
        ("GW201", "missing.md does not exist"),
        ("GW201", "#nope matches no heading or anchor on this page"),
    ]
    # Another index, another verdict: nothing is remembered between calls.
    moved = {"guides/other.md": frozenset({"there", "gone"})}
    again = check_page(PAGE, TEXT, index(moved), questionnaire)
    assert [p.message for p in again.problems] == [
        "missing.md does not exist",
        "#nope matches no heading or anchor on this page",
    ]


def test_frontmatter_that_is_not_yaml_is_gw002_with_conflict_markers_too() -> None:
    questionnaire = load_questionnaire(bundled_template())
    text = "---\ntitle: [\n---\n<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n"
    verdict = check_page(PAGE, text, index({}), questionnaire)
    assert {p.code for p in verdict.problems} == {"GW002", "GW302"}


def test_the_frontmatter_is_compared_with_the_recorded_answers_the_index_gives() -> None:
    """GW504 where a value differs from its recorded answer, GW505 for a changed type, GW502
    when the answers file cannot be read in full; nothing when they agree."""
    questionnaire = load_questionnaire(bundled_template())
    text = '---\ncontent_type: "guide"\ndifficulty: "expert"\n---\n# Page\n'
    files = frozenset({"guides/page.md"})

    def codes(recorded: object) -> list[tuple[str, str, int]]:
        look_up = {PAGE.shown: recorded}.get
        found = check_page(
            PAGE, text, SiteIndex(files, files, lambda _: None, look_up), questionnaire
        )
        return [(p.code, p.field, p.line) for p in found.problems if p.code.startswith("GW50")]

    assert codes({"content_type": "guide", "difficulty": "intermediate"}) == [
        ("GW504", "difficulty", 3)
    ]
    assert codes({"content_type": "guide", "difficulty": "expert"}) == []
    assert codes({"content_type": "tutorial", "difficulty": "expert"}) == [
        ("GW505", "content_type", 2)
    ]
    assert codes(UnusableAnswers(".guidewright/answers/guides/page.yml: unreadable")) == [
        ("GW502", "answers", 1)
    ]
    assert codes(None) == []
    text = '---\ncontent_type: "nonsense"\n---\n# Page\n'  # GW105's alone
    assert codes({"content_type": "guide"}) == []


def test_a_multiselect_out_of_the_templates_order_is_told_so() -> None:
    questionnaire = load_questionnaire(bundled_template())
    files = frozenset({"guides/page.md"})
    site = SiteIndex(files, files, lambda _: None)

    def audience(value: str) -> list[str]:
        text = f'---\ncontent_type: "guide"\naudience: {value}\n---\n# Page\n'
        found = check_page(PAGE, text, site, questionnaire).problems
        return [p.message for p in found if p.field == "audience"]

    assert audience('["L7", "L6"]') == ["must list its choices in the template's order: L6, L7"]
    assert audience('["L6", "L7"]') == []
    assert audience('["L6", "L9"]') == ["must be one of: L6, L7"]
