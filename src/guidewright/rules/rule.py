"""What a check rule is: a code, a name, a severity, the words the reference and SARIF show,
the detector that finds it and, where one exists, its fix. Each rule family's module
defines its rules as `Rule` values beside their detector; the registry (rules/registry.py)
lists them in order, and every consumer reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.problems import Problem

if TYPE_CHECKING:
    from guidewright.rules.page import PageInSite, PageUnderCheck

CODE = re.compile(r"GW[0-9]{3}")
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")  # kebab-case, as ruff names its rules


class Reads(Enum):
    """How far into a page a page detector reads, and so which pages it runs on."""

    TEXT = "the whole text of every page read, its frontmatter parsed or not"
    BODY = "the Markdown body of every page whose frontmatter parses, guidewright's or not"
    FRONTMATTER = "pages with guidewright frontmatter: their frontmatter and body"


@dataclass(frozen=True)
class PageDetector:
    """Finds its rules' problems in one page, from the page and the site's index alone: run
    by `check` on every page (spread over the cores) and by the language server as the
    author types."""

    reads: Reads
    find: Callable[[PageUnderCheck], list[Problem]]


@dataclass(frozen=True)
class SiteDetector:
    """Finds its rules' problems in one page with guidewright frontmatter from what only the
    whole site knows (the tags in use, which pages have recorded answers) and the day; it
    sees the page's review date and tags only (`PageInSite`)."""

    find: Callable[[PageInSite], list[Problem]]


Detector = PageDetector | SiteDetector


@dataclass(frozen=True)
class FixedText:
    """A page's text after a fix, how many findings it fixed and how many it left (and
    why, where the fix can say: (why, how many))."""

    text: str
    fixed: int
    unfixed: int  # findings no fix reaches
    left: tuple[tuple[str, int], ...] = ()
    # The fix applied again to `text` would change nothing and leave the same (the fix
    # knows, having judged `text` as it judges a page): `check --fix` need not ask it.
    settled: bool = False

    @property
    def left_because(self) -> dict[str, int]:
        return dict(self.left)


@dataclass(frozen=True)
class Fix:
    """A rule's mechanical fix of a whole page's text, which `check --fix` writes and the
    language server offers as a quick fix. `apply` changes nothing else of the page and
    is idempotent: a second run changes nothing."""

    # The whole text, and the site's Markdown (its extensions decide what renders how).
    apply: Callable[[str, MarkdownProfile], FixedText]
    unit: str  # what one fix mends, as `check --fix` counts them ("list")
    title: str  # the editor's quick fix ("fix the lists as `check --fix` does")


@dataclass(frozen=True)
class Rule:
    """One row of the registry."""

    code: str  # GW and three digits: the hundreds are the family
    name: str  # kebab-case
    severity: str  # ERROR or WARNING (problems.py); --strict makes every finding an error
    summary: str  # one line, lower case, no full stop: "a link to a page that does not exist"
    why: str  # what goes wrong if it is left, in sentences
    example: str  # Markdown: a page (or answers file) that breaks the rule, and what it says
    family: str  # the module that holds it, as the reference groups rules
    # None: `check` itself reports it, while reading pages, answers files or template
    # versions; otherwise the detector that finds it (shared by the rules of one family).
    detector: Detector | None = None
    fix: Fix | None = None
    # Off unless selected (`check --select CODE`, the configuration's `check: select`): a
    # rule some sites want and others would find noise in.
    optional: bool = False

    def __post_init__(self) -> None:
        if not CODE.fullmatch(self.code) or not NAME.fullmatch(self.name):
            message = "a code is GW and 3 digits, a name kebab-case"
            raise ValueError(f"rule {self.code} {self.name}: {message}")

    def problem(self, path: str, line: int, field: str, message: str, column: int = 0) -> Problem:
        """A finding of this rule, with the rule's code and severity."""
        return Problem(path, line, field, message, self.severity, self.code, column)
