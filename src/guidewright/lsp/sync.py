"""The editor's copy of each open page kept in its site's index: open, change, save,
close, and files changed on disk, as the client tells of them or, when it cannot, as the
server finds them itself (a look at the docs folder's folders before each judgement and
every second, at every file on save)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from guidewright.lsp.disk_watch import config_paths
from guidewright.lsp.live_site import read_page
from guidewright.lsp.server import GuidewrightServer
from guidewright.site.site import ANSWERS_DIR

# Seconds between two looks at the disk when the client watches no file for the server.
LOOK_EVERY = 1.0


def register(server: GuidewrightServer) -> None:
    """Document sync: open, change, save and close, and files changed on disk."""

    @server.feature(types.INITIALIZE)
    def initialize(ls: GuidewrightServer, params: types.InitializeParams) -> None:
        """The workspace's folders: where sites are (besides those above its pages)."""
        folders = [ls.path_of(f.uri) for f in params.workspace_folders or []]
        if not folders and params.root_uri:
            folders = [ls.path_of(params.root_uri)]
        ls.sites.folders = [f for f in folders if f is not None]

    @server.feature(types.INITIALIZED)
    def initialized(ls: GuidewrightServer, params: types.InitializedParams) -> None:
        """The workspace's sites read; the editor asked to tell of files changed on disk
        where it can be asked, else the server looks itself."""
        for message in ls.sites.open_workspace_sites():
            ls.say(message)
        workspace = ls.client_capabilities.workspace
        watching = workspace.did_change_watched_files if workspace else None
        ls.watched = bool(watching and watching.dynamic_registration)
        if ls.watched:
            watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in _globs(ls)]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration(
                id="guidewright-docs",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
        else:
            _look_later(ls, asyncio.get_running_loop())

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
        uri = params.text_document.uri
        path = ls.path_of(uri)
        root = ls.sites.root_of(path) if path else None
        served = ls.sites.served.get(root) if root else None
        if served and root and ls.look_at_disk(root, served, every_file=True):  # a save: look
            ls.others_again(uri)
        if ls.place(uri) is not None:
            _changed(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GuidewrightServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.published.pop(uri, None)
        place, path = ls.place(uri), ls.path_of(uri)
        if place is not None and path is not None:  # back to what the disk holds
            text = read_page(path, place.live.site) if path.is_file() else None
            if place.live.update(place.in_docs, text):
                ls.others_again(uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: GuidewrightServer, params: types.DidChangeWatchedFilesParams) -> None:
        moved = False
        for root, served in ls.sites:
            configs = set(config_paths(root))
            answers = root / ANSWERS_DIR
            changed = [(c, p) for c in params.changes if (p := ls.path_of(c.uri)) is not None]
            if any(path in configs for _, path in changed):
                moved |= ls.look_at_disk(root, served)  # read again, open pages kept
                continue
            if any(answers in path.parents for _, path in changed):  # edited in place, say
                served.live.reread_answers()
                moved = True
            for change, path in changed:
                if change.uri in ls.published:
                    continue  # an open page: the editor's text is the truth
                exists = change.type != types.FileChangeType.Deleted
                in_docs = served.live.in_docs(path)
                if in_docs is not None or served.live.site.docs_path in path.parents:
                    moved |= served.live.file_changed(in_docs, path, exists)
        if moved:
            ls.others_again(None)


def _globs(ls: GuidewrightServer) -> list[str]:
    """What the client is asked to watch: each site's docs and answers folders and its
    configuration files (sites found later are looked at by the server on save)."""
    globs = []
    for root, served in ls.sites:
        globs.append(f"{served.live.site.docs_path.as_posix()}/**/*")
        globs.append(f"{(root / ANSWERS_DIR).as_posix()}/**/*.yml")
        globs += [path.as_posix() for path in config_paths(root)]
    for folder in ls.sites.folders:  # sites not read yet
        globs.append(f"{folder.as_posix()}/**/*.md")
        globs += [f"{folder.as_posix()}/**/{path.name}" for path in config_paths(Path("."))]
    return globs


def _look_later(ls: GuidewrightServer, loop: asyncio.AbstractEventLoop) -> None:
    """Every `LOOK_EVERY` seconds, what changed on disk in each site taken in."""

    def look() -> None:
        try:
            moved = False
            for root, served in ls.sites:
                moved |= ls.look_at_disk(root, served)
            if moved:
                ls.others_again(None)
        finally:  # a look that failed (a file vanished mid-read) does not end the looking
            _look_later(ls, loop)

    loop.call_later(LOOK_EVERY, look)


def _changed(ls: GuidewrightServer, uri: str) -> None:
    moved = _take_in(ls, uri)
    ls.publish(uri, force=True)  # the changed page always hears back, for its version
    if moved:
        ls.others_again(uri)


def _take_in(ls: GuidewrightServer, uri: str) -> bool:
    """The open page's text into its site's index, and what changed on disk when the
    client does not tell (a link's target is looked for before it is said missing);
    True when other pages' findings may move."""
    place = ls.place(uri)
    if place is None:
        return False
    moved = False
    # The template may be outside the folders the client watches: its files are looked
    # at on every change (a few stats).
    if not ls.watched or place.live.template_changed():
        moved = ls.look_at_disk(place.root, ls.sites.served[place.root])
        place = ls.place(uri)  # the site may have been read again
        if place is None:
            return moved
    else:
        moved = place.live.answers_changed()
    return place.live.update(place.in_docs, ls.page_text(uri)) or moved
