"""What an update will do: which documents, at which versions, with which answers, rendered.

Each template source is cloned once per run and each version loaded once; a source that
cannot be used, a version that would go backwards or answers the new version refuses fail
that document alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.copier_compat.update_merge import MergeInput
from guidewright.core.atomic import LinkRefused, Seen, read_seen
from guidewright.core.bounded_read import PAGE_BYTES
from guidewright.core.errors import CommandRefused, GuidewrightError, InvalidInput
from guidewright.core.git import run_git
from guidewright.core.parallel import map_on_all_cores
from guidewright.rules.page_answers import PageAnswers, page_answers
from guidewright.site.answers_files import RecordedDocument, read_all_recorded
from guidewright.site.site import ANSWERS_DIR, Site
from guidewright.template.answering import LOCATION
from guidewright.template.block import read_block
from guidewright.template.newest_known import remember_newest
from guidewright.template.questionnaire import questionnaire_of
from guidewright.template.source import bundled_name
from guidewright.template.versions import RefOrigin, ResolvedVersion, TemplateRepository
from guidewright.update.adopted import adopted_versions, rendered_path
from guidewright.update.migrate import Endpoint, crossed, migrate, target_block
from guidewright.update.move import move_hint, recorded_version
from guidewright.update.new_questions import AskNew, complete_answers

Progress = Callable[[int, int], None]


class Status(StrEnum):
    """What became of a document."""

    UPDATED = "updated"
    # The page's bytes are as they were: only its answers file records the new version.
    VERSION_RECORDED = "version recorded"
    ANSWERS_CHANGED = "answers changed"  # same template version, the frontmatter changed
    CURRENT = "already current"
    CONFLICTED = "conflicted"
    LEFT = "left alone"  # changed, moved or deleted while the run went on: not written
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """One row of the report."""

    document: str
    status: Status
    detail: str = ""
    diff: str = ""
    conflict_lines: tuple[int, ...] = ()


@dataclass
class Planned:
    """A document ready to merge: its renders and new answers file."""

    recorded: RecordedDocument
    answers_text: bytes  # the new answers file
    merge: MergeInput
    page: PageAnswers  # what the frontmatter changed, and where the recorded answers stayed
    same_version: bool
    seen: Seen  # the document as read: it is replaced only while it still is
    questions: frozenset[str]  # the new version's: a key it stops writing may be the author's
    notes: tuple[str, ...] = ()  # migrations applied, answers dropped: for the table


def select_documents(
    site: Site, paths: list[Path] | None
) -> tuple[list[RecordedDocument], list[Outcome]]:
    """The documents to update, and the answers files that cannot be used."""
    recorded, unusable = read_all_recorded(site)
    failed = [Outcome(str(e).split(":", 1)[0], Status.FAILED, str(e)) for e in unusable]
    if not paths:
        return recorded, failed
    by_document = {r.document: r for r in recorded}
    chosen = []
    for path in paths:
        absolute = path.resolve()
        try:
            relpath = absolute.relative_to(site.root).as_posix()
        except ValueError as error:
            raise InvalidInput(f"PATHS: {path} is not inside the site {site.root}") from error
        if relpath not in by_document:
            raise InvalidInput(f"PATHS: {path} has no recorded answers in {ANSWERS_DIR}/")
        chosen.append(by_document[relpath])
    return chosen, []


@dataclass(frozen=True)
class RenderJob:
    """What one document is rendered with, at both versions."""

    recorded: RecordedDocument
    old_sha: str
    new_sha: str
    new_commit: str
    answers: dict[str, Any]
    hidden: frozenset[str]
    page: PageAnswers
    src_path: str  # the source the new answers record (`update --template` moves it)
    notes: tuple[str, ...] = ()


# (old document, new document, new answers file), or why the document cannot be rendered.
Rendered = tuple[bytes, bytes, bytes] | str

# Loaded template versions by commit; forked render workers inherit them.
_RENDERERS: dict[str, TemplateRenderer] = {}
PARALLEL_FROM = 200  # below this, starting workers costs more than it saves


def _render_job(job: RenderJob) -> Rendered:
    recorded = job.recorded
    document = rendered_path(recorded)
    try:
        old_files = _RENDERERS[job.old_sha].render(
            recorded.answers,
            src_path=recorded.src_path,
            commit=recorded.commit,
            answers_file=recorded.answers_relpath,
            only={document},  # the base of the merge; its answers file is not needed
        )
        new_files = _RENDERERS[job.new_sha].render(
            job.answers,
            src_path=job.src_path,
            commit=job.new_commit,
            answers_file=recorded.answers_relpath,
            hidden=job.hidden,
        )
    except TemplateError as error:
        return f"the template does not render: {error}"
    except GuidewrightError as error:
        return error.message
    except OSError as error:
        return f"the template cannot be read: {error.strerror or error}"
    if document not in old_files or document not in new_files:
        return "the template no longer renders this document at this path"
    if recorded.answers_relpath not in new_files:
        return f"the template no longer writes its answers file {recorded.answers_relpath}"
    return old_files[document], new_files[document], new_files[recorded.answers_relpath]


def render_all(
    jobs: list[RenderJob], renderers: Mapping[str, TemplateRenderer], progress: Progress | None
) -> list[Rendered]:
    """Render every job, on every core when there are enough of them."""
    _RENDERERS.clear()
    _RENDERERS.update(renderers)  # before the workers fork: they inherit the loaded templates
    return map_on_all_cores(_render_job, jobs, minimum=PARALLEL_FROM, progress=progress)


class Sources:
    """The template repositories of a run, each cloned once; a source that cannot be
    cloned is remembered as the reason, so each of its documents fails alone."""

    def __init__(
        self,
        scratch: Path,
        vcs_ref: str | None,
        move_to: str | None = None,
        drop_unknown: bool = False,
    ) -> None:
        self.scratch = scratch
        self.vcs_ref = vcs_ref
        self.move_to = move_to  # `update --template SRC`: every page goes to SRC
        self.drop_unknown = drop_unknown  # `--drop-unknown-answers`
        self.site_template: str | None = None  # the site's `template:`, for a move hint
        self.repositories: dict[str, TemplateRepository | str] = {}
        self.targets: dict[str, ResolvedVersion] = {}
        self.renderers: dict[str, TemplateRenderer] = {}

    def clone(self, src: str) -> TemplateRepository:
        """The source's repository, cloned once; raises why it cannot be."""
        if src not in self.repositories:
            workdir = self.scratch / f"template-{len(self.repositories)}"
            workdir.mkdir()
            try:
                self.repositories[src] = TemplateRepository(src, workdir)
            except GuidewrightError as error:
                self.repositories[src] = error.message
        found = self.repositories[src]
        if isinstance(found, str):
            raise InvalidInput(found)
        return found

    def repository(self, src: str) -> tuple[TemplateRepository, ResolvedVersion]:
        """The source's repository and the version to update to."""
        found = self.clone(src)
        if src not in self.targets:
            try:
                origin = RefOrigin.GIVEN if self.vcs_ref else RefOrigin.NEWEST
                self.targets[src] = found.resolve(self.vcs_ref or found.latest_ref, origin)
            except GuidewrightError as error:
                raise CommandRefused(error.message) from error
            if self.vcs_ref is None:  # for `check`'s GW503 on pages of this source, offline
                remember_newest(src, self.targets[src].described)
        return found, self.targets[src]


