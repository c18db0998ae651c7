"""`guidewright tags`: the site's tags with their pages; `tags rename` and `tags merge`
change a tag on every page and in its recorded answers together (site_ops/tags.py)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors

if TYPE_CHECKING:
    from guidewright.site_ops.tags import RetagResult

tags_app = typer.Typer(
    help="The site's tags: list them, rename one, merge several.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(tags_app, name="tags")

INTERRUPTED = "interrupted; each page is renamed with its answers, or untouched: git status"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


Pretend = Annotated[
    bool, typer.Option("--pretend", help="Write nothing; show the diff it would apply.")
]


@tags_app.callback()
def list_tags(
    ctx: typer.Context,
    dest: Dest = Path("."),
    template: Template = None,
    output: Annotated[ListFormat, typer.Option("--format", help="text or json.")] = (
        ListFormat.text
    ),
) -> None:
    """Every tag of the site, how many pages use it, and which (most used first)."""
    if ctx.invoked_subcommand is not None:
        return
    with reporting_errors():
        # Imported here, not at the top: every command would load them to start.
        from guidewright.check.site_check import site_judges
        from guidewright.site.site import load_site
        from guidewright.site_ops.tags import tag_uses

        site = load_site(dest)
        with site_judges(site, template) as judges:
            uses = tag_uses(site, judges.current)
    if output is ListFormat.json:
        typer.echo(json.dumps({"tags": [use.to_data() for use in uses]}, indent=2))
        return
    if not uses:
        typer.echo("no tags: no page has any, and the site configuration lists none")
        return
    width = max(len(use.tag) for use in uses)
    for use in uses:
        listed = "" if use.listed else "  (not in the site's tags)"
        pages = ", ".join(use.pages) if use.pages else "no page"
        typer.echo(f"{use.tag:<{width}} {use.count:>4}  {pages}{listed}")
    typer.echo(f"{len(uses)} tags on {len({p for u in uses for p in u.pages})} pages")


@tags_app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="The tag to rename.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
    dest: Dest = Path("."),
    template: Template = None,
    pretend: Pretend = False,
) -> None:
    """Rename a tag on every page, in its recorded answers and the site's configuration."""
    _retag(dest, [old], new, pretend, template, "tags rename")


@tags_app.command("merge")
def merge(
    tags: Annotated[list[str], typer.Argument(help="The tags to merge.")],
    into: Annotated[str, typer.Option("--into", help="The tag they become.")],
    dest: Dest = Path("."),
    template: Template = None,
    pretend: Pretend = False,
) -> None:
    """Merge tags into one on every page, in its recorded answers and the configuration."""
    _retag(dest, tags, into, pretend, template, "tags merge")


def _retag(
    dest: Path, sources: list[str], into: str, pretend: bool, template: str | None, command: str
) -> None:
    with reporting_errors(INTERRUPTED):
        # Imported here, not at the top: every command would load them to start.
        from guidewright.site.site import load_site
        from guidewright.site_ops.tags import retag_site

        result = retag_site(load_site(dest), sources, into, pretend, command, template)
    raise typer.Exit(_report(result, pretend))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _report(result: RetagResult, pretend: bool) -> int:
    """Print what the run changed (or would), what it left; the exit code."""
    plan = result.plan
    for note in plan.notes:
        typer.echo(f"note: {note}")
    if pretend:
        typer.echo(plan.diff(), nl=False)
    pages = plan.pages if pretend else result.written
    renamed = ", ".join(f"{old} → {new}" for old, new in plan.renames.items())
    answers = sum(1 for p in pages for f in p.files if f.relpath != p.document)
    sections = plan.sections if pretend or result.sections_written else []
    settings = "; ".join(s.relpath for s in sections + plan.settings)
    verb = "would change" if pretend else "changed"
    if not pages and not sections and not plan.settings and not plan.refused:
        typer.echo(f"{renamed}: nothing to change (no page or configuration holds it)")
        return 0
    counts = f"{_plural(len(pages), 'page')} and {_plural(answers, 'answers file')}"
    typer.echo(f"{renamed}: {verb} {counts}" + (f"; {settings}" if settings else ""))
    for refused in plan.refused:
        typer.echo(f"left as it is: {refused.document}: {refused.reason}", err=True)
    for left in result.left:
        typer.echo(f"left as it is: {left.message}", err=True)
    return 1 if plan.refused or result.left else 0
