"""`mv` run: the plan computed under the site's write lock, git's clean check on what it
changes, and every change written as one group of the write session (site/write_session.py):
the moved pages, the pages that link to them, the answers files and the configuration land
together or not at all, and Ctrl-C waits for the group (held while it is written)."""

from __future__ import annotations

import difflib

from guidewright.core.errors import OperationFailed
from guidewright.move.plan import FileChange, MovePlan, plan_move
from guidewright.move.request import Move
from guidewright.site.site import Site
from guidewright.site.write_session import WriteSession, Written
from guidewright.template.questionnaire import Questionnaire

COMMAND = "mv"


def move_in_site(site: Site, move: Move, questionnaire: Questionnaire, pretend: bool) -> MovePlan:
    """Move as `move` says; with `pretend`, only say what would change. Raises
    OperationFailed (nothing written) when a file changed meanwhile or cannot be written."""
    if pretend:
        return plan_move(site, move, questionnaire)
    with WriteSession(site, COMMAND) as session:
        plan = plan_move(site, move, questionnaire)
        session.require_clean_git(change.relpath for change in plan.changes)
        result = session.write([plan.group()])[0]
    if result.status is not Written.WRITTEN:
        raise OperationFailed(f"{result.message}; nothing was moved")
    return plan


def change_diff(change: FileChange) -> str:
    """A change as `git diff` shows it: a rename's header, then the lines that differ."""
    head = ""
    if change.moves:
        old, new = change.relpath, change.new_relpath
        head = f"diff --git a/{old} b/{new}\nrename from {old}\nrename to {new}\n"
    try:
        before = change.before.decode("utf-8").splitlines(keepends=True)
        after = change.after.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return head + ("" if change.before == change.after else "Binary files differ\n")
    lines = difflib.unified_diff(before, after, f"a/{change.relpath}", f"b/{change.new_relpath}")
    return head + "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
