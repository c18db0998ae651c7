"""The `guidewright` command: small Typer commands that parse, ask and call the core."""

from __future__ import annotations

import signal
from types import FrameType

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
    app()
