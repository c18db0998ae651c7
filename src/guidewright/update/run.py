"""Re-apply a newer template version to the site's documents, losing nothing.

Copier's model: the template at the recorded version rendered with the recorded answers is
the base, the template at the new version rendered with the page's current answers (its
frontmatter's values, rules/page_answers.py) is theirs, the author's file is ours.
Documents go in bounded batches (plan, render, merge, write), so memory stays flat
however large the site; each template version is loaded once per run.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from guidewright.copier_compat.update_merge import Merged, MergeFailure
from guidewright.core.errors import InvalidInput, PairNotWritten, UpdateInterrupted
from guidewright.core.signals import signals_held
from guidewright.site.git_checks import require_clean_git
from guidewright.site.lock import update_lock
from guidewright.site.pair_write import write_pair
from guidewright.site.site import Site
from guidewright.template.source import resolve_template
from guidewright.update.frontmatter_merge import merge_all_settled
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


@dataclass
class _Run:
    site: Site
    pretend: bool
    outcomes: list[Outcome] = field(default_factory=list)


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
    allow_downgrade: bool = False,
    move_to: str | None = None,
    drop_unknown: bool = False,
) -> list[Outcome]:
    """Update the documents (all with recorded answers, or `paths`); one outcome each.

    `move_to` (`--template`) updates them to that source's newest version and records it
    as their source; `drop_unknown` drops answers the new version has no question for."""
    selected, failed = select_documents(site, paths)
    run = _Run(site, pretend, failed)
    with update_lock(site, pretend):
        if not pretend:
            touched = [p for r in selected for p in (r.document, r.answers_relpath)]
            require_clean_git(site, touched)
        with tempfile.TemporaryDirectory(prefix="guidewright-update-") as scratch_name:
            scratch = Path(scratch_name)
            sources = Sources(scratch, vcs_ref, move_to, drop_unknown)
            sources.site_template = _site_template(site)
            if move_to is not None:
                require_source(sources, move_to)
            try:
                for start in range(0, len(selected), BATCH):
                    batch = selected[start : start + BATCH]
                    planned, batch_failed = plan_batch(
                        site, batch, sources, ask_new, allow_downgrade,
                        _offset(progress, start, len(selected)),
                    )  # fmt: skip
                    run.outcomes += batch_failed
                    merged = merge_all_settled(
                        [p.merge for p in planned], scratch / f"merge-{start}"
                    )
                    for plan in planned:
                        # The report must list every pair written: an interrupt waits until
                        # the outcome is recorded.
                        with signals_held():
                            run.outcomes.append(_finish(run, plan, merged[plan.merge.path]))
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


def _finish(run: _Run, plan: Planned, merged: Merged) -> Outcome:
    site, pretend = run.site, run.pretend
    document = plan.recorded.document
    if isinstance(merged, MergeFailure):
        return Outcome(document, Status.FAILED, f"{merged.reason}; left as it was")
    result, conflicts = merged.content, merged.conflict_lines
    answers_path = site.root / plan.recorded.answers_relpath
    current_answers = answers_path.read_bytes()
    if result == plan.merge.current and plan.answers_text == current_answers:
        return Outcome(document, Status.CURRENT, "; ".join([*plan.page.notes, *plan.notes]))
    notes = _answer_notes(plan)
    status = Status.UPDATED
    if conflicts:
        status = Status.CONFLICTED
    elif plan.same_version and plan.page.changed:
        status = Status.ANSWERS_CHANGED
    elif result == plan.merge.current:
        status = Status.VERSION_RECORDED
    diff = ""
    if pretend:  # the diff is what --pretend shows; it costs more than the merge itself
        diff = _unified_diff(document, plan.merge.current, result) + _unified_diff(
            plan.recorded.answers_relpath, current_answers, plan.answers_text
        )
    else:
        try:
            write_pair(
                (site.root / document, plan.merge.current, result),
                (answers_path, current_answers, plan.answers_text),
            )
        except PairNotWritten as error:
            return Outcome(document, Status.FAILED, f"{error}; left as it was")
    if conflicts:
        notes.append("conflict markers at lines " + ", ".join(map(str, conflicts)))
    return Outcome(document, status, "; ".join(notes), diff, conflicts)


def _answer_notes(plan: Planned) -> list[str]:
    """What the report says about the page's answers: which the frontmatter changed, where
    the recorded answers stayed, and the migrations and moves (plan.notes)."""
    notes = [*plan.page.notes, *plan.notes]
    if plan.page.changed:
        notes.insert(0, "answers from the frontmatter: " + ", ".join(plan.page.changed))
    return notes
