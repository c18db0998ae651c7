"""The editor's copy of each open page kept in the site's index: open, change, save,
close, and files the editor saw change on disk."""

from __future__ import annotations

from lsprotocol import types

from guidewright.lsp.live_site import read_page
from guidewright.lsp.server import GuidewrightServer
from guidewright.site.site import ANSWERS_DIR


def register(server: GuidewrightServer) -> None:
    """Document sync: open, change, save and close, and files changed on disk."""

    @server.feature(types.INITIALIZED)
    def initialized(ls: GuidewrightServer, params: types.InitializedParams) -> None:
        """Ask the editor to tell us of files changed on disk, where it can be asked."""
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        if watching and watching.dynamic_registration:
            docs = ls.live.site.docs_path.as_posix()
            answers = (ls.live.site.root / ANSWERS_DIR).as_posix()
            watchers = [
                types.FileSystemWatcher(glob_pattern=f"{docs}/**/*"),
                types.FileSystemWatcher(glob_pattern=f"{answers}/**/*.yml"),
            ]
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
        moved = _take_in(ls, uri)
        ls.publish(uri, force=True)
        if moved:
            ls.others_again(uri)

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
            text = read_page(path, ls.live.site) if path.is_file() else None
            if ls.live.update(in_docs, text):
                ls.others_again(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GuidewrightServer, params: types.DidChangeWatchedFilesParams) -> None:
        moved = False
        answers = ls.live.site.root / ANSWERS_DIR
        for change in params.changes:
            path = ls.path_of(change.uri)
            if path is not None and answers in path.parents:  # edited in place, say
                ls.live.reread_answers()
                moved = True
                break
        for change in params.changes:
            path = ls.path_of(change.uri)
            if path is None or change.uri in ls.published:
                continue  # an open page: the editor's text is the truth
            exists = change.type != types.FileChangeType.Deleted
            moved |= ls.live.file_changed(ls.live.in_docs(path), path, exists)
        if moved:
            ls.others_again(None)


def _changed(ls: GuidewrightServer, uri: str) -> None:
    moved = _take_in(ls, uri)
    ls.publish(uri, force=True)  # the changed page always hears back, for its version
    if moved:
        ls.others_again(uri)


def _take_in(ls: GuidewrightServer, uri: str) -> bool:
    """The open page's text into the index, the answers files read again if they changed
    on disk (`update` ran: no page is behind any more); True when other pages' findings
    may move."""
    in_docs = ls.page_of(uri)
    if in_docs is None:
        return False
    answers_moved = ls.live.answers_changed()
    return ls.live.update(in_docs, ls.page_text(uri)) or answers_moved
