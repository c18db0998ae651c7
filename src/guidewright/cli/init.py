"""`guidewright init`: a new site, for MkDocs (Material) or Zensical."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Template, app, reporting_errors, runnable


class Engine(StrEnum):
    """The engines `init` writes a site for."""

    mkdocs = "mkdocs"
    zensical = "zensical"


@app.command("init")
def init(
    site: Annotated[Path, typer.Argument(help="Folder of the new site (new or empty).")] = Path(
        "."
    ),
    content_owner: Annotated[
        str | None, typer.Option("--content-owner", help="Default content owner of documents.")
    ] = None,
    template: Template = None,
    no_git: Annotated[
        bool, typer.Option("--no-git", help="Do not create a git repository for the site.")
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option("--engine", help="mkdocs (mkdocs.yml, Material) or zensical (zensical.toml)."),
    ] = Engine.mkdocs,
) -> None:
    """Create a working site for guides and tutorials (MkDocs Material, or Zensical)."""
    import os

    with reporting_errors():
        from guidewright.site.init_config import CONFIG_TEXTS
        from guidewright.site.init_site import init_site

        made = init_site(site, content_owner, template, git=not no_git, engine=engine.value)
    shown = os.path.relpath(site)
    files = f"{len(made.written)} file{'' if len(made.written) == 1 else 's'}"
    git = ", a new git repository" if made.repository else ""  # committed, unless said below
    typer.echo(f"Created a site in {shown} ({files}{git}). Next:")
    if not no_git and not made.committed:
        # update and check --fix write only over committed pages: commit the site first.
        where = "" if shown == "." else f" -C {shown}"
        typer.echo(f"  git{where} add --all && git{where} commit -m 'A new site'")
    dest = "" if shown == "." else f" --dest {shown}"
    typer.echo(f"  {runnable('guidewright')} new-guide{dest}")
    config_name = CONFIG_TEXTS[engine.value][0]
    typer.echo(f"  {runnable(engine.value)} serve -f {os.path.join(shown, config_name)}")
