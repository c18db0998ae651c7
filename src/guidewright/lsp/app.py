"""The language server assembled: one server, each feature module registering its
handlers, served over stdio."""

from __future__ import annotations

import sys
from typing import BinaryIO

from guidewright.lsp import actions, editing, navigation, rename, sync, tag_rename
from guidewright.lsp.server import GuidewrightServer
from guidewright.lsp.sites import Sites


def build_server(sites: Sites) -> GuidewrightServer:
    server = GuidewrightServer(sites)
    sync.register(server)
    editing.register(server)
    actions.register(server)
    navigation.register(server)
    rename.register(server)
    tag_rename.register(server)  # after actions: it adds to its code actions
    return server


def serve(sites: Sites, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Serve until the client says exit; `stdout` is the protocol's alone."""
    server = build_server(sites)
    try:
        server.start_io(stdin, stdout)
    finally:
        sites.close()
        sys.stderr.flush()