def require_source(sources: Sources, src: str) -> None:
    """`update --template SRC`: a SRC that cannot be cloned fails the command, not each page."""
    try:
        sources.repository(src)
    except CommandRefused:
        raise
    except GuidewrightError as error:
        raise CommandRefused(f"--template: {error.message}") from error


@cache
def _is_downgrade(repository: TemplateRepository, old: str, new: str) -> bool:
    """Whether `new` is an ancestor of `old` (asked once per pair of versions)."""
    if old == new:
        return False
    done = run_git("merge-base", "--is-ancestor", new, old, cwd=repository.clone, allowed=(0, 1))
    return done.returncode == 0


def _job(
    recorded: RecordedDocument,
    current: bytes,
    sources: Sources,
    ask_new: AskNew | None,
    allow_downgrade: bool,
) -> RenderJob:
    """The render job of one document (`current`: the page as it is); raises what makes
    it fail."""
    src = sources.move_to or recorded.src_path
    repository, target = sources.repository(src)
    assert recorded.commit is not None
    old_repository, old = recorded_version(sources.clone, repository, recorded)
    downgrade = old_repository is repository and _is_downgrade(repository, old.sha, target.sha)
    if not allow_downgrade and downgrade:
        raise InvalidInput(
            f"{target.described} is older than {recorded.commit}, the version it records: "
            "a downgrade is refused (pass --allow-downgrade to do it anyway)"
        )
    sources.renderers[old.sha] = old_repository.renderer(old)
    sources.renderers[target.sha] = new = repository.renderer(target)
    # The frontmatter is the answer: the base keeps the recorded answers, the new render
    # takes the page's (judged by the version that wrote them).
    page = page_answers(current, recorded.answers, questionnaire_of(sources.renderers[old.sha]))
    # Issue 14, migrations: the target's entries this page crosses, then no unknown answer.
    migrated = migrate(
        page.answers,
        new,
        Endpoint(repository, target.sha),
        Endpoint(old_repository, old.sha),
        sources.drop_unknown,
    )
    completed = complete_answers(
        new.questions,
        _lists(new),
        migrated.answers,
        recorded.document,
        ask_new,
        LOCATION if recorded.adopted else (),  # issue 19: an adopted page stays where it is
    )
    return RenderJob(
        recorded,
        old.sha,
        target.sha,
        target.described,
        completed.answers,
        completed.hidden,
        page,
        src,
        migrated.notes + move_hint(src, sources.site_template),
    )


