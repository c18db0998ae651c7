"""The registry: every rule `check` knows, one row each, in the order the reference lists
them, as ruff's code table. A rule is a `Rule` value beside its detector in its family's
module (rules/rule.py says what a row holds); adding one is that value and one row here.
Everything else reads this table: `check` and the language server run its detectors,
`--ignore` and the site's `check: ignore:` are judged by it, SARIF describes its rules,
`check --fix` and the editor's quick fixes apply its fixes, and the rules reference
(rules/reference.py) is rendered from it.

What the check runs is worked out once, when a registry is made, not per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from guidewright.core.errors import InvalidInput
from guidewright.rules import (
    answers_drift,
    conflict_markers,
    labels,
    links,
    list_rules,
    placeholders,
    prerequisites,
    questions_check,
    reading,
    recorded_answers,
    review_date,
    tags,
    template_versions,
)
from guidewright.rules.page import PageInSite, PageUnderCheck
from guidewright.rules.problems import Problem
from guidewright.rules.rule import (
    Detector,
    PageDetector,
    Reads,
    Rule,
    SiteDetector,
)

__all__ = ["REGISTRY", "Registry", "Rule"]

# How far into a page `check` reads it, and so which page detectors run on it.
_READ_UP_TO = {
    Reads.TEXT: (Reads.TEXT,),
    Reads.BODY: (Reads.TEXT, Reads.BODY),
    Reads.FRONTMATTER: (Reads.TEXT, Reads.BODY, Reads.FRONTMATTER),
}


class Registry:
    """An ordered table of rules, each code and name once."""

    def __init__(self, rules: Iterable[Rule], selected: Iterable[str] = ()) -> None:
        self.rules = tuple(rules)
        self._by_code = {rule.code: rule for rule in self.rules}
        names = {rule.name for rule in self.rules}
        if len(self._by_code) != len(self.rules) or len(names) != len(self.rules):
            raise ValueError("a registry holds each rule code and name once")
        self.selected = frozenset(selected)
        # Optional rules not selected: their detectors do not run, and what a detector
        # shared with a rule that runs finds for them is dropped.
        self._off = frozenset(
            rule.code for rule in self.rules if rule.optional and rule.code not in self.selected
        )
        detectors: list[Detector] = []
        for rule in self.rules:  # the rules of one family share its detector: run it once
            on = rule.code not in self._off
            if on and rule.detector is not None and rule.detector not in detectors:
                detectors.append(rule.detector)
        page = [d for d in detectors if isinstance(d, PageDetector)]
        self._page_detectors = {
            depth: tuple(d.find for d in page if d.reads in reads)
            for depth, reads in _READ_UP_TO.items()
        }
        self._site_detectors = tuple(d.find for d in detectors if isinstance(d, SiteDetector))
        self.fixable = tuple(rule for rule in self.rules if rule.fix is not None)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: object) -> Rule | None:
        """The rule of a code (a diagnostic's, say), None for a code it does not hold."""
        return self._by_code.get(code) if isinstance(code, str) else None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def with_rules(self, *rules: Rule) -> Registry:
        """This registry with `rules` added at its end (a site's own rules, a test's)."""
        return Registry([*self.rules, *rules], self.selected)

    def selecting(self, codes: Iterable[str], field: str) -> Registry:
        """This registry with the optional rules of `codes` turned on (`--select`, the
        site configuration's `check: select`); a code that names no rule is bad input of
        `field`, as `ignored` says."""
        wanted = self.ignored(codes, field)
        return self if wanted <= self.selected else Registry(self.rules, self.selected | wanted)

    def is_on(self, code: str) -> bool:
        """Whether the rule of `code` runs (an optional one only when selected)."""
        return code in self._by_code and code not in self._off

    def page_problems(self, page: PageUnderCheck, read_up_to: Reads) -> list[Problem]:
        """What the page detectors find in `page`, read as far as `read_up_to`: the text of
        a page whose frontmatter does not parse, the body of one without guidewright
        frontmatter, everything of ours."""
        found: list[Problem] = []
        for find in self._page_detectors[read_up_to]:
            found += find(page)
        return self._without_off(found)

    def _without_off(self, found: list[Problem]) -> list[Problem]:
        if not self._off or not found:
            return found
        return [problem for problem in found if problem.code not in self._off]

    def site_problems(self, page: PageInSite) -> list[Problem]:
        """What the site detectors find in one of our pages."""
        found: list[Problem] = []
        for find in self._site_detectors:
            found += find(page)
        return self._without_off(found)

    def ignored(self, codes: Iterable[str], field: str) -> frozenset[str]:
        """The codes to turn off, in upper case; the first that names no rule is bad input
        of `field` (`--ignore`, the site configuration's `check: ignore`)."""
        wanted = {code.upper() for code in codes}
        unknown = sorted(wanted - self._by_code.keys())
        if unknown:
            raise InvalidInput(f"{field}: no rule {unknown[0]} (rules: {', '.join(self.codes)})")
        return frozenset(wanted)


REGISTRY = Registry(
    [
        reading.UNREADABLE_FILE,
        reading.INVALID_FRONTMATTER,
        reading.NO_FRONTMATTER,
        questions_check.REFUSED_VALUE,
        questions_check.MISSING_KEY,
        questions_check.KEY_NOT_ASKED,
        questions_check.UNKNOWN_KEY,
        questions_check.UNKNOWN_CONTENT_TYPE,
        links.BROKEN_LINK,
        links.MISSING_LISTED_DOCUMENT,
        prerequisites.PREREQUISITE_CYCLE,
        prerequisites.NOT_CONTENT_PREREQUISITE,
        prerequisites.SELF_PREREQUISITE,
        prerequisites.UNLINKED_PAGE,
        placeholders.PLACEHOLDER_LEFT,
        conflict_markers.MERGE_CONFLICT,
        review_date.REVIEW_DUE,
        tags.LONE_TAG,
        recorded_answers.NO_ANSWERS,
        recorded_answers.UNUSABLE_ANSWERS,
        template_versions.OLDER_VERSION,
        answers_drift.ANSWER_DRIFT,
        answers_drift.TYPE_CHANGED,
        template_versions.REFUSED_VERSION,
        list_rules.LIST_RENDERS_OTHERWISE,
        labels.LABELS_JOINED,
    ]
)
