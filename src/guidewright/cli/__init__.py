"""The `guidewright` command: Typer commands that parse, ask and call the core."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from guidewright import schema
from guidewright.errors import GuidewrightError

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
def reporting_errors(
    interrupted: str = "interrupted; nothing was written",
) -> Iterator[None]:
    """Our own failures become one line and an exit code; others keep their traceback."""
    try:
        yield
    except GuidewrightError as error:
        raise fail(error.message, error.exit_code) from None
    except KeyboardInterrupt:
        raise fail(interrupted, INTERRUPTED) from None


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
    from guidewright.cli.wizard import run_wizard

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


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class ContentTypeName(StrEnum):
    guide = "guide"
    tutorial = "tutorial"


@app.command("check")
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents or folders (default: the docs folder).")
    ] = None,
    dest: Dest = Path("."),
    output: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")] = False,
) -> None:
    """Report every problem of the site's documents: schema, links, placeholders."""
    import datetime as dt
    import json

    from guidewright.documents.check import ERROR, check_site
    from guidewright.documents.site import load_site

    with reporting_errors():
        problems, checked = check_site(load_site(dest), paths or None, dt.date.today())
    errors = [p for p in problems if p.severity == ERROR or strict]
    if output is OutputFormat.json:
        typer.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in problems:
            label = "" if p.severity == ERROR else f"{p.severity}: "
            typer.echo(f"{p.path}:{p.line}: {p.field}: {label}{p.message}")
        warnings = len(problems) - sum(p.severity == ERROR for p in problems)
        typer.echo(
            f"{checked} documents checked: {len(problems) - warnings} errors, {warnings} warnings"
        )
    raise typer.Exit(1 if errors else 0)


@app.command("schema")
def schema_command(
    content_type: Annotated[
        ContentTypeName | None, typer.Argument(help="guide or tutorial (default: both).")
    ] = None,
) -> None:
    """Print the frontmatter's JSON Schema (draft 2020-12)."""
    import json

    from guidewright.template.json_schema import frontmatter_json_schema

    chosen = content_type.value if content_type else None
    typer.echo(json.dumps(frontmatter_json_schema(chosen), indent=2, ensure_ascii=False))


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
    from guidewright.documents.init_site import init_site

    with reporting_errors():
        written = init_site(site, content_owner, template)
    typer.echo(f"Created a site in {site} ({len(written)} files). Next:")
    typer.echo(f"  guidewright new-guide --dest {site}")
    typer.echo(f"  mkdocs serve -f {site / 'mkdocs.yml'}")


@app.command("update")
def update(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Documents to update (default: all with answers).")
    ] = None,
    dest: Dest = Path("."),
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", help="Template version (default: the newest).")
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Write nothing; show the diff it would apply.")
    ] = False,
    defaults: Defaults = False,
) -> None:
    """Re-apply the template's newest version to every document, keeping all author edits."""
    from guidewright.cli.update_screen import run_update

    # Each file is written atomically, but an interrupt may fall between two documents.
    with reporting_errors("interrupted; each document is either updated or untouched: git status"):
        code = run_update(paths or None, dest, vcs_ref, pretend, defaults)
    raise typer.Exit(code)


def main() -> None:
    app()
