"""`guidewright lsp`: the language server, over stdio, for the sites of the pages an
editor opens (whatever folder it is started in)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from guidewright.cli.app import Template, app, reporting_errors
from guidewright.core.signals import finalizer_interrupt_raised

ServedDest = Annotated[
    Path | None,
    typer.Option(
        "--dest",
        help="A site to read at start (its errors stop the server); by default each page's "
        "site is found from the page: the nearest folder above it with mkdocs.yml, "
        "properdocs.yml or zensical.toml, else the editor's workspace folder.",
    ),
]


@app.command("lsp")
def lsp(dest: ServedDest = None, template: Template = None) -> None:
    """Serve the Language Server Protocol over stdio: check's findings as you type, help,
    completion and fixes for the pages of each site the editor opens a page of (for an
    editor to start, not a person)."""
    with reporting_errors():
        # Imported here: the other commands start without the language server's modules.
        from guidewright.lsp.sites import Sites
        from guidewright.site.site import load_site

        sites = Sites(template)
        if dest is not None:
            sites.add(load_site(dest))
    from guidewright.lsp.app import serve

    # A Ctrl-C a finalizer took while the server loaded stops it here: once its loop runs,
    # the loop raises those itself (core/signals.py), and this one would otherwise wait
    # for the first command that writes, hours later maybe.
    finalizer_interrupt_raised()
    # Nothing but protocol messages may reach stdout: the protocol gets its own copy of
    # the real stdout, and file descriptor 1 (print, a library's stray output, a child
    # process's) becomes stderr.
    sys.stdout.flush()
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sites, sys.stdin.buffer, protocol_out)
