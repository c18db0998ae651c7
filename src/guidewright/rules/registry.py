"""The registry: every rule `check` knows, one row each, in the order the reference lists
them, as ruff's code table. A rule is a `Rule` value beside its detector in its family's
module (rules/rule.py says what a row holds); adding one is that value and one row here.
Everything else reads this table: `check` and the language server run its detectors,
`--ignore` and the site's `check: ignore:` are judged by it, SARIF describes its rules,
`check --fix` and the editor's quick fixes apply its fixes, and the rules reference
(rules/reference.py) is rendered from it.

What the check runs is worked out once, when a registry is made, not per page. The
families whose rules only judge a page as it is read (links, lists, labels, placeholders,
conflict markers, answers drift) are named by code, family and attribute (`Named`) and
imported the first time a page is judged or a rule of theirs is asked for: a run whose
verdicts all come from the site index, and the site-wide rules, never import them
(start-up; docs/pages/design/site-index.md). A named rule must be what its row says:
its code, no site detector and not optional (those the registry needs before a page is
judged); the row is checked against the rule when the family is imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from typing import NamedTuple

from guidewright.core.errors import InvalidInput
from guidewright.rules import (
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

__all__ = ["REGISTRY", "Named", "Registry", "Rule"]

# A page detector's `find`.
PageDetectorFind = Callable[[PageUnderCheck], list[Problem]]

# How far into a page `check` reads it, and so which page detectors run on it.
_READ_UP_TO = {
    Reads.TEXT: (Reads.TEXT,),
    Reads.BODY: (Reads.TEXT, Reads.BODY),
    Reads.FRONTMATTER: (Reads.TEXT, Reads.BODY, Reads.FRONTMATTER),
}


class Named(NamedTuple):
    """A rule named by its code and where it is (`guidewright.rules.<family>.<attribute>`),
    imported when a page is judged or the rule is asked for: a page rule, not optional."""

    code: str
    family: str
    attribute: str

    def rule(self) -> Rule:
        """The rule the row names, checked against the row."""
        module = importlib.import_module(f"guidewright.rules.{self.family}")
        rule = getattr(module, self.attribute)
        if (
            not isinstance(rule, Rule)
            or rule.code != self.code
            or rule.optional
            or isinstance(rule.detector, SiteDetector)
        ):
            raise ValueError(f"registry row {self.code}: not a page rule of that code there")
        return rule


class Registry:
    """An ordered table of rules, each code and name once."""

    def __init__(self, rules: Iterable[Rule | Named], selected: Iterable[str] = ()) -> None:
        self._rows = tuple(rules)
        self._rules: tuple[Rule, ...] | None = None  # every row a Rule: `rules`
        self._by_code: dict[str, Rule | Named] = {row.code: row for row in self._rows}
        if len(self._by_code) != len(self._rows):
            raise ValueError("a registry holds each rule code and name once")
        self._check_names()
        self.selected = frozenset(selected)
        # Optional rules not selected: their detectors do not run, and what a detector
        # shared with a rule that runs finds for them is dropped (a named rule is never
        # optional).
        self._off = frozenset(
            row.code
            for row in self._rows
            if isinstance(row, Rule) and row.optional and row.code not in self.selected
        )
        self._detectors: dict[Reads, tuple[PageDetectorFind, ...]] | None = None
        # The site detectors are the rules' at hand (a named rule has none).
        self._site_detectors = tuple(
            d.find for d in self._detectors_of(self._rows) if isinstance(d, SiteDetector)
        )

    def _check_names(self) -> None:
        rules = [row for row in self._rows if isinstance(row, Rule)]
        if len({rule.name for rule in rules}) != len(rules):
            raise ValueError("a registry holds each rule code and name once")

    def _detectors_of(self, rows: Iterable[Rule | Named]) -> list[Detector]:
        detectors: list[Detector] = []
        for rule in rows:  # the rules of one family share its detector: run it once
            if not isinstance(rule, Rule):
                continue
            on = rule.code not in self._off
            if on and rule.detector is not None and rule.detector not in detectors:
                detectors.append(rule.detector)
        return detectors

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in order: the named ones imported now (once)."""
        if self._rules is None:
            rules = tuple(row.rule() if isinstance(row, Named) else row for row in self._rows)
            self._rows, self._rules = rules, rules
            self._by_code = {rule.code: rule for rule in rules}
            self._check_names()
        return self._rules

    @property
    def _page_detectors(self) -> dict[Reads, tuple[PageDetectorFind, ...]]:
        if self._detectors is None:  # the first page judged: every family imported
            page = [d for d in self._detectors_of(self.rules) if isinstance(d, PageDetector)]
            self._detectors = {
                depth: tuple(d.find for d in page if d.reads in reads)
                for depth, reads in _READ_UP_TO.items()
            }
        return self._detectors

    @cached_property
    def fixable(self) -> tuple[Rule, ...]:
        """The rules with a fix, in order."""
        return tuple(rule for rule in self.rules if rule.fix is not None)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: object) -> Rule | None:
        """The rule of a code (a diagnostic's, say), None for a code it does not hold."""
        row = self._by_code.get(code) if isinstance(code, str) else None
        if isinstance(row, Named):
            at = self._rows.index(row)
            return self.rules[at]
        return row

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def with_rules(self, *rules: Rule) -> Registry:
        """This registry with `rules` added at its end (a site's own rules, a test's)."""
        return Registry([*self._rows, *rules], self.selected)

    def selecting(self, codes: Iterable[str], field: str) -> Registry:
        """This registry with the optional rules of `codes` turned on (`--select`, the
        site configuration's `check: select`); a code that names no rule is bad input of
        `field`, as `ignored` says."""
        wanted = self.ignored(codes, field)
        return self if wanted <= self.selected else Registry(self._rows, self.selected | wanted)

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
        Named("GW201", "links", "BROKEN_LINK"),
        Named("GW202", "links", "MISSING_LISTED_DOCUMENT"),
        prerequisites.PREREQUISITE_CYCLE,
        prerequisites.NOT_CONTENT_PREREQUISITE,
        prerequisites.SELF_PREREQUISITE,
        prerequisites.UNLINKED_PAGE,
        Named("GW207", "links", "REFERENCES_UNCHECKED"),
        Named("GW301", "placeholders", "PLACEHOLDER_LEFT"),
        Named("GW302", "conflict_markers", "MERGE_CONFLICT"),
        review_date.REVIEW_DUE,
        tags.LONE_TAG,
        recorded_answers.NO_ANSWERS,
        recorded_answers.UNUSABLE_ANSWERS,
        template_versions.OLDER_VERSION,
        Named("GW504", "answers_drift", "ANSWER_DRIFT"),
        Named("GW505", "answers_drift", "TYPE_CHANGED"),
        template_versions.REFUSED_VERSION,
        Named("GW601", "list_rules", "LIST_RENDERS_OTHERWISE"),
        Named("GW602", "labels", "LABELS_JOINED"),
    ]
)