def unversioned(recorded: RecordedDocument) -> Outcome:
    """What `update` makes of a page whose template has no versions. One made with this
    guidewright's own bundled template is current: that template is the newest there is.
    Any other (another guidewright's bundled template, a folder) cannot be merged: the
    template it was made with is nowhere to be found."""
    if recorded.src_path == bundled_name():
        return Outcome(recorded.document, Status.CURRENT, "made with this guidewright's template")
    return Outcome(
        recorded.document,
        Status.FAILED,
        (
            f"created from a template without versions ({recorded.src_path}); "
            "point the site's template at a git repository"
        ),
    )


def plan_batch(
    site: Site,
    selected: list[RecordedDocument],
    sources: Sources,
    ask_new: AskNew | None,
    allow_downgrade: bool,
    progress: Progress | None,
) -> tuple[list[Planned], list[Outcome]]:
    """Render jobs for `selected`, rendered, ready to merge; and the documents that fail."""
    jobs: list[RenderJob] = []
    failed: list[Outcome] = []
    pages: dict[str, tuple[bytes, Seen]] = {}
    for recorded in selected:
        try:
            pages[recorded.document] = read_seen(site.root / recorded.document, PAGE_BYTES)
        except FileNotFoundError:
            failed.append(
                Outcome(
                    recorded.document,
                    Status.FAILED,
                    (
                        f"missing: moved or renamed? Move {recorded.answers_relpath} along and "
                        "set its section/slug, or delete it; the document is not recreated"
                    ),
                )
            )
            continue
        except LinkRefused:
            reason = "a symbolic link; update writes nothing through one"
            failed.append(Outcome(recorded.document, Status.FAILED, reason))
            continue
        except OSError as error:
            reason = f"unreadable: {error.strerror}"
            failed.append(Outcome(recorded.document, Status.FAILED, reason))
            continue
        if recorded.commit is None:
            failed.append(unversioned(recorded))
            continue
        current = pages[recorded.document][0]
        try:
            jobs.append(_job(recorded, current, sources, ask_new, allow_downgrade))
        except CommandRefused:
            raise
        except (GuidewrightError, TemplateError) as error:
            message = error.message if isinstance(error, GuidewrightError) else str(error)
            failed.append(Outcome(recorded.document, Status.FAILED, message))
    planned: list[Planned] = []
    for job, rendered in zip(jobs, render_all(jobs, sources.renderers, progress), strict=True):
        document = job.recorded.document
        if isinstance(rendered, str):
            failed.append(Outcome(document, Status.FAILED, rendered))
            continue
        old_document, new_document, new_answers = rendered
        current, seen = pages[document]
        if job.recorded.adopted:  # issue 19: only its frontmatter comes from the template
            versions = adopted_versions(old_document, new_document, current, new_answers)
            if isinstance(versions, str):
                failed.append(Outcome(document, Status.FAILED, versions))
                continue
            old_document, new_document, new_answers = versions
        merge = MergeInput(document, old_document, current, new_document)
        same_version = job.old_sha == job.new_sha
        questions = frozenset(sources.renderers[job.new_sha].config.questions)
        planned.append(
            Planned(
                job.recorded, new_answers, merge, job.page, same_version, seen, questions, job.notes
            )
        )
    return planned, failed


