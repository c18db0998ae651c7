"""The `update` command's screen: progress bar, new questions, the result table."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from guidewright.documents.site import load_site
from guidewright.update.run import AskNew, Outcome, Status, update_site

STYLES = {
    Status.UPDATED: "green",
    Status.CURRENT: "dim",
    Status.CONFLICTED: "yellow",
    Status.FAILED: "red",
}


def _ask_new_question(document: str, name: str, question: Mapping[str, Any], default: Any) -> Any:
    import questionary

    label = f"{document}: {question.get('help') or name}"
    choices = question.get("choices")
    if isinstance(choices, list) and choices:
        return questionary.select(
            label, choices=[str(c) for c in choices], default=default
        ).unsafe_ask()
    answer = questionary.text(label, default="" if default is None else str(default)).unsafe_ask()
    return answer


def table(outcomes: list[Outcome]) -> Table:
    result = Table(title="guidewright update")
    result.add_column("document", no_wrap=True)
    result.add_column("result")
    result.add_column("detail", overflow="fold")
    for outcome in outcomes:
        style = STYLES[outcome.status]
        result.add_row(outcome.document, f"[{style}]{outcome.status}[/{style}]", outcome.detail)
    return result


def run_update(
    paths: list[Path] | None, dest: Path, vcs_ref: str | None, pretend: bool, defaults: bool
) -> int:
    # Outside a terminal (CI logs, pipes) nothing is gained by folding long paths and reasons.
    console = Console(width=None if sys.stdout.isatty() else 1000)
    interactive = not defaults and sys.stdin.isatty()
    ask_new: AskNew | None = _ask_new_question if interactive else None
    site = load_site(dest)
    # Refreshed by hand: no refresh thread may run while render workers are forked.
    with Progress(console=console, transient=True, disable=interactive, auto_refresh=False) as bar:
        task = bar.add_task("Rendering", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done == total or done % 25 == 0:
                bar.refresh()

        outcomes = update_site(site, paths, vcs_ref, pretend, ask_new, advance)
    if pretend:
        for outcome in outcomes:
            if outcome.diff:
                console.print(outcome.diff, markup=False, highlight=False, end="")
    console.print(table(outcomes))
    counts = {s: sum(o.status is s for o in outcomes) for s in Status}
    console.print(
        ", ".join(f"{n} {s}" for s, n in counts.items())
        + (" (pretend: nothing written)" if pretend else "")
    )
    return 1 if counts[Status.CONFLICTED] or counts[Status.FAILED] else 0
