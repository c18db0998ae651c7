"""`guidewright types` and `guidewright template check`: the template's side."""

from __future__ import annotations

from pathlib import Path

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors

template_app = typer.Typer(help="For the template's maintainers.", no_args_is_help=True)
app.add_typer(template_app, name="template")


@app.command("types")
def types(dest: Dest = Path("."), template: Template = None) -> None:
    """List the template's content types (each one is `guidewright new TYPE`)."""
    from rich.console import Console

    from guidewright.cli.wizard import template_for, types_table
    from guidewright.template.questionnaire import load_questionnaire
    from guidewright.template.source import template_folder

    with reporting_errors(), template_folder(template_for(dest, template)) as folder:
        Console().print(types_table(load_questionnaire(folder)))
