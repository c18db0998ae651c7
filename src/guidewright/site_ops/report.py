"""`guidewright report`: the site at a glance. Reviews overdue and soon due, by owner; pages
behind their template, and by how many releases; status and difficulty by section; tag
use; the prerequisite graph.

Its judgements are `check`'s (no second judge): a review is overdue where `check` says
GW401, a page is behind where it says GW503, a cycle is GW203's finding; the run is
`check`'s own (check/site_check.check_documents). What `check` does not judge is read
from the pages' frontmatter as the tag listing reads it (site/pages.frontmatters): who
owns a page, its status, difficulty and review date (for the soon due), its tags and
prerequisites. Rendered by site_ops/report_page.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from guidewright.check.site_check import CheckReport, Judges, check_documents, site_judges
from guidewright.copier_compat.questions import plain_value
from guidewright.rules.prerequisites import (
    PREREQUISITE_CYCLE,
    listed_prerequisites,
    prerequisites_key,
)
from guidewright.rules.problems import ERROR
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.review_date import REVIEW_DUE
from guidewright.rules.template_versions import OLDER_VERSION
from guidewright.site.pages import frontmatters
from guidewright.site.site import CONFIG_RELPATH, Site
from guidewright.site_ops.tags import TagUse, tag_uses

SOON_DAYS = 30  # a review due within this many days is "soon"
UNOWNED = "(no owner)"
UNSET = "(not set)"


@dataclass(frozen=True)
class PageFacts:
    """What the report reads of one content page's frontmatter."""

    page: str  # in the docs folder
    title: str
    section: str
    owner: str
    status: str
    difficulty: str
    review_date: dt.date | None
    prerequisites: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    page: str
    owner: str
    due: str


@dataclass(frozen=True)
class Behind:
    page: str
    recorded: str
    releases_behind: int | None  # None: not counted (a version that is no release)


@dataclass
class SiteReport:
    """The report's numbers, as plain data (`to_data` is the JSON)."""

    today: dt.date
    soon_days: int
    checked: int
    errors: int
    warnings: int
    by_rule: dict[str, int]
    pages: list[PageFacts]
    overdue: list[Review]
    soon: list[Review]
    newest: str | None
    behind: list[Behind]
    tags: list[TagUse]
    cycles: list[str]  # GW203's messages
    edges: list[tuple[str, str]] = field(default_factory=list)  # (page, its prerequisite)
    notes: list[str] = field(default_factory=list)

    def by_owner(self) -> dict[str, dict[str, int]]:
        """Overdue and soon-due reviews by owner, owners of either sorted by name."""
        owners: dict[str, dict[str, int]] = {}
        for kind, reviews in (("overdue", self.overdue), ("soon", self.soon)):
            for review in reviews:
                counts = owners.setdefault(review.owner, {"overdue": 0, "soon": 0})
                counts[kind] += 1
        return dict(sorted(owners.items()))

    def by_section(self) -> dict[str, dict[str, Any]]:
        """Pages, statuses and difficulties by section (sorted)."""
        sections: dict[str, dict[str, Any]] = {}
        for page in self.pages:
            found = sections.setdefault(
                page.section, {"pages": 0, "status": Counter(), "difficulty": Counter()}
            )
            found["pages"] += 1
            found["status"][page.status] += 1
            found["difficulty"][page.difficulty] += 1
        return {
            name: {
                "pages": s["pages"],
                "status": dict(sorted(s["status"].items())),
                "difficulty": dict(sorted(s["difficulty"].items())),
            }
            for name, s in sorted(sections.items())
        }

    def to_data(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "check": {
                "documents": self.checked,
                "errors": self.errors,
                "warnings": self.warnings,
                "by_rule": self.by_rule,
            },
            "reviews": {
                "soon_days": self.soon_days,
                "overdue": [vars(r) for r in self.overdue],
                "soon": [vars(r) for r in self.soon],
                "by_owner": self.by_owner(),
            },
            "template": {"newest": self.newest, "behind": [vars(b) for b in self.behind]},
            "sections": self.by_section(),
            "tags": [{"tag": t.tag, "count": t.count} for t in self.tags],
            "prerequisites": {"edges": [list(edge) for edge in self.edges], "cycles": self.cycles},
            "notes": self.notes,
        }


