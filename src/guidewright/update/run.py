"""Re-apply a newer template version to the site's documents, losing nothing.

Copier's model: the template at the recorded version rendered with the recorded answers is
the base, the template at the new version rendered with the page's current answers (its
frontmatter's values, rules/page_answers.py) is theirs, the author's file is ours.
Documents go in bounded batches (plan, render, merge, write), so memory stays flat
however large the site; each template version is loaded once per run.
"""

from __future__ import annotations

import contextlib
import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from guidewright.copier_compat.update_merge import Merged, MergeFailure
from guidewright.core.errors import InvalidInput, UpdateInterrupted
from guidewright.site.git_checks import require_clean_git
from guidewright.site.site import Site
from guidewright.site.write_session import Group, GroupResult, Target, WriteSession, Written
from guidewright.template.source import resolve_template
from guidewright.update.frontmatter_merge import merge_all_settled, stopped_key_notes
from guidewright.update.new_questions import AskNew
from guidewright.update.plan import (
    Outcome,
    Planned,
    Progress,
    Sources,
    Status,
    plan_batch,
    require_source,
    select_documents,
)

BATCH = 500  # documents planned, rendered and merged at once: bounds memory
SCRATCH_PREFIX = "guidewright-update-"  # the template clones and merges, outside the site


@dataclass
class _UpdateRun:
    """One update: the site, whether it only pretends, each document's outcome so far."""

    site: Site
    pretend: bool
    outcomes: list[Outcome] = field(default_factory=list)


def _unified_diff(path: str, before: bytes, after: bytes) -> str:
    return "".join(
        difflib.unified_diff(
            before.decode("utf-8", "replace").splitlines(keepends=True),
            after.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/{path}",
            f"b/{path}",
        )
    )


def update_site(
    site: Site,
    paths: list[Path] | None,
    vcs_ref: str | None,
    pretend: bool,
    ask_new: AskNew | None,
    progress: Progress | None = None,
    allow_downgrade: bool = False,
    move_to: str | None = None,
    drop_unknown: bool = False,
) -> list[Outcome]:
    """Update the documents (all with recorded answers, or `paths`); one outcome each.

    `move_to` (`--template`) updates them to that source's newest version and records it
    as their source; `drop_unknown` drops answers the new version has no question for."""
    selected, failed = select_documents(site, paths)
    run = _UpdateRun(site, pretend, failed)
    with contextlib.ExitStack() as stack:
        session = None if pretend else stack.enter_context(WriteSession(site, "update"))
        if session is not None:
            session.require_clean_git(
                [p for r in selected for p in (r.document, r.answers_relpath)]
            )
        # An interrupt can reach the clean-up while a git process still writes in the scratch
        # folder: what is left there is outside the site, and no traceback is shown for it.
        scratch_folder = tempfile.TemporaryDirectory(
            prefix=SCRATCH_PREFIX, ignore_cleanup_errors=True
        )
        scratch = Path(stack.enter_context(scratch_folder))
        sources = Sources(scratch, vcs_ref, move_to, drop_unknown)
        sources.site_template = _site_template(site)
        if move_to is not None:
            require_source(sources, move_to)
        try:
            for start in range(0, len(selected), BATCH):
                batch = selected[start : start + BATCH]
                planned, batch_failed = plan_batch(
                    site,
                    batch,
                    sources,
                    ask_new,
                    allow_downgrade,
                    _offset(progress, start, len(selected)),
                )
                run.outcomes += batch_failed
                merged = merge_all_settled(
                    [p.merge for p in planned],
                    scratch / f"merge-{start}",
                    {p.merge.path: p.questions for p in planned},
                )
                _finish_batch(run, session, planned, merged)
        except KeyboardInterrupt as interrupt:
            raise UpdateInterrupted(_sorted(run.outcomes)) from interrupt
    return _sorted(run.outcomes)


