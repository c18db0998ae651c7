"""The language server: the live site it holds and `check`'s findings published as
diagnostics. Every judgement is `check`'s own, by the rules of its registry
(check/page_check.py through live_site.py); editing help is editing.py's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from guidewright.core.shown_text import well_formed
from guidewright.lsp.live_site import LiveSite
from guidewright.lsp.ranges import span_of
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.registry import REGISTRY, Registry

SOURCE = "guidewright"
# What a message refused when read becomes: a notification nobody handles (`$/` names
# what a server may ignore), so that reading goes on with the next message.
_REFUSED = JsonRPCNotification(method="$/guidewright/refused", jsonrpc="2.0", params=None)


class AnsweringProtocol(LanguageServerProtocol):
    """pygls, except that a request whose parameters cannot be read (a negative position)
    gets an error answer: pygls drops it unanswered, and a client then waits forever."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The message `data` holds; a refused request is answered at once."""
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams as refused:
            if "id" not in data or "method" not in data:
                return _REFUSED  # a notification has no one to answer
            cause: BaseException | None = refused.__cause__
            while isinstance(cause, BaseExceptionGroup):  # cattrs: the field that failed
                cause = cause.exceptions[0]
            reason = str(cause).splitlines()[0] if cause else refused.MESSAGE
            self._send_response(
                data["id"], error=types.ResponseError(JsonRpcInvalidParams.CODE, reason)
            )
            return _REFUSED


class GuidewrightServer(LanguageServer):
    """A pygls server holding the live site; `published` remembers what each open page was
    last told, so that a change elsewhere republishes only pages whose findings moved.
    `registry`: the rules it runs and whose fixes it offers."""

    def __init__(self, live: LiveSite, registry: Registry = REGISTRY) -> None:
        super().__init__("guidewright", "1", protocol_cls=AnsweringProtocol)
        self.live = live
        self.registry = registry
        self.published: dict[str, list[types.Diagnostic]] = {}

    def path_of(self, uri: str) -> Path | None:
        parts = urlsplit(uri)
        return Path(unquote(parts.path)) if parts.scheme == "file" else None

    def page_text(self, uri: str) -> str:
        """The open page's text as it is judged: well formed (a lone surrogate, which the
        Markdown parser cannot take, read as U+FFFD), every position where it was."""
        return well_formed(self.workspace.get_text_document(uri).source)

    def page_lines(self, uri: str) -> list[str]:
        """`page_text`'s lines, ends kept, as pygls splits a document."""
        return self.page_text(uri).splitlines(keepends=True)

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
        for problem in self.live.problems(in_docs, text, dt.date.today(), self.registry):
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
        found = self.diagnostics(uri, self.page_text(uri))
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
