"""A real LSP client (pygls's own) driving `guidewright lsp` over stdio, for the tests.

The server is a process of its own talking over its stdin and stdout, forked from
forked_command.py's launcher, which has imported guidewright and the server's modules: a
server started from the installed entry point first pays a fresh interpreter and those
imports (about 0.7 s of CPU, more than most sessions take once started). The entry point
itself is started by the tests of it (test_lsp.py, test_lsp_neovim.py)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from forked_command import ForkedCommand
from lsprotocol import types
from lsprotocol.types import CodeAction, Command
from pygls.io_ import run_async
from pygls.lsp.client import LanguageClient
from support import HANG, isolated_env

Value = TypeVar("Value")


class Session:
    """One server process and the diagnostics it published, per document URI."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.changed = asyncio.Condition()
        self.texts: dict[str, str] = {}
        self.messages: list[types.ShowMessageParams] = []  # window/showMessage, in order
        self.applied: list[types.WorkspaceEdit] = []  # workspace/applyEdit, each accepted

    async def wait_for(
        self, uri: str, until: Callable[[list[types.Diagnostic]], bool], timeout: float = HANG
    ) -> list[types.Diagnostic]:
        async def ready() -> list[types.Diagnostic]:
            async with self.changed:
                await self.changed.wait_for(
                    lambda: uri in self.diagnostics and until(self.diagnostics[uri])
                )
                return self.diagnostics[uri]

        return await asyncio.wait_for(ready(), timeout)

    async def message(self, timeout: float = HANG) -> types.ShowMessageParams:
        """The next window/showMessage not taken yet."""

        async def ready() -> types.ShowMessageParams:
            async with self.changed:
                await self.changed.wait_for(lambda: bool(self.messages))
                return self.messages.pop(0)

        return await asyncio.wait_for(ready(), timeout)

    def open(self, path: Path, text: str | None = None) -> str:
        uri = path.as_uri()
        text = path.read_text("utf-8") if text is None else text
        self.texts[uri] = text
        self.versions[uri] = 1
        item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        return uri

    def change(self, uri: str, text: str) -> None:
        """The whole text replaced, as an editor may send it."""
        self.versions[uri] += 1
        self.texts[uri] = text
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[whole])
        )

    def edit(self, uri: str, line: int, start: int, end: int, new: str) -> None:
        """An incremental change on one line (characters in UTF-16 code units)."""
        self.versions[uri] += 1
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri])
        where = types.Range(types.Position(line, start), types.Position(line, end))
        part = types.TextDocumentContentChangePartial(range=where, text=new)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[part])
        )


def _command_or_action(client: LanguageClient, found: Any) -> types.Command | types.CodeAction:
    """A code action's answer item as the protocol tells them apart: a Command's `command`
    is its name, a CodeAction's a Command (lsprotocol reads any item with a `command` as a
    Command, a CodeAction carrying one included: a client's bug, not the server's)."""
    converter = client.protocol._converter
    if isinstance(found.get("command"), str):
        return converter.structure(found, types.Command)  # type: ignore[no-any-return]
    return converter.structure(found, types.CodeAction)  # type: ignore[no-any-return]


def run_session(
    site: Path,
    home: Path,
    body: Callable[[Session], Awaitable[Value]],
    cwd: Path | None = None,
    **initialize: Any,
) -> Value:
    """Start `guidewright lsp` in `cwd` (default: `site`, which is the workspace's root
    unless `initialize` says otherwise), initialise it, run `body`, shut it down."""

    async def main() -> Value:
        client = LanguageClient("guidewright-tests", "1")
        client.protocol._converter.register_structure_hook(
            Command | CodeAction, lambda found, _: _command_or_action(client, found)
        )
        session = Session(client)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with session.changed:
                session.diagnostics[params.uri] = list(params.diagnostics)
                session.changed.notify_all()

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        async def shown(params: types.ShowMessageParams) -> None:
            async with session.changed:
                session.messages.append(params)
                session.changed.notify_all()

        @client.feature(types.WORKSPACE_APPLY_EDIT)
        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            session.applied.append(params.edit)
            return types.ApplyWorkspaceEditResult(applied=True)

        to_server = await _start_forked(client, cwd or site, isolated_env(home))
        capabilities = initialize.pop("capabilities", types.ClientCapabilities())
        initialize.setdefault("root_uri", site.as_uri())
        await client.initialize_async(
            types.InitializeParams(capabilities=capabilities, process_id=None, **initialize)
        )
        client.initialized(types.InitializedParams())
        try:
            return await body(session)
        finally:
            await client.shutdown_async(None)
            client.exit(None)
            await client.stop()
            to_server.close()

    return asyncio.run(main())


class _ForkedServer:
    """What pygls's client uses of the server process it started (`pid`, `returncode`,
    `await wait()`), for a run forked from the launcher: one thread waits for it."""

    def __init__(self, run: ForkedCommand) -> None:
        self.run = run
        self.pid = run.pid
        self.returncode: int | None = None
        self._ended: asyncio.Future[None] | None = None

    async def wait(self) -> int | None:
        if self._ended is None:
            self._ended = asyncio.ensure_future(asyncio.to_thread(self._wait))
        await asyncio.shield(self._ended)
        return self.returncode

    def _wait(self) -> None:
        self.returncode = self.run.wait(HANG)


async def _start_forked(
    client: LanguageClient, cwd: Path, environment: Mapping[str, str]
) -> asyncio.WriteTransport:
    """What `client.start_io(GUIDEWRIGHT, "lsp", cwd=cwd, env=environment)` does, with the
    server forked from the launcher: its stdin and stdout are pipes to this client. The
    pipe to the server is returned, for the caller to close once the client stopped."""
    server_in, to_server = os.pipe()
    from_server, server_out = os.pipe()
    try:
        run = ForkedCommand(("lsp",), cwd, environment, stdio=(server_in, server_out))
    finally:
        os.close(server_in)  # the server holds its own copies: end of file when it ends
        os.close(server_out)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader),
        open(from_server, "rb", buffering=0),  # noqa: SIM115  (its transport's)
    )
    transport, flow = await loop.connect_write_pipe(
        asyncio.streams.FlowControlMixin,
        open(to_server, "wb", buffering=0),  # noqa: SIM115  (its transport's)
    )
    client.protocol.set_writer(asyncio.StreamWriter(transport, flow, None, loop))
    server = _ForkedServer(run)
    connection = asyncio.create_task(
        run_async(
            stop_event=client._stop_event,
            reader=reader,
            protocol=client.protocol,
            logger=logging.getLogger("pygls.client"),
            error_handler=client.report_server_error,
        )
    )
    client._server = server  # type: ignore[assignment]  # what start_io keeps
    client._async_tasks.extend([connection, asyncio.create_task(client._server_exit())])
    return transport
