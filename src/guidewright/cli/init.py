"""`guidewright init`: a new MkDocs Material site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Template, app, reporting_errors


@app.command("init")
def init(
    site: Annotated[Path, typer.Argument(help="Folder of the new site (new or empty).")] = Path(
        "."
    ),
    content_owner: Annotated[
        str | None, typer.Option("--content-owner", help="Default content owner of documents.")
    ] = None,
    template: Template = None,
) -> None:
    """Create a working MkDocs Material site for guides and tutorials."""
    with reporting_errors():
        from guidewright.documents.init_site import init_site

        written = init_site(site, content_owner, template)
    typer.echo(f"Created a site in {site} ({len(written)} files). Next:")
    typer.echo(f"  guidewright new-guide --dest {site}")
    typer.echo(f"  mkdocs serve -f {site / 'mkdocs.yml'}")
