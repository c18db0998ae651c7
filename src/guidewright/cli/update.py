"""`guidewright update`: re-apply the template's newest version to existing documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Defaults, Dest, app, reporting_errors


@app.command("update")
def update(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents to update (default: all with answers).")
    ] = None,
    dest: Dest = Path("."),
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Template version (default: the newest).")
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Write nothing; show the diff it would apply.")
    ] = False,
    defaults: Defaults = False,
    allow_downgrade: Annotated[
        bool,
        typer.Option("--allow-downgrade", help="Apply a --vcs-ref older than a document's."),
    ] = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Move the documents to this template source (path or git URL): update them "
            "to its newest version and record it as their source.",
        ),
    ] = None,
    drop_unknown_answers: Annotated[
        bool,
        typer.Option(
            "--drop-unknown-answers",
            help="Drop recorded answers the new version has no question for (listed).",
        ),
    ] = False,
) -> None:
    """Re-apply the template's newest version to every document, keeping all author edits."""
    with reporting_errors("interrupted; each document is either updated or untouched: git status"):
        from guidewright.cli.update_screen import run_update

        code = run_update(
            paths or None, dest, vcs_ref, pretend, defaults, allow_downgrade,
            move_to=template, drop_unknown=drop_unknown_answers,
        )  # fmt: skip
    raise typer.Exit(code)
