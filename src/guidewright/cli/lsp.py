"""`guidewright lsp`: the language server, over stdio, for the site it is started in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from guidewright.cli.app import Dest, Template, app, reporting_errors


@app.command("lsp")
def lsp(dest: Dest = Path("."), template: Template = None) -> None:
    """Serve the Language Server Protocol over stdio: check's findings as you type, help,
    completion and fixes for the site's pages (for an editor to start, not a person)."""
    with reporting_errors():
        from guidewright.lsp.live_site import open_live_site
        from guidewright.site.site import load_site

        site = load_site(dest)
        live = open_live_site(site, template)
    from guidewright.lsp.app import serve

    # Nothing but protocol messages may reach stdout: the protocol gets its own copy of
    # the real stdout, and file descriptor 1 (print, a library's stray output, a child
    # process's) becomes stderr.
    sys.stdout.flush()
    protocol_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(live, sys.stdin.buffer, protocol_out)