@cache
def _lists(renderer: TemplateRenderer) -> tuple[str, ...]:
    """The list questions of a version's block (none when it has no readable block)."""
    try:
        return read_block(renderer.config.settings).lists
    except InvalidInput:
        return ()


@dataclass(frozen=True)
class Behind:
    """A document an update would bring to a newer template version (`update --check`)."""

    document: str
    answers_file: str
    template: str  # the source it is updated from
    recorded: str  # the version it records (`git describe`)
    newest: str  # the version `update` would bring it to
    migrations: tuple[str, ...]  # the versions of the migrations it would cross, in order


def behind_template(
    site: Site, paths: list[Path] | None, scratch: Path, vcs_ref: str | None = None
) -> tuple[list[Behind], list[Outcome], int]:
    """The documents behind the version `update` would bring them to (the newest, or
    `vcs_ref`), with the migrations waiting for each; the documents that cannot be told
    (a source that cannot be cloned, a version gone, an unusable answers file); and how
    many are current. Versions are resolved as `update` resolves them, through the same
    `Sources`; nothing is rendered, nothing written."""
    selected, failed = select_documents(site, paths)
    sources = Sources(scratch, vcs_ref)
    behind: list[Behind] = []
    current = 0
    for recorded in selected:
        if recorded.commit is None:
            outcome = unversioned(recorded)
            if outcome.status is Status.CURRENT:
                current += 1
            else:
                failed.append(outcome)
            continue
        try:
            repository, target = sources.repository(recorded.src_path)
            old_repository, old = recorded_version(sources.clone, repository, recorded)
            same = old_repository is repository
            if old.sha == target.sha or (same and _is_downgrade(repository, old.sha, target.sha)):
                current += 1  # a page made with a newer version than the release is not behind
                continue
            block = target_block(repository.renderer(target))
            target_at, recorded_at = (
                Endpoint(repository, target.sha),
                Endpoint(old_repository, old.sha),
            )
            waiting = crossed(block.migrations, target_at, recorded_at) if block else ()
        except CommandRefused:
            raise
        except GuidewrightError as error:
            failed.append(Outcome(recorded.document, Status.FAILED, error.message))
            continue
        behind.append(
            Behind(
                document=recorded.document,
                answers_file=recorded.answers_relpath,
                template=recorded.src_path,
                recorded=recorded.commit,
                newest=target.described,
                migrations=tuple(m.version for m in waiting),
            )
        )
    return behind, failed, current
