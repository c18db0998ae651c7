"""The Typer application, the options every command shares, and how failures are shown."""

from __future__ import annotations

import contextlib
import difflib
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from guidewright.cli.given_flags import no_such_option
from guidewright.core.errors import GuidewrightError
from guidewright.core.shown_text import one_line

# The click Typer runs on: its own copy since Typer 0.22, click itself before.
_click_errors = sys.modules[typer.BadParameter.__module__]
USAGE = 2


class OneLineErrors(TyperGroup):
    """The command group whose usage errors (an unknown option or command, a bad value)
    are the one line every other error is, `error: <what>: <what is allowed>` with the
    closest real name, not Typer's boxed panel."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except _click_errors.NoArgsIsHelpError as bare:  # `guidewright` alone: its help
            typer.echo(bare.ctx.get_help())
            sys.exit(USAGE)
        except _click_errors.ClickException as error:
            typer.echo(f"error: {usage_error_line(error)}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:  # the input ended at a prompt (click's own Abort, or Typer's)
            typer.echo("cancelled: the input ended; nothing was written", err=True)
            sys.exit(CANCELLED)
        sys.exit(code if isinstance(code, int) else 0)


def usage_error_line(error: Exception) -> str:
    """`<what>: <what is allowed>` for one of click's usage errors, with the closest real
    option or command where one is near."""
    message = str(getattr(error, "message", error)).strip()
    ctx = getattr(error, "ctx", None)
    see = f"see: {ctx.command_path} --help" if ctx is not None else ""
    option = getattr(error, "option_name", None)
    if type(error).__name__ == "NoSuchOption" and ctx is not None:
        known = [o for p in ctx.command.params for o in [*p.opts, *p.secondary_opts]]
        return no_such_option(str(option), known, see)  # as `new` says it of its own
    if option and "requires an argument" in message:
        return f"{option}: needs a value" + (f" ({see})" if see else "")
    unknown_command = re.match(r"No such command '(.*?)'", message)
    if unknown_command and ctx is not None:
        name = unknown_command.group(1)
        commands = ctx.command.list_commands(ctx) if hasattr(ctx.command, "list_commands") else []
        close = difflib.get_close_matches(name, commands, n=1, cutoff=0.6)
        nearest = f"did you mean {close[0]}?" if close else f"commands: {', '.join(commands)}"
        return f"{name}: no such command ({nearest})"
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"{extra.group(1)}: unexpected argument" + (f" ({see})" if see else "")
    param = getattr(error, "param", None)
    named = getattr(error, "param_hint", None) or (param.opts[-1] if param and param.opts else None)
    if param is not None and not param.opts:
        named = param.human_readable_name  # an argument: TYPE, PATHS
    if type(error).__name__ == "MissingParameter":
        return f"{named}: missing" + (f" ({see})" if see else "")
    if named:
        return f"{str(named).strip(chr(39))}: {message.rstrip('.')}"
    return message.rstrip(".")


app = typer.Typer(
    name="guidewright",
    cls=OneLineErrors,
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
    # one_line: a name that is not UTF-8, or holds an escape, is shown escaped, not a crash
    # nor a terminal's escape sequence.
    typer.echo(f"error: {one_line(' '.join(message.split()))}", err=True)
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
    the bare name when PATH finds this one, else its path (after scripts/demo's install,
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