def refusal_of_a_real_run(site: Site, paths: list[Path] | None) -> str | None:
    """What the run without --pretend would refuse before writing anything (a site outside
    git, uncommitted or untracked pages), for --pretend to say; None: nothing."""
    selected, _ = select_documents(site, paths)
    try:
        require_clean_git(site, [p for r in selected for p in (r.document, r.answers_relpath)])
    except InvalidInput as refused:
        return refused.message
    return None


def _site_template(site: Site) -> str | None:
    """The site's configured `template:`, as pages record it (None when it names none)."""
    if not site.config.template:
        return None
    return resolve_template(None, site).src


def _sorted(outcomes: list[Outcome]) -> list[Outcome]:
    return sorted(outcomes, key=lambda o: o.document)


def _offset(progress: Progress | None, start: int, total: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, _: progress(start + done, total)


def _finish_batch(
    run: _UpdateRun, session: WriteSession | None, planned: list[Planned], merged: dict[str, Merged]
) -> None:
    """Each planned document's outcome; those that change are written as pairs, each
    document with its answers file, and get their outcome as they are written (an
    interrupt waits until the outcomes of the pairs written are recorded)."""
    to_write: list[tuple[Outcome, Group]] = []
    for plan in planned:
        outcome, pair = _outcome(run, plan, merged[plan.merge.path])
        if pair is None or session is None:
            run.outcomes.append(outcome)
        else:
            to_write.append((outcome, pair))

    def written(index: int, result: GroupResult) -> None:
        outcome = to_write[index][0]
        if result.status is Written.LEFT:
            outcome = Outcome(outcome.document, Status.LEFT, result.message)
        elif result.status in (Written.REFUSED, Written.FAILED):
            outcome = Outcome(outcome.document, Status.FAILED, f"{result.message}; left as it was")
        run.outcomes.append(outcome)

    if session is not None and to_write:
        session.write([pair for _, pair in to_write], written)


def _outcome(run: _UpdateRun, plan: Planned, merged: Merged) -> tuple[Outcome, Group | None]:
    """What becomes of a document, and the pair to write for it (None: nothing to write)."""
    site = run.site
    document = plan.recorded.document
    if isinstance(merged, MergeFailure):
        return Outcome(document, Status.FAILED, f"{merged.reason}; left as it was"), None
    result, conflicts = merged.content, merged.conflict_lines
    answers_seen = plan.recorded.seen
    assert answers_seen is not None  # update reads the answers files whole
    if result == plan.merge.current and answers_seen.holds(plan.answers_text):
        return Outcome(document, Status.CURRENT, "; ".join([*plan.page.notes, *plan.notes])), None
    notes = _answer_notes(plan) + stopped_key_notes(plan.merge, result, plan.questions)
    status = Status.UPDATED
    if conflicts:
        status = Status.CONFLICTED
        notes.append("conflict markers at lines " + ", ".join(map(str, conflicts)))
    elif plan.same_version and plan.page.changed:
        status = Status.ANSWERS_CHANGED
    elif result == plan.merge.current:
        status = Status.VERSION_RECORDED
    if not run.pretend:
        pair = (
            Target(document, plan.seen, result),
            Target(plan.recorded.answers_relpath, answers_seen, plan.answers_text),
        )
        return Outcome(document, status, "; ".join(notes), "", conflicts), pair
    # The diff is what --pretend shows; it costs more than the merge itself.
    answers_path = site.root / plan.recorded.answers_relpath
    current_answers = answers_path.read_bytes() if answers_path.is_file() else b""
    diff = _unified_diff(document, plan.merge.current, result) + _unified_diff(
        plan.recorded.answers_relpath, current_answers, plan.answers_text
    )
    return Outcome(document, status, "; ".join(notes), diff, conflicts), None


def _answer_notes(plan: Planned) -> list[str]:
    """What the report says about the page's answers: which the frontmatter changed, where
    the recorded answers stayed, and the migrations and moves (plan.notes)."""
    notes = [*plan.page.notes, *plan.notes]
    if plan.page.changed:
        notes.insert(0, "answers from the frontmatter: " + ", ".join(plan.page.changed))
    return notes
