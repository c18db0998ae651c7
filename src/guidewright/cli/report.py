"""`guidewright report`: the site at a glance (site_ops/report.py), as a page of the site,
a standalone HTML file, or JSON."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors


class ReportFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    json = "json"


@app.command("report")
def report(
    dest: Dest = Path("."),
    template: Template = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            help="markdown: a page of the site (docs/report/index.md); html: one standalone "
            "file (site-report.html); json: on stdout.",
        ),
    ] = ReportFormat.markdown,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write it instead (inside the site)."),
    ] = None,
    soon: Annotated[
        int, typer.Option("--soon", min=0, help="Days ahead a review counts as due soon.")
    ] = 30,
) -> None:
    """The site at a glance: reviews by owner, pages behind the template, sections, tags,
    the prerequisite graph, judged as check judges them."""
    import datetime as dt

    with reporting_errors():
        # Imported here, not at the top: every command would load them to start.
        from guidewright.site.site import load_site
        from guidewright.site_ops.report import site_report
        from guidewright.site_ops.report_page import (
            mermaid_note,
            page_links,
            report_html,
            report_markdown,
            report_place,
            save_report,
        )

        site = load_site(dest)
        found = site_report(site, dt.date.today(), template, soon)
        if output_format is ReportFormat.json and output is None:
            typer.echo(json.dumps(found.to_data(), indent=2, ensure_ascii=False))
            return
        place = report_place(site, output, output_format.value)
        if output_format is ReportFormat.json:
            content = json.dumps(found.to_data(), indent=2, ensure_ascii=False) + "\n"
        elif output_format is ReportFormat.html:
            content = report_html(found)
        else:
            docs = site.docs_dir.rstrip("/") + "/"
            in_docs = place.removeprefix(docs) if place.startswith(docs) else None
            content = report_markdown(found, page_links(in_docs) if in_docs else _named)
            note = mermaid_note(site.profile)
            if note:
                typer.echo(note, err=True)
        written = save_report(site, place, content)
    for note in found.notes:
        typer.echo(note, err=True)
    typer.echo(f"{'wrote' if written else 'unchanged'}: {place}")


def _named(page: str) -> str:
    return f"`{page}`"
