"""A real LSP client (pygls's own) driving `guidewright lsp` over stdio, for the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from support import GUIDEWRIGHT, HANG, isolated_env

Value = TypeVar("Value")


class Session:
    """One server process and the diagnostics it published, per document URI."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.versions: dict[str, int] = {}
        self.changed = asyncio.Condition()
        self.texts: dict[str, str] = {}

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
        session = Session(client)

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with session.changed:
                session.diagnostics[params.uri] = list(params.diagnostics)
                session.changed.notify_all()

        await client.start_io(GUIDEWRIGHT, "lsp", cwd=str(cwd or site), env=isolated_env(home))
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

    return asyncio.run(main())
