"""`guidewright adopt`: bring existing hand-written pages under the template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import INTERRUPTED, Defaults, Dest, Template, app, fail, reporting_errors
from guidewright.core.errors import AdoptInterrupted


@app.command("adopt")
def adopt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Pages and folders to adopt (default: every content page "
            "of the docs folder without recorded answers)."
        ),
    ] = None,
    dest: Dest = Path("."),
    content_type: Annotated[
        str | None, typer.Option("--type", help="Content type of every page adopted.")
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option("-d", "--data", help="NAME=VALUE answer for every page (YAML-typed); repeat."),
    ] = None,
    data_file: Annotated[
        Path | None,
        typer.Option("--data-file", help="A plan file (--pretend --plan): answers by page."),
    ] = None,
    defaults: Defaults = False,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Write nothing; print what each page would get.")
    ] = False,
    plan: Annotated[
        Path | None,
        typer.Option("--plan", help="With --pretend: write every page's answers to this file."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="With --plan: replace an existing file that is no plan."),
    ] = False,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Adopt again the pages adopted before (default: all of them), under the "
            "template's present rules, keeping every value changed since.",
        ),
    ] = False,
    template: Template = None,
) -> None:
    """Give hand-written pages the template's frontmatter, their bodies byte for byte."""
    from guidewright.cli.adopt_screen import run_adopt

    if plan is not None and not pretend:
        raise fail("--plan: only with --pretend (a plan is written instead of the pages)", 2)
    if force and plan is None:
        raise fail("--force: only with --plan (it lets the plan replace an existing file)", 2)
    interactive = not defaults and sys.stdin.isatty() and sys.stdout.isatty()
    with reporting_errors("interrupted; nothing was written"):
        from guidewright.adopt.plan_file import load_plan, refuse_foreign_file

        if plan is not None:  # before the run: its work would be lost
            refuse_foreign_file(plan, force)
        from guidewright.cli.given_flags import data_values

        inputs = {
            "content_type": content_type,
            "given": data_values(data or []),
            "per_page": load_plan(data_file) if data_file else {},
        }
        try:
            code = run_adopt(
                dest, template, paths or None, inputs, pretend, plan, interactive, force, again
            )
        except AdoptInterrupted as interrupt:  # pages were written: say how many
            written = len(interrupt.written)
            typer.echo(
                f"interrupted after {written} page{'' if written == 1 else 's'}; each page "
                "is adopted with its answers or untouched: git status",
                err=True,
            )
            raise typer.Exit(INTERRUPTED) from None
    raise typer.Exit(code)
