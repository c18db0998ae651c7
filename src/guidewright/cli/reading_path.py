"""`guidewright path PAGE`: the reading order that leads to a page (site_ops/reading_path.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors
from guidewright.cli.tags import ListFormat


@app.command("path")
def path(
    page: Annotated[
        Path, typer.Argument(help="The page (docs/a/b.md, or a/b.md in the docs folder).")
    ],
    dest: Dest = Path("."),
    template: Template = None,
    output: Annotated[ListFormat, typer.Option("--format", help="text or json.")] = (
        ListFormat.text
    ),
) -> None:
    """The pages to read before PAGE, in the order to read them (its prerequisites)."""
    with reporting_errors():
        # Imported here, not at the top: every command would load them to start.
        from guidewright.check.site_check import site_judges
        from guidewright.site.site import load_site
        from guidewright.site_ops.reading_path import page_in_docs, reading_path

        site = load_site(dest)
        target = page_in_docs(site, page)
        with site_judges(site, template) as judges:
            steps = reading_path(site, judges.current, target)
    if output is ListFormat.json:
        typer.echo(json.dumps({"page": target, "order": [s.to_data() for s in steps]}, indent=2))
        return
    before = len(steps) - 1
    typer.echo(f"{target}: {before} page{'' if before == 1 else 's'} to read first")
    for number, step in enumerate(steps, 1):
        title = f"  {step.title}" if step.title else ""
        missing = "  (missing: GW202)" if not step.exists else ""
        typer.echo(f"{number:>3}. {step.page}{title}{missing}")
