"""`guidewright types` and `guidewright template check`: the template's side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors

template_app = typer.Typer(help="For the template's maintainers.", no_args_is_help=True)
app.add_typer(template_app, name="template")


@app.command("types")
def types(dest: Dest = Path("."), template: Template = None) -> None:
    """List the template's content types (each one is `guidewright new TYPE`)."""
    from rich.console import Console

    from guidewright.cli.type_help import types_table
    from guidewright.cli.wizard import template_for
    from guidewright.template.questionnaire import load_questionnaire
    from guidewright.template.source import template_folder

    with reporting_errors(), template_folder(template_for(dest, template)) as folder:
        Console().print(types_table(load_questionnaire(folder)))


@template_app.command("check")
def template_check(
    src: Annotated[
        Path, typer.Argument(help="The template's folder (default: this folder).")
    ] = Path("."),
) -> None:
    """Check a template before releasing it: its block, questions and every content type."""
    from guidewright.template_check.lint import check_template

    with reporting_errors():
        if not src.is_dir():
            from guidewright.core.errors import InvalidInput

            raise InvalidInput(f"SRC: {src} is not a folder")
        findings = check_template(src)
    for finding in findings:
        label = "warning: " if finding.warning else ""
        typer.echo(f"{finding.path}:{finding.line}: {label}{finding.message}")
    count = sum(not finding.warning for finding in findings)
    typer.echo(f"{count} problem{'' if count == 1 else 's'}" if count else "template ok")
    raise typer.Exit(1 if count else 0)
