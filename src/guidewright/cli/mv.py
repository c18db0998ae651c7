"""`guidewright mv OLD NEW`: move a page or a folder of pages, everything that names it
following (move/)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors

if TYPE_CHECKING:
    from guidewright.move.plan import MovePlan
    from guidewright.move.request import Move


@app.command("mv")
def mv(
    old: Annotated[str, typer.Argument(help="The page or folder to move, in the docs folder.")],
    new: Annotated[
        str,
        typer.Argument(
            help="Where it goes, in the docs folder: a new path, or an existing folder to "
            "move it into."
        ),
    ],
    dest: Dest = Path("."),
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Write nothing; show every change as a diff.")
    ] = False,
    template: Template = None,
) -> None:
    """Move a page or folder: its answers file, every link to it and its anchors, the
    prerequisites and related content that name it, nav, and a redirect from its old URL
    where the site has redirects."""
    with reporting_errors(
        "interrupted; the move is written whole or not at all (git status shows which)"
    ):
        # Imported here, not at the top: `guidewright --help` stays quick to start.
        from guidewright.core.shown_text import one_line
        from guidewright.move.request import judged_move
        from guidewright.move.run import change_diff, move_in_site
        from guidewright.site.site import load_site
        from guidewright.template.questionnaire import load_questionnaire
        from guidewright.template.source import open_template, resolve_template

        site = load_site(dest)
        move = judged_move(site, old, new, Path.cwd())
        with open_template(resolve_template(template, site)) as opened:
            questionnaire = load_questionnaire(opened.folder)
        plan = move_in_site(site, move, questionnaire, pretend)
        if pretend:
            for change in plan.changes:
                named = replace(
                    change,
                    relpath=one_line(change.relpath),
                    new_relpath=one_line(change.new_relpath),
                )  # a name's CR or LF cannot start a line of its own; the bytes are as they are
                typer.echo(change_diff(named), nl=False)
        _report(move, plan, pretend)


def _report(move: Move, plan: MovePlan, pretend: bool) -> None:
    # Names anyone can commit: not UTF-8, or holding a CR, LF or ESC, shown escaped.
    from guidewright.core.shown_text import one_line  # lazy, as in mv(): quick --help

    verb = "would move" if pretend else "moved"
    what = "folder" if move.folder else "page"
    typer.echo(one_line(f"{verb} {what} {move.old} to {move.new}"))
    for change in plan.changes:
        if change.moves:
            said = f" ({', '.join(change.said)})" if change.said else ""
            typer.echo(one_line(f"  {change.relpath} -> {change.new_relpath}{said}"))
        else:
            typer.echo(one_line(f"  {change.relpath}: {', '.join(change.said) or 'changed'}"))
    for line in plan.by_hand:
        typer.echo(
            f"warning: {one_line(line)}: written so that mv cannot change it; change it by hand",
            err=True,
        )