def _text(value: Any, unset: str = UNSET) -> str:
    value = plain_value(value)
    return value if isinstance(value, str) and value else unset


def _date(value: Any) -> dt.date | None:
    value = plain_value(value)
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # GW101's to report


def page_facts(
    site: Site, judges: Judges, read: Iterable[tuple[str, dict[str, Any]]]
) -> list[PageFacts]:
    """The report's facts of each content page with guidewright frontmatter (`read`: each
    page's frontmatter)."""
    block = judges.current.block
    key = prerequisites_key(judges.current)
    found = []
    for relpath, data in read:
        if block.type_question not in data or not site.is_content_page(relpath):
            continue
        found.append(
            PageFacts(
                relpath,
                _text(data.get("title"), relpath),
                relpath.rpartition("/")[0] or "(top)",
                _text(data.get("content_owner"), UNOWNED),
                _text(data.get("status")),
                _text(data.get("difficulty")),
                _date(data.get(block.review_date)) if block.review_date else None,
                listed_prerequisites(data.get(key)) if key else (),
            )
        )
    return found


def build_report(
    site: Site,
    judges: Judges,
    today: dt.date,
    soon_days: int = SOON_DAYS,
    registry: Registry = REGISTRY,
    ignored: frozenset[str] = frozenset(),
) -> SiteReport:
    """The report of `site`, judged by `check` with `judges` and `registry`, the findings
    of the `ignored` rules left out as `check` leaves them out."""
    checked = check_documents(site, None, today, judges, registry)
    kept = [p for p in checked.problems if p.code not in ignored]
    checked = dataclasses.replace(checked, problems=kept)
    read = list(frontmatters(site))
    pages = page_facts(site, judges, read)
    docs = site.docs_dir.rstrip("/") + "/"
    owners = {page.page: page.owner for page in pages}
    overdue = _found(checked, REVIEW_DUE.code, docs)
    horizon = today + dt.timedelta(days=soon_days)
    soon = [
        Review(p.page, p.owner, p.review_date.isoformat())
        for p in pages
        if p.review_date is not None and today <= p.review_date <= horizon
    ]
    recorded = {r.document: r.commit for r in judges.recorded}
    behind = []
    for document in sorted(_found(checked, OLDER_VERSION.code, docs)):
        commit = recorded.get(f"{docs}{document}") or "?"
        count = None
        if judges.repository is not None and judges.newest:
            count = judges.repository.releases_after(commit, judges.newest)
        behind.append(Behind(document, commit, count))
    errors = sum(1 for p in checked.problems if p.severity == ERROR)
    return SiteReport(
        today=today,
        soon_days=soon_days,
        checked=checked.checked,
        errors=errors,
        warnings=len(checked.problems) - errors,
        by_rule=dict(sorted(Counter(p.code for p in checked.problems).items())),
        pages=pages,
        overdue=[
            Review(page, owners.get(page, UNOWNED), due) for page, due in sorted(overdue.items())
        ],
        soon=sorted(soon, key=lambda r: (r.due, r.page)),
        newest=judges.newest,
        behind=behind,
        tags=tag_uses(site, judges.current, read),
        cycles=[p.message for p in checked.problems if p.code == PREREQUISITE_CYCLE.code],
        edges=[(p.page, needed) for p in pages for needed in p.prerequisites],
        notes=checked.notes,
    )


def _found(checked: CheckReport, code: str, docs: str) -> dict[str, str]:
    """The pages (in the docs folder) of `code`'s findings, with the message's first word
    (a review date's date)."""
    return {
        p.path.removeprefix(docs): p.message.split(" ", 1)[0]
        for p in checked.problems
        if p.code == code
    }


def site_report(
    site: Site, today: dt.date, template_flag: str | None = None, soon_days: int = SOON_DAYS
) -> SiteReport:
    """`build_report` with the site's judges (its template open meanwhile), and the rules
    its configuration selects and ignores, as `check` runs them."""
    registry = REGISTRY.selecting(site.config.check_select, f"{CONFIG_RELPATH}: check: select")
    ignored = registry.ignored(site.config.check_ignore, f"{CONFIG_RELPATH}: check: ignore")
    with site_judges(site, template_flag) as judges:
        return build_report(site, judges, today, soon_days, registry, ignored)
