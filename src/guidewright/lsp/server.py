"""The language server's wiring: protocol messages in, `check`'s findings and the question
model's help out. Every judgement is `check`'s own (documents/page_check.py through
live_site.py); editing help is editing.py's."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from guidewright.documents.problems import ERROR, RULES, Problem
from guidewright.lsp import editing
from guidewright.lsp.live_site import LiveSite, read_page
from guidewright.lsp.ranges import span_of

SOURCE = "guidewright"


class GuidewrightServer(LanguageServer):
    """A pygls server holding the live site; `published` remembers what each open page was
    last told, so that a change elsewhere republishes only pages whose findings moved."""

    def __init__(self, live: LiveSite) -> None:
        super().__init__("guidewright", "1")
        self.live = live
        self.published: dict[str, list[types.Diagnostic]] = {}

    def path_of(self, uri: str) -> Path | None:
        parts = urlsplit(uri)
        return Path(unquote(parts.path)) if parts.scheme == "file" else None

    def page_of(self, uri: str) -> str | None:
        path = self.path_of(uri)
        return self.live.in_docs(path) if path else None

    def diagnostics(self, uri: str, text: str) -> list[types.Diagnostic]:
        in_docs = self.page_of(uri)
        if in_docs is None:
            return []
        lines = text.split("\n")  # as check counts lines: \u2028 or \x0c start none
        codec = self.workspace.position_codec
        found = []
        for problem in self.live.problems(in_docs, text, dt.date.today()):
            span = span_of(problem, lines)
            server_range = ServerTextRange(
                ServerTextPosition(span.line, span.start), ServerTextPosition(span.line, span.end)
            )
            found.append(
                types.Diagnostic(
                    range=codec.range_to_client_units(lines, server_range),
                    message=f"{problem.field}: {problem.message}",
                    severity=_severity(problem),
                    code=problem.code,
                    source=SOURCE,
                    data={"field": problem.field, "message": problem.message},
                )
            )
        return found

    def publish(self, uri: str, force: bool = False) -> None:
        document = self.workspace.get_text_document(uri)
        found = self.diagnostics(uri, document.source)
        if force or self.published.get(uri) != found:
            self.published[uri] = found
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
            )

    def others_again(self, changed: str | None) -> None:
        """The site's index changed: every other open page whose findings move is told."""
        for uri in list(self.published):
            if uri != changed:
                self.publish(uri)


def _severity(problem: Problem) -> types.DiagnosticSeverity:
    if problem.severity == ERROR:
        return types.DiagnosticSeverity.Error
    return types.DiagnosticSeverity.Warning


def build_server(live: LiveSite) -> GuidewrightServer:
    server = GuidewrightServer(live)

    @server.feature(types.INITIALIZED)
    def initialized(ls: GuidewrightServer, params: types.InitializedParams) -> None:
        """Ask the editor to tell us of files changed on disk, where it can be asked."""
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        if watching and watching.dynamic_registration:
            docs = ls.live.site.docs_path.as_posix()
            watchers = [types.FileSystemWatcher(glob_pattern=f"{docs}/**/*")]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(
                id="guidewright-docs",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GuidewrightServer, params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        _take_in(ls, uri)
        ls.publish(uri, force=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GuidewrightServer, params: types.DidChangeTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GuidewrightServer, params: types.DidSaveTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GuidewrightServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.published.pop(uri, None)
        path, in_docs = ls.path_of(uri), ls.page_of(uri)
        if path is not None and in_docs is not None:  # back to what the disk holds
            text = read_page(path) if path.is_file() else None
            if ls.live.update(in_docs, text):
                ls.others_again(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GuidewrightServer, params: types.DidChangeWatchedFilesParams) -> None:
        moved = False
        for change in params.changes:
            path = ls.path_of(change.uri)
            if path is None or change.uri in ls.published:
                continue  # an open page: the editor's text is the truth
            exists = change.type != types.FileChangeType.Deleted
            moved |= ls.live.file_changed(ls.live.in_docs(path), path, exists)
        if moved:
            ls.others_again(None)

    editing.register(server)
    return server


def _changed(ls: GuidewrightServer, uri: str) -> None:
    moved = _take_in(ls, uri)
    ls.publish(uri, force=True)  # the changed page always hears back, for its version
    if moved:
        ls.others_again(uri)


def _take_in(ls: GuidewrightServer, uri: str) -> bool:
    """The open page's text into the index; True when other pages' findings may move."""
    in_docs = ls.page_of(uri)
    if in_docs is None:
        return False
    return ls.live.update(in_docs, ls.workspace.get_text_document(uri).source)


def serve(live: LiveSite, stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Serve until the client says exit; `stdout` is the protocol's alone."""
    server = build_server(live)
    try:
        server.start_io(stdin, stdout)
    finally:
        live.close()
        sys.stderr.flush()


__all__ = ["RULES", "serve"]
