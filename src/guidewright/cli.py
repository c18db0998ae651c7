"""The `guidewright` command: Typer commands that parse, ask and call the core."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from . import schema
from .errors import GuidewrightError

app = typer.Typer(
    name="guidewright",
    help="Create, check and update interview-preparation guides and tutorials.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

INTERRUPTED = 130

Dest = Annotated[Path, typer.Option("--dest", help="Root folder of the site.")]
Template = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Copier template source (path or git URL); default: the site's, else the bundled one.",
    ),
]
DataFile = Annotated[
    Path | None,
    typer.Option("--data-file", help="YAML mapping of answers; flags win over it."),
]
Defaults = Annotated[
    bool, typer.Option("--defaults", help="Ask nothing: use defaults for what is not given.")
]


def fail(message: str, code: int) -> typer.Exit:
    one_line = " ".join(message.split())
    typer.echo(f"error: {one_line}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def reporting_errors() -> Iterator[None]:
    """Our own failures become one line and an exit code; others keep their traceback."""
    try:
        yield
    except GuidewrightError as error:
        raise fail(error.message, error.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted; nothing was written", INTERRUPTED) from None


def _field_parameter(field: schema.Field) -> inspect.Parameter:
    repeat = " Repeat the flag for each item." if field.kind.is_list else ""
    option = typer.Option(
        field.flag,
        help=f"{field.help}: {field.rule.removeprefix('must be ')}.{repeat}",
        rich_help_panel="Document fields",
        show_default=False,
    )
    value_type = list[str] | None if field.kind.is_list else str | None
    return inspect.Parameter(
        field.key, inspect.Parameter.KEYWORD_ONLY, default=None,
        annotation=Annotated[value_type, option],
    )  # fmt: skip


def with_schema_fields(content_type: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a wizard command one flag per schema field; it receives them as `fields`."""
    fields = [f for f in schema.fields_for(content_type) if f.key not in schema.NOT_ASKED]

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        own = [p for p in inspect.signature(command).parameters.values() if p.name != "fields"]
        parameters = own + [_field_parameter(f) for f in fields]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> None:
            given = {f.key: kwargs.pop(f.key) for f in fields}
            command(fields={k: v for k, v in given.items() if v}, **kwargs)

        del wrapper.__wrapped__  # Typer must see the new signature, not the wrapped one.
        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate


def _new_document(
    content_type: str,
    dest: Path,
    template: str | None,
    data_file: Path | None,
    defaults: bool,
    fields: dict[str, Any],
) -> None:
    from .wizard import run_wizard

    with reporting_errors():
        run_wizard(content_type, dest, template, data_file, defaults, fields)


@app.command("new-guide")
@with_schema_fields("guide")
def new_guide(
    fields: dict[str, Any],
    dest: Dest = Path("."),
    template: Template = None,
    data_file: DataFile = None,
    defaults: Defaults = False,
) -> None:
    """Create a new guide from the guide template."""
    _new_document("guide", dest, template, data_file, defaults, fields)


@app.command("new-tutorial")
@with_schema_fields("tutorial")
def new_tutorial(
    fields: dict[str, Any],
    dest: Dest = Path("."),
    template: Template = None,
    data_file: DataFile = None,
    defaults: Defaults = False,
) -> None:
    """Create a new hands-on tutorial from the tutorial template."""
    _new_document("tutorial", dest, template, data_file, defaults, fields)


def main() -> None:
    app()
