"""`check` over the site: which pages, read from disk, each judged by the version it
records (documents/page_check.py judges one page), and the site-wide warnings.

Only plain data in and out: `check_site` returns `Problem`s; the CLI formats them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from guidewright.documents import frontmatter
from guidewright.documents.page_check import (
    PageRef,
    PageVerdict,
    SiteIndex,
    anchors_in,
    check_page,
    page_warnings,
    tag_use,
    unreadable,
)
from guidewright.documents.problems import WARNING, Problem
from guidewright.documents.recorded import (
    RecordedDocument,
    UnusableAnswers,
    full_answers,
    read_all_recorded,
)
from guidewright.documents.site import CONFIG_RELPATH, Site, files_under
from guidewright.errors import InvalidInput
from guidewright.parallel import map_with_context
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import OpenTemplate, open_template, resolve_template


def pages_to_check(
    site: Site, paths: list[Path] | None, documents: Iterable[str]
) -> list[tuple[Path, str]]:
    """(path, how it is shown) of each page to judge: `paths` (pages and folders), else
    `documents`. `check` and `check --fix` share it."""
    if not paths:
        docs, shown = site.docs_path, site.docs_dir.rstrip("/")
        return [(docs / relpath, f"{shown}/{relpath}") for relpath in documents]
    targets = []
    for path in paths:
        absolute = path.resolve()
        if absolute.is_dir():
            targets.extend(sorted(p for p in absolute.rglob("*.md") if not p.is_dir()))
        elif absolute.is_file():
            targets.append(absolute)
        else:
            raise InvalidInput(f"PATHS: {path} does not exist")
    return [(target, _shown(site, target)) for target in targets]


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


def disk_anchors(docs: Path) -> Callable[[str], frozenset[str] | None]:
    """Anchors of the docs folder's pages, each page read once, on first need (per run)."""

    @lru_cache(maxsize=4096)
    def anchors_of(target: str) -> frozenset[str] | None:
        try:
            return anchors_in(Path(docs, target).read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            return None

    return anchors_of


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


def _check_document(run: _Run, task: tuple[Path, PageRef, int]) -> PageVerdict | Problem:
    path, page, number = task
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:  # a dangling link, a folder, not UTF-8
        return unreadable(page.shown, error)
    return check_page(page, text, run.index, run.questionnaires[number])


@dataclass(frozen=True)
class Judges:
    """Which questionnaire judges each document, and what the site-wide checks use."""

    current: Questionnaire
    by_document: dict[str, Questionnaire]  # relative to the site root
    warnings: list[Problem]
    recorded: list[RecordedDocument] = dataclasses.field(default_factory=list)
    unusable: list[UnusableAnswers] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: the problems, how many documents it judged, and the pages
    without guidewright frontmatter (their links checked, nothing else)."""

    problems: list[Problem]
    checked: int
    without_frontmatter: list[str]


def check_documents(
    site: Site, paths: list[Path] | None, today: dt.date, judges: Judges
) -> CheckReport:
    """Every problem of the given pages (default: every Markdown page of the docs folder)."""
    explicit = bool(paths)
    files = files_under(site.docs_path, "", skip_hidden=True)  # as site.documents(), all files
    listed = [relpath for relpath in files if relpath.endswith(".md")]
    index = SiteIndex(
        frozenset(files),
        frozenset(listed),
        disk_anchors(site.docs_path),
        disk_recorded(site, judges.recorded),
    )
    numbers: dict[int, int] = {}
    questionnaires: list[Questionnaire] = []
    for questionnaire in [judges.current, *judges.by_document.values()]:
        if id(questionnaire) not in numbers:
            numbers[id(questionnaire)] = len(questionnaires)
            questionnaires.append(questionnaire)
    tasks = []
    for path, shown in pages_to_check(site, paths, listed):
        judge = judges.by_document.get(shown, judges.current)
        in_docs = os.path.relpath(path, site.docs_path).replace(os.sep, "/")
        tasks.append((path, PageRef(shown, in_docs), numbers[id(judge)]))
    run = _Run(index, questionnaires)
    results = map_with_context(_check_document, run, tasks, minimum=PARALLEL_FROM)
    verdicts = [r if isinstance(r, PageVerdict) else PageVerdict([r], None) for r in results]
    problems = [p for verdict in verdicts for p in verdict.problems] + judges.warnings
    parsed_docs = [
        (task[1].shown, verdict.parsed)
        for task, verdict in zip(tasks, verdicts, strict=True) if verdict.parsed
    ]  # fmt: skip
    problems.extend(_housekeeping(site, parsed_docs, today, explicit, judges))
    plain = [
        task[1].shown for task, verdict in zip(tasks, verdicts, strict=True)
        if verdict.plain and site.is_content_page(task[1].in_docs)
    ]  # fmt: skip
    # Counted: every page judged, save the plain ones (unreadable pages count).
    counted = sum(not verdict.plain for verdict in verdicts)
    return CheckReport(sorted(set(problems)), counted, plain)


def _housekeeping(
    site: Site,
    parsed_docs: list[tuple[str, frontmatter.Frontmatter]],
    today: dt.date,
    explicit: bool,
    judges: Judges,
) -> list[Problem]:
    problems: list[Problem] = []
    questionnaire = judges.current
    tags_key = questionnaire.block.tags_question
    # A whole-site check has parsed every document already; given files need the rest.
    if explicit:
        datas: Iterable[Mapping[str, object]] = (data for _, data in site.frontmatters())
    else:
        datas = (parsed.data for _, parsed in parsed_docs)
    used = tag_use(site.config.tags, datas, tags_key) if tags_key else None
    answers, unusable = judges.recorded, judges.unusable
    answered = {a.document for a in answers}
    for shown, parsed in parsed_docs:
        problems += page_warnings(shown, parsed, today, used, questionnaire, answered)
    if explicit:
        return problems
    for error in unusable:
        relpath, _, reason = str(error).partition(": ")
        problems.append(Problem(relpath, 1, "answers", reason, WARNING, "GW502"))
    for recorded in answers:
        if not (site.root / recorded.document).is_file():
            message = f"its document {recorded.document} is missing (moved or deleted?)"
            problems.append(
                Problem(recorded.answers_relpath, 1, "answers", message, WARNING, "GW502")
            )
    return problems


def judges_for(
    site: Site, template: OpenTemplate, src: str, scratch: Path, site_template: str | None = None
) -> Judges:
    """Each recorded document's questionnaire: the version it records, else the current.
    `site_template`: the site's configured source, which pages recording another can move to."""
    from guidewright.template.newest_known import RecordedSources
    from guidewright.template.recorded_versions import RecordedQuestionnaires

    current = load_questionnaire(template.folder)
    versions = RecordedQuestionnaires(
        current, src, template.version, scratch, template.working_tree
    )
    if template.repository is not None:
        versions.repositories[src] = template.repository
    by_document, warnings = {}, []
    elsewhere = RecordedSources(src, site_template)  # pages of another source (issue 14)
    recorded, unusable = read_all_recorded(site, placing_only=True)
    for answers in recorded:
        judge, fallback = versions.for_document(answers.src_path, answers.commit)
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
            warnings.append(Problem(answers.document, 1, "template", message, WARNING, "GW503"))
        elif other := elsewhere.warning(answers.src_path, answers.commit):
            warnings.append(Problem(answers.document, 1, "template", other, WARNING, "GW503"))
    return Judges(current, by_document, warnings, recorded, unusable)


def check_site(
    site: Site, paths: list[Path] | None, today: dt.date, template_flag: str | None = None
) -> CheckReport:
    """`check_documents`, each document judged by the template version it records."""
    source = resolve_template(template_flag, site)
    with (
        open_template(source) as template,
        tempfile.TemporaryDirectory(prefix="guidewright-check-") as scratch,
    ):
        configured = source.src if source.origin == CONFIG_RELPATH else None
        judges = judges_for(site, template, source.src, Path(scratch), configured)
        return check_documents(site, paths, today, judges)


def strict_findings(report: CheckReport) -> list[Problem]:
    """What --strict adds: each page without guidewright frontmatter is an error."""
    message = "no guidewright frontmatter"
    return [
        Problem(page, 1, "frontmatter", message, code="GW003")
        for page in report.without_frontmatter
    ]
