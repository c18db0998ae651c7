"""The language server assembled: one server, each feature module registering its
handlers, served over stdio."""

from __future__ import annotations

import sys
from typing import BinaryIO

from guidewright.lsp import actions, editing, rename, sync
from guidewright.lsp.live_site import LiveSite
from guidewright.lsp.server import GuidewrightServer


def build_server(live: LiveSite) -> GuidewrightServer:
    server = GuidewrightServer(live)
    sync.register(server)
    editing.register(server)
    actions.register(server)
    rename.register(server)
    return server


def serve(live: LiveSite, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Serve until the client says exit; `stdout` is the protocol's alone."""
    server = build_server(live)
    try:
        server.start_io(stdin, stdout)
    finally:
        live.close()
        sys.stderr.flush()
