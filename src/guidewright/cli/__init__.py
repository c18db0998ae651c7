"""The `guidewright` command: small Typer commands that parse, ask and call the core."""

from __future__ import annotations

import copy
import signal
import sys
from types import FrameType

import typer

from guidewright.cli import (  # noqa: F401
    adopt,
    check,
    init,
    lsp,
    mv,
    new,
    reading_path,
    report,
    schema,
    tags,
    template,
    update,
)
from guidewright.cli.app import app

__all__ = ["app", "main"]


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Run the command line. SIGTERM (a cancelled CI job) stops a command as Ctrl-C does,
    so that its clean-up runs and nothing is left half-written."""
    signal.signal(signal.SIGTERM, _terminate)
    only_the_command(app, sys.argv[1:])()


def only_the_command(whole: typer.Typer, args: list[str]) -> typer.Typer:
    """The application with only the command `args` run, when they name one: Typer makes
    a command of every function it holds before it runs one (reading each signature and
    its types, some 30 ms for them all), and a run of one command needs one (a pre-commit
    `check` of one page pays for start-up most). Anything else (`--help`, `--version`, a
    group such as `tags`, a name that is no command) runs the whole application, so what
    it says of the others is as before."""
    name = args[0] if args else ""
    chosen = [command for command in whole.registered_commands if command.name == name]
    if len(chosen) != 1 or any(group.name == name for group in whole.registered_groups):
        return whole
    narrowed = copy.copy(whole)  # the same settings, callback (`--version`) and error lines
    narrowed.registered_commands = chosen
    narrowed.registered_groups = []
    return narrowed
