"""`guidewright new TYPE` (and its short forms `new-guide`, `new-tutorial`).

The options besides the fixed ones come from the template: every question is
`--its-name VALUE` (list questions repeat it), the block's short flags are aliases, and
`-d NAME=VALUE` answers any question as Copier's `-d` does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from guidewright.cli.app import Defaults, Dest, Template, app, reporting_errors
from guidewright.errors import InvalidInput

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


def parse_extra(args: list[str], is_flag_known: Any) -> dict[str, Any]:
    """`--name value`, `--name=value`, repeated for lists, into {flag: value or [values]}."""
    found: dict[str, list[str]] = {}
    index = 0
    while index < len(args):
        token = args[index]
        if not token.startswith("--") or token == "--":
            raise InvalidInput(f"{token}: unexpected argument (answers are --name VALUE)")
        flag, has_value, value = token.partition("=")
        if not has_value:
            if index + 1 >= len(args):
                raise InvalidInput(f"{flag}: needs a value")
            index += 1
            value = args[index]
        if not is_flag_known(flag):
            raise InvalidInput(f"{flag}: no such option (see: guidewright new TYPE --help)")
        found.setdefault(flag, []).append(value)
        index += 1
    return found


def _data_values(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, has_value, value = pair.partition("=")
        if not has_value or not name:
            raise InvalidInput(f"-d: {pair!r} must be NAME=VALUE")
        values[name] = value
    return values


def _new(
    ctx: typer.Context,
    content_type: str | None,
    dest: Path,
    template: str | None,
    data_file: Path | None,
    data: list[str] | None,
    defaults: bool,
    show_help: bool,
) -> None:
    with reporting_errors():
        from guidewright.cli.wizard import ask_content_type, describe_type, run_wizard

        if show_help or (content_type is None and (defaults or not sys.stdin.isatty())):
            typer.echo(ctx.get_help())
            describe_type(content_type, dest, template)
            return
        if content_type is None:  # in a terminal, the content type is the first question
            content_type = ask_content_type(dest, template)
        run_wizard(
            content_type, dest, template, data_file, _data_values(data or []), ctx.args, defaults
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
    show_help: Help = False,
) -> None:
    """Create a document of any content type the template declares (see: guidewright types)."""
    _new(ctx, content_type, dest, template, data_file, data, defaults, show_help)


def _short_form(content_type: str, summary: str) -> None:
    """Register `new-<content_type>`, the short form of `new <content_type>`."""

    def command(
        ctx: typer.Context,
        dest: Dest = Path("."),
        template: Template = None,
        data_file: DataFile = None,
        data: Data = None,
        defaults: Defaults = False,
        show_help: Help = False,
    ) -> None:
        _new(ctx, content_type, dest, template, data_file, data, defaults, show_help)

    command.__doc__ = summary
    app.command(f"new-{content_type}", context_settings=CONTEXT, add_help_option=False)(command)


_short_form("guide", "Create a new guide: short for `guidewright new guide`.")
_short_form("tutorial", "Create a new hands-on tutorial: short for `guidewright new tutorial`.")
