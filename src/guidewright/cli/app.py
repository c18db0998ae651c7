"""The Typer application, the options every command shares, and how failures are shown."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from guidewright.core.errors import GuidewrightError

app = typer.Typer(
    name="guidewright",
    help="Create, check and update interview-preparation guides and tutorials.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        typer.echo(f"guidewright {version('guidewright')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Create, check and update interview-preparation guides and tutorials."""


INTERRUPTED = 130

Dest = Annotated[Path, typer.Option("--dest", help="Root folder of the site.")]
Template = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="Copier template source (path or git URL); default: the site's, else the bundled one.",
    ),
]
Defaults = Annotated[
    bool, typer.Option("--defaults", help="Ask nothing: use defaults for what is not given.")
]


class Cancelled(Exception):
    """The author chose to stop: said as a plain line (no `error:`), exit 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


CANCELLED = 1


def fail(message: str, code: int) -> typer.Exit:
    """Print the one-line error and give the exit to raise."""
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
    except Cancelled as cancelled:
        typer.echo(cancelled.message, err=True)
        raise typer.Exit(CANCELLED) from None
    except GuidewrightError as error:
        raise fail(error.message, error.exit_code) from None
    except KeyboardInterrupt:
        raise fail(interrupted, INTERRUPTED) from None


def runnable(name: str) -> str:
    """How to run this installation's `name` (guidewright, mkdocs) from the current folder:
    the bare name when PATH finds this one, else its path (after the README's install,
    `.venv/bin/guidewright`: the virtual environment is not on PATH)."""
    import os
    import shutil
    import sys

    installed = Path(sys.executable).parent / name
    found = shutil.which(name)
    if found and Path(found).resolve() == installed.resolve():
        return name
    if not installed.is_file():
        return name
    relative = os.path.relpath(installed)
    return relative if len(relative) < len(str(installed)) else str(installed)
