"""Re-apply a newer template version to the site's documents, losing nothing.

Copier's model: the template at the recorded version rendered with the recorded answers is
the base, the template at the new version rendered with the same answers is theirs, the
author's file is ours. Each template version is cloned and loaded once per run and rendered
in-process; `merge.merge_all` merges every document with a few git processes.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from guidewright.atomic import write_atomic
from guidewright.documents.recorded import RecordedDocument, read_all_recorded
from guidewright.documents.site import ANSWERS_DIR, Site
from guidewright.errors import InvalidInput
from guidewright.git import GitFailed, git_text
from guidewright.parallel import map_on_all_cores
from guidewright.template.questionnaire import read_block
from guidewright.template.render import TemplateRenderer
from guidewright.template.versions import ResolvedVersion, TemplateRepository
from guidewright.update.merge import Merged, MergeFailure, MergeInput, merge_all
from guidewright.update.new_questions import AskNew, complete_answers


class Status(StrEnum):
    UPDATED = "updated"
    CURRENT = "already current"
    CONFLICTED = "conflicted"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    document: str
    status: Status
    detail: str = ""
    diff: str = ""
    conflict_lines: tuple[int, ...] = ()


Progress = Callable[[int, int], None]


@dataclass
class _Planned:
    recorded: RecordedDocument
    answers_text: bytes
    merge: MergeInput


def select_documents(
    site: Site, paths: list[Path] | None
) -> tuple[list[RecordedDocument], list[Outcome]]:
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


def require_clean_git(site: Site, relpaths: Iterable[str]) -> None:
    try:
        git_text("rev-parse", "--show-toplevel", cwd=site.root)
    except GitFailed as error:
        raise InvalidInput(
            f"--dest: {site.root} is not in a git repository; update needs git so that "
            "`git diff` shows and can revert what it changed"
        ) from error
    paths = list(relpaths)
    dirty: list[str] = []
    for start in range(0, len(paths), 500):  # stays far below the command-line limit
        chunk = paths[start : start + 500]
        status = git_text(
            "status", "--porcelain", "--untracked-files=all", "--", *chunk, cwd=site.root
        )
        dirty += [line[3:] for line in status.splitlines() if line.strip()]
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise InvalidInput(f"uncommitted changes in {shown}: commit or stash them before updating")


def _unified_diff(path: str, before: bytes, after: bytes) -> str:
    return "".join(
        difflib.unified_diff(
            before.decode("utf-8", "replace").splitlines(keepends=True),
            after.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/{path}", f"b/{path}",
        )
    )  # fmt: skip


def update_site(
    site: Site,
    paths: list[Path] | None,
    vcs_ref: str | None,
    pretend: bool,
    ask_new: AskNew | None,
    progress: Progress | None = None,
) -> list[Outcome]:
    selected, outcomes = select_documents(site, paths)
    if not pretend:
        touched = [p for r in selected for p in (r.document, r.answers_relpath)]
        require_clean_git(site, touched)
    with tempfile.TemporaryDirectory(prefix="guidewright-update-") as scratch_name:
        scratch = Path(scratch_name)
        planned, failed = _plan(site, selected, vcs_ref, ask_new, scratch, progress)
        outcomes += failed
        merged = merge_all([p.merge for p in planned], scratch / "merge-work")
    outcomes += [_finish(site, plan, merged[plan.merge.path], pretend) for plan in planned]
    return sorted(outcomes, key=lambda o: o.document)


@dataclass(frozen=True)
class RenderJob:
    recorded: RecordedDocument
    old_sha: str
    new_sha: str
    new_commit: str
    answers: dict[str, Any]
    hidden: frozenset[str]


# (old document, new document, new answers file), or why the document cannot be rendered.
Rendered = tuple[bytes, bytes, bytes] | str

# Loaded template versions by commit; forked render workers inherit them.
_RENDERERS: dict[str, TemplateRenderer] = {}
PARALLEL_FROM = 200  # below this, starting workers costs more than it saves


def _render_job(job: RenderJob) -> Rendered:
    recorded = job.recorded
    try:
        old_files = _RENDERERS[job.old_sha].render(
            recorded.answers,
            src_path=recorded.src_path,
            commit=recorded.commit,
            answers_file=recorded.answers_relpath,
            only={recorded.document},  # the base of the merge; its answers file is not needed
        )
        new_files = _RENDERERS[job.new_sha].render(
            job.answers,
            src_path=recorded.src_path,
            commit=job.new_commit,
            answers_file=recorded.answers_relpath,
            hidden=job.hidden,
        )
    except TemplateError as error:
        return f"the template does not render: {error}"
    if recorded.document not in old_files or recorded.document not in new_files:
        return "the template no longer renders this document at this path"
    if recorded.answers_relpath not in new_files:
        return f"the template no longer writes its answers file {recorded.answers_relpath}"
    return (
        old_files[recorded.document],
        new_files[recorded.document],
        new_files[recorded.answers_relpath],
    )


def render_all(
    jobs: list[RenderJob], renderers: Mapping[str, TemplateRenderer], progress: Progress | None
) -> list[Rendered]:
    """Render every job, on every core when there are enough of them."""
    _RENDERERS.clear()
    _RENDERERS.update(renderers)  # before the workers fork: they inherit the loaded templates
    return map_on_all_cores(_render_job, jobs, minimum=PARALLEL_FROM, progress=progress)


def _plan(
    site: Site,
    selected: list[RecordedDocument],
    vcs_ref: str | None,
    ask_new: AskNew | None,
    scratch: Path,
    progress: Progress | None,
) -> tuple[list[_Planned], list[Outcome]]:
    repositories: dict[str, TemplateRepository] = {}
    targets: dict[str, ResolvedVersion] = {}
    renderers: dict[str, TemplateRenderer] = {}
    jobs: list[RenderJob] = []
    failed: list[Outcome] = []
    for recorded in selected:
        if not (site.root / recorded.document).is_file():
            failed.append(Outcome(recorded.document, Status.FAILED, (
                f"missing: moved or renamed? Move {recorded.answers_relpath} along and set its "
                "section/slug, or delete it; the document is not recreated"
            )))  # fmt: skip
            continue
        if recorded.commit is None:
            failed.append(Outcome(recorded.document, Status.FAILED, (
                f"created from a template without versions ({recorded.src_path}); "
                "point the site's template at a git repository"
            )))  # fmt: skip
            continue
        if recorded.src_path not in repositories:
            workdir = scratch / f"template-{len(repositories)}"
            workdir.mkdir()
            repository = TemplateRepository(recorded.src_path, workdir)
            repositories[recorded.src_path] = repository
            targets[recorded.src_path] = repository.resolve(vcs_ref or repository.latest_ref)
        repository = repositories[recorded.src_path]
        target = targets[recorded.src_path]
        try:
            old = repository.resolve(recorded.commit)
            renderers[old.sha] = repository.renderer(old)
            renderers[target.sha] = new = repository.renderer(target)
            completed = complete_answers(
                new.questions, _lists(new), recorded.answers, recorded.document, ask_new
            )
        except (ValueError, InvalidInput, GitFailed, TemplateError) as error:
            failed.append(Outcome(recorded.document, Status.FAILED, str(error)))
            continue
        jobs.append(
            RenderJob(
                recorded,
                old.sha,
                target.sha,
                target.described,
                completed.answers,
                completed.hidden,
            )
        )
    planned: list[_Planned] = []
    for job, rendered in zip(jobs, render_all(jobs, renderers, progress), strict=True):
        document = job.recorded.document
        if isinstance(rendered, str):
            failed.append(Outcome(document, Status.FAILED, rendered))
            continue
        old_document, new_document, new_answers = rendered
        current = (site.root / document).read_bytes()
        merge = MergeInput(document, old_document, current, new_document)
        planned.append(_Planned(job.recorded, new_answers, merge))
    return planned, failed


def _lists(renderer: TemplateRenderer) -> tuple[str, ...]:
    """The list questions of a version's block (none when it has no readable block)."""
    try:
        return read_block(renderer.config.settings).lists
    except InvalidInput:
        return ()


def _finish(site: Site, plan: _Planned, merged: Merged, pretend: bool) -> Outcome:
    document = plan.recorded.document
    if isinstance(merged, MergeFailure):
        return Outcome(document, Status.FAILED, f"{merged.reason}; left as it was")
    result, conflicts = merged.content, merged.conflict_lines
    answers_path = site.root / plan.recorded.answers_relpath
    current_answers = answers_path.read_bytes()
    if result == plan.merge.current and plan.answers_text == current_answers:
        return Outcome(document, Status.CURRENT)
    status = Status.CONFLICTED if conflicts else Status.UPDATED
    diff = ""
    if pretend:  # the diff is what --pretend shows; it costs more than the merge itself
        diff = _unified_diff(document, plan.merge.current, result) + _unified_diff(
            plan.recorded.answers_relpath, current_answers, plan.answers_text
        )
    else:
        write_atomic(site.root / document, result)
        write_atomic(answers_path, plan.answers_text)
    detail = "conflict markers at lines " + ", ".join(map(str, conflicts)) if conflicts else ""
    return Outcome(document, status, detail, diff, conflicts)
