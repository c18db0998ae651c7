"""The `guidewright` command: small Typer commands that parse, ask and call the core."""

from __future__ import annotations

from guidewright.cli import check, init, new, schema, template, update  # noqa: F401  (registers)
from guidewright.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line."""
    app()
