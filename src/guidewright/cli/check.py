"""`guidewright check`: every problem of the site's documents, for an author or CI."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors


class OutputFormat(StrEnum):
    """How `check` prints its findings."""

    text = "text"
    json = "json"


@app.command("check")
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents or folders (default: the docs folder).")
    ] = None,
    dest: Dest = Path("."),
    template: Template = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")] = False,
) -> None:
    """Report every problem of the site's documents: questions, links, placeholders."""
    import datetime as dt
    import json

    with reporting_errors():
        from guidewright.documents.check import check_site
        from guidewright.documents.problems import ERROR
        from guidewright.documents.site import load_site

        problems, checked = check_site(load_site(dest), paths or None, dt.date.today(), template)
    errors = [p for p in problems if p.severity == ERROR or strict]
    if output is OutputFormat.json:
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in problems:
            label = "" if p.severity == ERROR else f"{p.severity}: "
            typer.echo(f"{p.path}:{p.line}: {p.field}: {label}{p.message}")
        warnings = len(problems) - sum(p.severity == ERROR for p in problems)
        typer.echo(
            f"{checked} documents checked: {len(problems) - warnings} errors, {warnings} warnings"
        )
    raise typer.Exit(1 if errors else 0)
