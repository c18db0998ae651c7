"""What adopting changes on the built site, said before anything is written.

The frontmatter adopt writes is read by the engine too: a `title` replaces the title the
page showed (its nav title, else its H1) in the browser tab and page header; `tags` show
on each page when the tags plugin is on; a `status` draws an icon, unlabelled unless the
configuration names it (`extra.status`); and a page the template calls published is held
to GW301, which finds every `[bracketed]` text of its prose. adopt never edits the
engine's configuration: it says what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guidewright.adopt.answers import PagePlan
from guidewright.rules.placeholders import body_placeholders
from guidewright.site.site import Site
from guidewright.template.inference import PageFacts, first_heading

# The frontmatter keys MkDocs (Material) shows: the engine's names, not the template's.
TITLE_KEY, STATUS_KEY = "title", "status"


@dataclass(frozen=True)
class TitleChange:
    """A page whose visible title changes."""

    document: str
    old: str
    new: str


@dataclass
class VisibleChanges:
    """What the built site shows differently once the planned pages are written."""

    titles: list[TitleChange] = field(default_factory=list)
    tagged_pages: int = 0
    tags_plugin: bool = False
    status_pages: int = 0
    status_labelled: bool = True  # the configuration's `extra.status` names the statuses
    config_file: str | None = None
    # GW301 findings, and on how many pages, were the pages marked published.
    placeholders: int = 0
    placeholder_pages: int = 0


def visible_changes(site: Site, plans: list[PagePlan], tags_question: str | None) -> VisibleChanges:
    """What the ready pages of `plans` change on the built site."""
    profile = site.profile
    titles = dict(profile.nav_titles)
    found = VisibleChanges(
        tags_plugin=profile.plugin("tags") is not None,
        status_labelled="status" in profile.extra,
        config_file=profile.config_file,
    )
    for plan in plans:
        if not plan.ready or plan.parts is None:
            continue
        relpath = plan.document.removeprefix(site.docs_dir + "/")
        body = plan.parts.body.decode("utf-8", "replace")
        answers = {name: answer.value for name, answer in plan.answers.items()}
        new_title = answers.get(TITLE_KEY)
        if isinstance(new_title, str):
            shown = plan.parts.data.get(TITLE_KEY)
            if not isinstance(shown, str):
                shown = titles.get(relpath) or first_heading(PageFacts(relpath, body))
            old = shown
            if old != new_title:
                found.titles.append(TitleChange(plan.document, old or "", new_title))
        if tags_question and answers.get(tags_question):
            found.tagged_pages += 1
        if answers.get(STATUS_KEY):
            found.status_pages += 1
        count = len(body_placeholders(body))
        found.placeholders += count
        found.placeholder_pages += bool(count)
    return found


def described(changes: VisibleChanges, shown_titles: int = 3) -> list[str]:
    """The changes in a few lines (at most `shown_titles` title changes named)."""
    lines: list[str] = []
    config = changes.config_file or "the site's configuration"
    if changes.titles:
        count = len(changes.titles)
        verb = "changes its" if count == 1 else "change their"
        lines.append(
            f"{_pages(count)} {verb} visible title (browser tab, page header); the nav "
            "keeps its titles:"
        )
        for change in changes.titles[:shown_titles]:
            lines.append(f"  {change.document}: {change.old!r} -> {change.new!r}")
        if count > shown_titles:
            lines.append(f"  and {count - shown_titles} more")
    if changes.tagged_pages:
        where = (
            "shown on each page (the tags plugin is on)"
            if changes.tags_plugin
            else f"not shown until {config} enables the `tags` plugin"
        )
        verb = "gets" if changes.tagged_pages == 1 else "get"
        lines.append(f"{_pages(changes.tagged_pages)} {verb} tags, {where}")
    if changes.status_pages and not changes.status_labelled:
        verb = "gets" if changes.status_pages == 1 else "get"
        lines.append(
            f"{_pages(changes.status_pages)} {verb} a status icon in the nav, unlabelled: "
            f"{config} lacks extra.status (Material's page status)"
        )
    if changes.placeholders:
        lines.append(
            f"marked published, {_pages(changes.placeholder_pages)} would give "
            f"{changes.placeholders} placeholder finding{'' if changes.placeholders == 1 else 's'} "
            "(GW301: [bracketed] text in prose)"
        )
    return lines


def _pages(count: int) -> str:
    return "1 page" if count == 1 else f"{count} pages"
