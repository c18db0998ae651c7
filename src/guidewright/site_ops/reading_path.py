"""`guidewright path PAGE`: the pages to read before PAGE, in the order to read them (a
topological order of its prerequisites, rules/prerequisites.py), read as `check` reads
the prerequisite graph (check/site_check.disk_listings)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from guidewright.check.site_check import disk_listings
from guidewright.core.errors import InvalidInput, OperationFailed
from guidewright.rules.prerequisites import CycleFound, reading_order
from guidewright.site.site import Site
from guidewright.template.questionnaire import Questionnaire


@dataclass(frozen=True)
class ReadingStep:
    """One page of a reading order: its path in the docs folder, its title, and whether it
    is a page of the site at all (a missing prerequisite is GW202's)."""

    page: str
    title: str | None
    exists: bool

    def to_data(self) -> dict[str, object]:
        return {"page": self.page, "title": self.title, "exists": self.exists}


def page_in_docs(site: Site, given: Path) -> str:
    """PAGE as a path in the docs folder: a path from here (`docs/a/b.md`) or in the docs
    folder (`a/b.md`); refused when it is neither a page of the docs folder."""
    candidates = [given.resolve(), (site.docs_path / given).resolve()]
    docs = site.docs_path.resolve()
    for candidate in candidates:
        if candidate.is_file() and candidate.suffix == ".md" and candidate.is_relative_to(docs):
            return candidate.relative_to(docs).as_posix()
    raise InvalidInput(f"PAGE: {given} is not a page of the docs folder {site.docs_dir}/")


def reading_path(site: Site, questionnaire: Questionnaire, page: str) -> list[ReadingStep]:
    """Every page `page` needs (its prerequisites, theirs, ...), each after those it
    needs, and `page` last."""
    listing_of = disk_listings(site, questionnaire)

    def successors(node: str) -> tuple[str, ...]:
        listing = listing_of(node)
        return listing.prerequisites if listing is not None else ()

    try:
        order = reading_order(page, successors)
    except CycleFound as cycle:
        raise OperationFailed(
            f"{page}: its prerequisites form a cycle ({cycle}): there is no reading order "
            "(check reports it as GW203)"
        ) from None
    steps = []
    for step in order:
        listing = listing_of(step)
        exists = os.path.isfile(site.docs_path / step)
        steps.append(ReadingStep(step, listing.title if listing else None, exists))
    return steps
