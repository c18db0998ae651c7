"""`guidewright new TYPE` (and its short forms `new-guide`, `new-tutorial`).

The options besides the fixed ones come from the template: every question is
`--its-name VALUE` (list questions repeat it), the block's short flags are aliases, and
`-d NAME=VALUE` answers any question as Copier's `-d` does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Defaults, Dest, Template, app, reporting_errors
from guidewright.cli.given_flags import data_values
from guidewright.core.errors import InvalidInput

CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}
DataFile = Annotated[
    Path | None,
    typer.Option("--data-file", help="YAML mapping of question names to answers."),
]
Data = Annotated[
    list[str] | None,
    typer.Option("-d", "--data", help="NAME=VALUE answer (YAML-typed, as Copier's -d); repeat."),
]
Help = Annotated[
    bool, typer.Option("-h", "--help", help="Show the type's questions and these options.")
]


Pretend = Annotated[
    bool, typer.Option("--pretend", help="Write nothing; print the page it would create.")
]


def _new(
    ctx: typer.Context,
    content_type: str | None,
    dest: Path,
    template: str | None,
    data_file: Path | None,
    data: list[str] | None,
    defaults: bool,
    show_help: bool,
    pretend: bool = False,
) -> None:
    with reporting_errors():
        from guidewright.cli.type_help import describe_type, options_help
        from guidewright.cli.wizard import content_type_names, run_wizard

        if show_help:
            typer.echo(options_help(ctx))
            describe_type(content_type, dest, template)
            return
        if content_type is None and (defaults or not sys.stdin.isatty()):
            names = ", ".join(content_type_names(dest, template))
            raise InvalidInput(f"TYPE: missing: name the content type to create (one of: {names})")
        # In a terminal, a missing content type is the first question (run_wizard asks it).
        run_wizard(
            content_type,
            dest,
            template,
            data_file,
            data_values(data or []),
            ctx.args,
            defaults,
            pretend,
        )


@app.command("new", context_settings=CONTEXT, add_help_option=False)
def new(
    ctx: typer.Context,
    content_type: Annotated[
        str | None, typer.Argument(metavar="TYPE", help="A content type of the template.")
    ] = None,
    dest: Dest = Path("."),
    template: Template = None,
    data_file: DataFile = None,
    data: Data = None,
    defaults: Defaults = False,
    pretend: Pretend = False,
    show_help: Help = False,
) -> None:
    """Create a document of any content type the template declares (see: guidewright types)."""
    _new(ctx, content_type, dest, template, data_file, data, defaults, show_help, pretend)


def _short_form(content_type: str, summary: str) -> None:
    """Register `new-<content_type>`, the short form of `new <content_type>`."""

    def command(
        ctx: typer.Context,
        dest: Dest = Path("."),
        template: Template = None,
        data_file: DataFile = None,
        data: Data = None,
        defaults: Defaults = False,
        pretend: Pretend = False,
        show_help: Help = False,
    ) -> None:
        _new(ctx, content_type, dest, template, data_file, data, defaults, show_help, pretend)

    command.__doc__ = summary
    app.command(f"new-{content_type}", context_settings=CONTEXT, add_help_option=False)(command)


_short_form("guide", "Create a new guide: short for `guidewright new guide`.")
_short_form("tutorial", "Create a new hands-on tutorial: short for `guidewright new tutorial`.")
