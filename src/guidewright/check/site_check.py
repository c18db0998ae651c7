"""`check` over the site: which pages, read from disk, each judged by the version it
records (check/page_check.py judges one page), and the site-wide warnings.

Only plain data in and out: `check_site` returns `Problem`s; the CLI formats them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from guidewright.check.page_check import (
    PageVerdict,
    anchors_in,
    check_page,
    page_warnings,
    site_facts,
)
from guidewright.check.recorded_versions import RecordedQuestionnaires
from guidewright.core.errors import FrontmatterError, InvalidInput, UnusableAnswers
from guidewright.core.parallel import imap_with_context
from guidewright.markdown import frontmatter, pyromark
from guidewright.markdown.markdown_profile import MarkdownProfile
from guidewright.rules.engine_links import linked_page
from guidewright.rules.links import may_link, parse_page
from guidewright.rules.page import PageListing, PageRef, SiteIndex
from guidewright.rules.prerequisites import listed_prerequisites, prerequisites_key
from guidewright.rules.problems import Problem
from guidewright.rules.reading import INVALID_FRONTMATTER, unreadable, without_frontmatter
from guidewright.rules.recorded_answers import orphaned, unusable
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.rules.tags import LONE_TAG, lone_tag_warnings, tag_use
from guidewright.rules.template_versions import older_version
from guidewright.site.answers_files import RecordedDocument, full_answers, read_all_recorded
from guidewright.site.pages import frontmatters, page_text
from guidewright.site.profile import SiteProfile
from guidewright.site.section_meta import SectionMeta, read_section_meta
from guidewright.site.site import CONFIG_RELPATH, Site, files_under
from guidewright.template.newest_known import RecordedSources
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import OpenTemplate, open_template, resolve_template
from guidewright.template.versions import TemplateRepository


def pages_to_check(
    site: Site, paths: list[Path] | None, documents: Iterable[str]
) -> list[tuple[str, PageRef]]:
    """(path, page) of each page to judge: `paths` (pages and folders), else `documents`
    (the docs folder's, without a Path or a relpath apiece: a site has thousands).
    `check` and `check --fix` share it."""
    if not paths:
        docs, shown = os.fspath(site.docs_path), site.docs_dir.rstrip("/")
        return [(os.path.join(docs, relpath), PageRef(f"{shown}/{relpath}", relpath))
                for relpath in documents]  # fmt: skip
    targets = []
    for path in paths:
        absolute = path.resolve()
        if absolute.is_dir():
            targets.extend(sorted(p for p in absolute.rglob("*.md") if not p.is_dir()))
        elif absolute.is_file():
            targets.append(absolute)
        else:
            raise InvalidInput(f"PATHS: {path} does not exist")
    return [
        (os.fspath(target), PageRef(_shown(site, target), _in_docs(site, target)))
        for target in targets
    ]


def _in_docs(site: Site, path: Path) -> str:
    return os.path.relpath(path, site.docs_path).replace(os.sep, "/")


def _shown(site: Site, path: Path) -> str:
    try:
        return path.relative_to(site.root).as_posix()
    except ValueError:
        return os.path.relpath(path)


PARALLEL_FROM = 300  # documents; below this, starting workers costs more than it saves


@dataclass(frozen=True)
class _Run:
    """What every page of one run is judged with; a worker inherits it when forked."""

    index: SiteIndex
    questionnaires: list[Questionnaire]  # by number
    registry: Registry
    root: str  # the site's: no page is read through a link that leads out of it


def disk_anchors(site: Site, markdown: MarkdownProfile) -> Callable[[str], frozenset[str] | None]:
    """Anchors of the docs folder's pages, each page read once, on first need (per run),
    their headings' ids as the site's `markdown` makes them."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)

    @lru_cache(maxsize=4096)
    def anchors_of(target: str) -> frozenset[str] | None:
        try:
            text = page_text(os.path.join(docs, target), root).removeprefix("\ufeff")
            return anchors_in(text, markdown)
        except (OSError, UnicodeDecodeError):
            return None

    return anchors_of


LISTINGS_KEPT = 65536  # pages' places in the prerequisite graph, per process: bounded memory


def disk_listings(site: Site, questionnaire: Questionnaire) -> Callable[[str], PageListing | None]:
    """Each page's place in the prerequisite graph (rules/prerequisites.py), read on first
    need: a page's prerequisites are followed only as far as a cycle could lead."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)
    type_key, key = questionnaire.block.type_question, prerequisites_key(questionnaire)

    @lru_cache(maxsize=LISTINGS_KEPT)
    def listing_of(target: str) -> PageListing | None:
        try:
            parsed = frontmatter.parse(page_text(os.path.join(docs, target), root))
        except (OSError, UnicodeDecodeError, FrontmatterError):
            return None
        if parsed is None or type_key not in parsed.data:
            return PageListing(content=False)
        title = parsed.data.get("title")
        return PageListing(
            site.is_content_page(target),
            listed_prerequisites(parsed.data.get(key)) if key else (),
            title if isinstance(title, str) else None,
        )

    return listing_of


def disk_links(
    site: Site, questionnaire: Questionnaire, documents: Iterable[str]
) -> Callable[[str], frozenset[str] | None]:
    """Which pages link to each page or list it (the `site-documents` questions: its
    prerequisites, its related content), every page of `documents` read once, on first
    need: only a run with GW206 on asks, once in each process."""
    docs, root = os.fspath(site.docs_path), os.fspath(site.root)
    keys = [
        k for k, source in questionnaire.block.suggestions.items() if source == "site-documents"
    ]
    found: dict[str, set[str]] = {}
    gathered: list[bool] = []

    def gather() -> None:
        for relpath in documents:
            try:
                text = page_text(os.path.join(docs, relpath), root).removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                parsed = frontmatter.parse(text)
            except FrontmatterError:
                parsed = None
            body = text if parsed is None else parsed.body
            targets = pyromark.link_targets(body) if may_link(body) else []
            if targets is None:
                targets = [link.target for link in parse_page(body, 1, with_anchors=False).links]
            reached = {page for t in targets if (page := linked_page(relpath, t)) is not None}
            data = parsed.data if parsed is not None else {}
            for key in keys:
                reached.update(listed_prerequisites(data.get(key)))
            for page in reached:
                found.setdefault(page, set()).add(relpath)
        gathered.append(True)

    def linked_from(target: str) -> frozenset[str] | None:
        if not gathered:
            gather()
        return frozenset(found.get(target, ()))

    return linked_from


def disk_recorded(
    site: Site, recorded: Iterable[RecordedDocument]
) -> Callable[[str], dict[str, Any] | UnusableAnswers | None]:
    """Each page's full recorded answers, its answers file read on first need: the site
    was read for what places each page only, and the rest is read where the page is judged
    (in the workers, spread over the cores)."""
    placed = {answers.document: answers for answers in recorded}

    def recorded_of(shown: str) -> dict[str, Any] | UnusableAnswers | None:
        answers = placed.get(shown)
        if answers is None:
            return None
        try:
            return full_answers(site, answers)
        except UnusableAnswers as error:
            return error

    return recorded_of


def _check_document(run: _Run, task: tuple[str, PageRef, int]) -> PageVerdict | Problem:
    path, page, number = task
    try:
        text = page_text(path, run.root)
    except (OSError, UnicodeDecodeError) as error:  # a dangling link, a FIFO, not UTF-8
        return unreadable(page.shown, error)
    return check_page(page, text, run.index, run.questionnaires[number], run.registry)


def _judged_for_the_site(run: _Run, task: tuple[str, PageRef, int]) -> PageVerdict | Problem:
    """`_check_document`, keeping of the page's frontmatter only what the site-wide warnings
    read: a worker sends back that little, and the parent never holds the site's answers."""
    verdict = _check_document(run, task)
    if isinstance(verdict, Problem) or verdict.parsed is None:
        return verdict
    current = run.questionnaires[0]  # check_documents numbers the current one first
    return dataclasses.replace(verdict, parsed=site_facts(verdict.parsed, current))


@dataclass
class _SiteWide:
    """The site-wide warnings, taken from each page's verdict as it arrives: those that need
    the page alone at once, and its tags kept (as a tuple) until every page's are counted."""

    today: dt.date
    current: Questionnaire
    answered: frozenset[str]
    registry: Registry
    tagged: list[tuple[str, int, tuple[object, ...]]] = dataclasses.field(default_factory=list)

    def take(self, shown: str, parsed: frontmatter.Frontmatter) -> list[Problem]:
        found = page_warnings(
            shown, parsed, self.today, None, self.current, self.answered, self.registry
        )
        key = self.current.block.tags_question
        tags = parsed.data.get(key) if key else None
        if key and isinstance(tags, list) and tags:
            # One text per tag for the whole site, not one per page that uses it.
            kept = tuple(sys.intern(t) if type(t) is str else t for t in tags)
            self.tagged.append((shown, parsed.key_lines.get(key, 1), kept))
        return found

    def tag_warnings(self, site: Site, explicit: bool) -> list[Problem]:
        """GW402 on the pages taken, once every page's tags are counted (its detector
        finds nothing before); a run of given pages counts the tags of every page."""
        key = self.current.block.tags_question
        if not key or self.registry.get(LONE_TAG.code) is not LONE_TAG:
            return []
        if explicit:
            lists: Iterable[object] = (data.get(key) for _, data in frontmatters(site))
        else:
            lists = (tags for _, _, tags in self.tagged)
        used = tag_use(site.config.tags, lists)
        return [
            problem for shown, line, tags in self.tagged
            for problem in lone_tag_warnings(shown, line, tags, used, key)
        ]  # fmt: skip


@dataclass(frozen=True)
class Judges:
    """Which questionnaire judges each document, and what the site-wide checks use."""

    current: Questionnaire
    by_document: dict[str, Questionnaire]  # relative to the site root; absent: the current
    warnings: list[Problem]
    recorded: list[RecordedDocument] = dataclasses.field(default_factory=list)
    unusable: list[UnusableAnswers] = dataclasses.field(default_factory=list)
    # The template's version pages are judged behind, and its repository (None: a folder
    # or the bundled template), which counts the releases between (`guidewright report`).
    newest: str | None = None
    repository: TemplateRepository | None = None


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the problems, how many documents it judged, and the pages
    without guidewright frontmatter (their links checked, nothing else)."""

    problems: list[Problem]
    checked: int
    without_frontmatter: list[str]
    # What the author should know of how the site was judged (one line each), and how
    # many pages' lists the site's own Python-Markdown read (the others: the quick model).
    notes: list[str] = dataclasses.field(default_factory=list)
    read_by_python_markdown: int = 0


def check_documents(
    site: Site,
    paths: list[Path] | None,
    today: dt.date,
    judges: Judges,
    registry: Registry = REGISTRY,
) -> CheckReport:
    """Every problem of the given pages (default: every Markdown page of the docs folder),
    found by the registry's rules."""
    explicit = bool(paths)
    files = files_under(site.docs_path, "", skip_hidden=True)  # as site.documents(), all files
    listed = [relpath for relpath in files if relpath.endswith(".md")]
    index = SiteIndex(
        frozenset(files),
        frozenset(listed),
        disk_anchors(site, site.profile.markdown),
        disk_recorded(site, judges.recorded),
        site.profile,
        section_meta := read_section_meta(site),
        disk_listings(site, judges.current),
        disk_links(site, judges.current, listed),
    )
    numbers: dict[int, int] = {}
    questionnaires: list[Questionnaire] = []
    for questionnaire in [judges.current, *judges.by_document.values()]:
        if id(questionnaire) not in numbers:
            numbers[id(questionnaire)] = len(questionnaires)
            questionnaires.append(questionnaire)
    tasks = []
    for path, page in pages_to_check(site, paths, listed):
        judge = judges.by_document.get(page.shown, judges.current)
        tasks.append((path, page, numbers[id(judge)]))
    run = _Run(index, questionnaires, registry, os.fspath(site.root))
    # Each verdict is folded in as it arrives and let go: what is kept of a page is its
    # findings, its tags, and its name when it has no frontmatter.
    answered = frozenset(a.document for a in judges.recorded)
    site_wide = _SiteWide(today, judges.current, answered, registry)
    problems, plain, counted = list(judges.warnings), [], 0
    read_whole, judged_without = 0, dict[str, list[str]]()
    results = imap_with_context(_judged_for_the_site, run, tasks, minimum=PARALLEL_FROM)
    # Closed on the way out, Ctrl-C included: the pages not begun are dropped there.
    with contextlib.closing(results) as verdicts:
        for (_, page, _), result in zip(tasks, verdicts, strict=True):
            verdict = result if isinstance(result, PageVerdict) else PageVerdict([result], None)
            problems += verdict.problems
            if verdict.parsed:
                problems += site_wide.take(page.shown, verdict.parsed)
            # Counted: every page judged, save the plain ones (unreadable pages count).
            counted += not verdict.plain
            read_whole += verdict.read_by_python_markdown
            for extension in verdict.judged_without:
                judged_without.setdefault(extension, []).append(page.shown)
            if verdict.plain and site.is_content_page(page.in_docs):
                plain.append(page.shown)
    problems += site_wide.tag_warnings(site, explicit)
    problems.extend(_housekeeping(site, explicit, judges))
    problems.extend(meta_problems(site, section_meta))
    notes = profile_notes(site.profile) + extension_notes(judged_without)
    return CheckReport(sorted(set(problems)), counted, plain, notes, read_whole)


def meta_problems(site: Site, section_meta: SectionMeta) -> list[Problem]:
    """GW002 on each section metadata file the meta plugin would stop the build on."""
    docs = site.docs_dir.rstrip("/")
    return [
        INVALID_FRONTMATTER.problem(f"{docs}/{bad.relpath}", bad.line, "frontmatter", bad.reason)
        for bad in section_meta.unreadable
    ]


SHOWN_PAGES = 3  # pages named in a note, then a count


def extension_notes(judged_without: dict[str, list[str]]) -> list[str]:
    """One line per extension the site names that could not be loaded, with the pages
    whose lists were judged without it."""
    notes = []
    for extension, pages in sorted(judged_without.items()):
        shown = ", ".join(pages[:SHOWN_PAGES])
        more = f" and {len(pages) - SHOWN_PAGES} more" if len(pages) > SHOWN_PAGES else ""
        count = f"{len(pages)} page{'' if len(pages) == 1 else 's'}"
        notes.append(
            f"note: {extension} is not installed here (or is no Markdown extension guidewright "
            f"loads): the lists of {count} judged without it ({shown}{more})"
        )
    return notes


def profile_notes(profile: SiteProfile) -> list[str]:
    """What the site's configuration keeps `check` from judging, said once a run."""
    slugify = profile.markdown.slugify
    if slugify.known:
        return []
    return [
        f"note: {profile.config_file}: toc's slugify {slugify.name} is not one guidewright "
        "reproduces: links to headings' anchors are not judged"
    ]


def _housekeeping(site: Site, explicit: bool, judges: Judges) -> list[Problem]:
    """The warnings of the recorded answers themselves (a whole-site run only)."""
    problems: list[Problem] = []
    if explicit:
        return problems
    problems.extend(unusable(error) for error in judges.unusable)
    for recorded in judges.recorded:
        if not (site.root / recorded.document).is_file():
            problems.append(orphaned(recorded))
    return problems


def judges_for(
    site: Site, template: OpenTemplate, src: str, scratch: Path, site_template: str | None = None
) -> Judges:
    """Each recorded document's questionnaire: the version it records, else the current.
    `site_template`: the site's configured source, which pages recording another can move to."""
    current = load_questionnaire(template.folder)
    versions = RecordedQuestionnaires(
        current, src, template.version, scratch, template.working_tree
    )
    if template.repository is not None:
        versions.repositories[src] = template.repository
    by_document, warnings = {}, []
    elsewhere = RecordedSources(src, site_template)  # pages of another source (issue 14)
    recorded, unusable_files = read_all_recorded(site, placing_only=True)
    for answers in recorded:
        judge, fallback = versions.for_document(answers.src_path, answers.commit)
        if judge is not current:  # the others are judged by the current one anyway
            by_document[answers.document] = judge
        if fallback:
            warnings.append(fallback.problem(answers.document))
        elif (
            answers.src_path == src
            and answers.commit
            and template.version
            and (answers.commit != template.version)
        ):
            message = (
                f"made with template version {answers.commit}; the newest is "
                f"{template.version}: run `guidewright update`"
            )
            warnings.append(older_version(answers.document, message))
        elif other := elsewhere.warning(answers.src_path, answers.commit):
            warnings.append(older_version(answers.document, other))
    return Judges(
        current,
        by_document,
        warnings,
        recorded,
        unusable_files,
        template.version,
        template.repository,
    )


def check_site(
    site: Site,
    paths: list[Path] | None,
    today: dt.date,
    template_flag: str | None = None,
    registry: Registry = REGISTRY,
) -> CheckReport:
    """`check_documents`, each document judged by the template version it records."""
    with site_judges(site, template_flag) as judges:
        return check_documents(site, paths, today, judges, registry)


@contextlib.contextmanager
def site_judges(site: Site, template_flag: str | None = None) -> Iterator[Judges]:
    """The site's judges (`judges_for`), its template open meanwhile: what `check` and the
    commands that judge answers as `check` does (`tags rename`) read the site with."""
    source = resolve_template(template_flag, site)
    with (
        open_template(source) as template,
        tempfile.TemporaryDirectory(prefix="guidewright-check-") as scratch,
    ):
        configured = source.src if source.origin == CONFIG_RELPATH else None
        yield judges_for(site, template, source.recorded, Path(scratch), configured)


def strict_findings(report: CheckReport) -> list[Problem]:
    """What --strict adds: each page without guidewright frontmatter is an error."""
    return [without_frontmatter(page) for page in report.without_frontmatter]
