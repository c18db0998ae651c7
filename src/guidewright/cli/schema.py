"""`guidewright schema`: the frontmatter's JSON Schema, from the template's questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Dest, Template, app, reporting_errors


@app.command("schema")
def schema(
    content_type: Annotated[
        str | None,
        typer.Argument(metavar="TYPE", help="A content type (default: every type)."),
    ] = None,
    dest: Dest = Path("."),
    template: Template = None,
    editor_keywords: Annotated[
        bool,
        typer.Option(
            "--editor-keywords/--no-editor-keywords",
            help="Include markdownDescription and patternErrorMessage, which editors read "
            "and strict validators (ajv --strict) refuse undeclared.",
        ),
    ] = True,
) -> None:
    """Print the frontmatter's JSON Schema (draft 2020-12)."""
    import json

    from guidewright.cli.wizard import template_for
    from guidewright.template.json_schema import frontmatter_json_schema
    from guidewright.template.questionnaire import load_questionnaire
    from guidewright.template.source import template_folder

    with reporting_errors(), template_folder(template_for(dest, template)) as folder:
        questionnaire = load_questionnaire(folder)
        document = frontmatter_json_schema(questionnaire, content_type, editor_keywords)
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
