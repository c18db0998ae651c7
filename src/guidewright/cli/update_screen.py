"""The `update` command's screen: progress bar, new questions, the result table."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from guidewright.core.errors import UpdateInterrupted
from guidewright.site.site import Site, load_site
from guidewright.update.new_questions import AskNew
from guidewright.update.plan import Outcome, Status
from guidewright.update.run import refusal_of_a_real_run, update_site

STYLES = {
    Status.UPDATED: "green",
    Status.VERSION_RECORDED: "green",
    Status.ANSWERS_CHANGED: "green",
    Status.CURRENT: "dim",
    Status.CONFLICTED: "yellow",
    Status.LEFT: "yellow",
    Status.FAILED: "red",
}
NOT_WRITTEN = (Status.LEFT, Status.FAILED)


def table(outcomes: list[Outcome], site: Site) -> Table:
    """The result table: one row per document, its path from the current folder."""
    result = Table(title="guidewright update")
    result.add_column("document", no_wrap=True)
    result.add_column("result")
    result.add_column("detail", overflow="fold")
    for outcome in outcomes:
        style = STYLES[outcome.status]
        shown = os.path.relpath(site.root / outcome.document)
        result.add_row(shown, f"[{style}]{outcome.status}[/{style}]", outcome.detail)
    return result


@dataclass(frozen=True)
class UpdateRequest:
    """What the author asked `update` to do."""

    paths: list[Path] | None
    vcs_ref: str | None
    pretend: bool
    allow_downgrade: bool
    move_to: str | None = None  # --template: as given, resolved by the run
    drop_unknown: bool = False


def run_update(
    paths: list[Path] | None,
    dest: Path,
    vcs_ref: str | None,
    pretend: bool,
    defaults: bool,
    allow_downgrade: bool = False,
    move_to: str | None = None,
    drop_unknown: bool = False,
) -> int:
    # Outside a terminal (CI logs, pipes) nothing is gained by folding long paths and reasons.
    """Run `update` with its progress bar and report; returns the exit status."""
    console = Console(width=None if sys.stdout.isatty() else 1000)
    interactive = not defaults and sys.stdin.isatty()
    site = load_site(dest)
    with contextlib.ExitStack() as stack:
        ask_new: AskNew | None = None
        if interactive:
            # Imported here, for CLI start-up: questionary and prompt_toolkit (some 50 ms)
            # only for a run that asks.
            from guidewright.cli.prompts import Asker, SiteHints
            from guidewright.cli.same_answer import SameForAll

            asker = stack.enter_context(Asker(SiteHints.none()))
            ask_new = SameForAll(asker, site)

        request = UpdateRequest(
            paths, vcs_ref, pretend, allow_downgrade, _template_of(move_to, site), drop_unknown
        )
        try:
            return _run(site, request, ask_new, interactive, console)
        except UpdateInterrupted as interrupted:
            done = [o for o in interrupted.outcomes if o.status not in NOT_WRITTEN]
            if done:
                console.print(table(interrupted.outcomes, site))
            console.print(
                f"interrupted: {len(done)} document{'' if len(done) == 1 else 's'} finished as "
                "shown (each document with its answers file); the others are untouched: "
                "git status"
            )
            raise


def _run(
    site: Site,
    request: UpdateRequest,
    ask_new: AskNew | None,
    interactive: bool,
    console: Console,
) -> int:
    pretend = request.pretend
    # Refreshed by hand: no refresh thread may run while render workers are forked.
    with Progress(console=console, transient=True, disable=interactive, auto_refresh=False) as bar:
        task = bar.add_task("Rendering", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done == total or done % 25 == 0:
                bar.refresh()

        outcomes = update_site(
            site,
            request.paths,
            request.vcs_ref,
            pretend,
            ask_new,
            advance,
            request.allow_downgrade,
            move_to=request.move_to,
            drop_unknown=request.drop_unknown,
        )
    if pretend:
        for outcome in outcomes:
            if outcome.diff:
                console.print(outcome.diff, markup=False, highlight=False, end="")
    console.print(table(outcomes, site))
    counts = {s: sum(o.status is s for o in outcomes) for s in Status}
    console.print(
        ", ".join(counted(n, s) for s, n in counts.items())
        + (" (pretend: nothing written)" if pretend else "")
    )
    if pretend and (refused := refusal_of_a_real_run(site, request.paths)):
        console.print(f"pretend: the real run will refuse: {refused}", markup=False)
    return 1 if any(counts[s] for s in (Status.CONFLICTED, *NOT_WRITTEN)) else 0


def counted(count: int, status: Status) -> str:
    """`count` documents of `status`, in words: "1 answer changed", "2 answers changed"."""
    if status is Status.ANSWERS_CHANGED and count == 1:
        return "1 answer changed"
    return f"{count} {status}"


def _template_of(flag: str | None, site: Site) -> str | None:
    """`--template` as recorded in `_src_path`: a path made absolute, as `new` records it."""
    if flag is None:
        return None
    from guidewright.template.source import resolve_template

    return resolve_template(flag, site).src
