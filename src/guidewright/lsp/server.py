"""The language server: the sites it serves and `check`'s findings published as
diagnostics. Every judgement is `check`'s own, by the rules of its registry
(check/page_check.py through live_site.py); editing help is editing.py's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification
from pygls.workspace import Workspace
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from guidewright.core.errors import InvalidInput
from guidewright.core.shown_text import well_formed
from guidewright.lsp.lines import LineMap, LspWorkspace, lsp_lines
from guidewright.lsp.live_site import LiveSite
from guidewright.lsp.ranges import span_of
from guidewright.lsp.sites import ServedSite, Sites
from guidewright.rules.answers_drift import ANSWER_DRIFT
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.registry import REGISTRY, Registry
from guidewright.site.site import CONFIG_RELPATH

SOURCE = "guidewright"
# What a message refused when read becomes: a notification nobody handles (`$/` names
# what a server may ignore), so that reading goes on with the next message.
_REFUSED = JsonRPCNotification(method="$/guidewright/refused", jsonrpc="2.0", params=None)
# Findings the editor shows as information: a frontmatter value changed by hand differs
# from its recorded answer (GW504) on every intended edit until `update` runs; `check`
# still warns.
QUIET_WHILE_EDITING = frozenset({ANSWER_DRIFT.code})


class AnsweringProtocol(LanguageServerProtocol):
    """pygls, except that a request whose parameters cannot be read (a negative position)
    gets an error answer: pygls drops it unanswered, and a client then waits forever; and
    that documents split lines as the protocol does (lines.py)."""

    @property
    def _workspace(self) -> Workspace | None:
        return self._lsp_workspace

    @_workspace.setter
    def _workspace(self, given: Workspace | None) -> None:
        # pygls makes its workspace on `initialize`; ours, the same but for how its
        # documents split lines, takes its place before any document is opened.
        if given is not None and not isinstance(given, LspWorkspace):
            given = LspWorkspace(
                given.root_uri,
                given._sync_kind,
                list(given.folders.values()),
                given.position_encoding,
            )
        self._lsp_workspace = given

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


@dataclass(frozen=True)
class Place:
    """Where a document is: its site (by root folder) and its path in the docs folder."""

    root: Path
    live: LiveSite
    in_docs: str


class GuidewrightServer(LanguageServer):
    """A pygls server holding the sites it serves; `published` remembers what each open
    page was last told, so that a change elsewhere republishes only pages whose findings
    moved. `registry`: the rules it runs and whose fixes it offers. `watched`: whether
    the client tells of files changed on disk (else the server looks itself)."""

    def __init__(self, sites: Sites, registry: Registry = REGISTRY) -> None:
        super().__init__("guidewright", "1", protocol_cls=AnsweringProtocol)
        self.sites = sites
        self.registry = registry
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.watched = False
        self._said: set[str] = set()

    def say(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        """A message shown to the author, once a session."""
        if message not in self._said:
            self._said.add(message)
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def path_of(self, uri: str) -> Path | None:
        parts = urlsplit(uri)
        return Path(unquote(parts.path)) if parts.scheme == "file" else None

    def place(self, uri: str) -> Place | None:
        """The site and page a document is, None when it is no page of a site."""
        path = self.path_of(uri)
        if path is None:
            return None
        served, message = self.sites.for_page(path)
        if message:
            self.say(message)
        if served is None:
            return None
        in_docs = served.live.in_docs(path)
        return None if in_docs is None else Place(served.live.site.root, served.live, in_docs)

    def page_text(self, uri: str) -> str:
        """The open page's text as it is judged: well formed (a lone surrogate, which the
        Markdown parser cannot take, read as U+FFFD), every position where it was."""
        return well_formed(self.workspace.get_text_document(uri).source)

    def page_lines(self, uri: str) -> list[str]:
        """`page_text`'s lines, ends kept, as the protocol counts them."""
        return lsp_lines(self.page_text(uri))

    def ignored(self, live: LiveSite) -> frozenset[str]:
        """The codes the site's configuration turns off (`check: ignore`), as `check`."""
        try:
            return self.registry.ignored(
                live.site.config.check_ignore, f"{CONFIG_RELPATH}: check: ignore"
            )
        except InvalidInput as error:
            self.say(f"guidewright: {error}")
            return frozenset()

    def diagnostics(self, uri: str, text: str) -> list[types.Diagnostic]:
        place = self.place(uri)
        return [] if place is None else self.diagnostics_of(place, text)

    def diagnostics_of(self, place: Place, text: str) -> list[types.Diagnostic]:
        """`check`'s findings on a page with this text, as the protocol gives them."""
        check_lines = text.split("\n")  # as check counts lines: \u2028 or \x0c start none
        lines, to_lsp = lsp_lines(text), LineMap(text).to_lsp
        codec = self.workspace.position_codec
        ignored = self.ignored(place.live)
        found = []
        problems = place.live.problems(place.in_docs, text, dt.date.today(), self.registry)
        for problem in problems:
            if problem.code in ignored:
                continue
            span = span_of(problem, check_lines)
            server_range = ServerTextRange(
                ServerTextPosition(*to_lsp(span.line, span.start)),
                ServerTextPosition(*to_lsp(span.line, span.end)),
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
        """A site's index changed: every other open page whose findings move is told."""
        for uri in list(self.published):
            if uri != changed:
                self.publish(uri)

    def look_at_disk(self, root: Path, served: ServedSite, every_file: bool = False) -> bool:
        """What changed on disk in the site at `root` taken in (files created, moved,
        deleted, or rewritten; a changed configuration or template reads the site again,
        with the editor's open pages); True when open pages' findings may move."""
        if served.disk.config_changed() or served.live.template_changed():
            again, message = self.sites.reopen(root)
            if message:
                self.say(message)
            if again is not None:
                for uri in self.published:
                    place = self.place(uri)
                    if place is not None and place.root == root:
                        place.live.update(place.in_docs, self.page_text(uri))
            return True
        moved = served.live.answers_changed()
        changes = served.disk.changes(every_file)
        if not changes:
            return moved
        docs = served.live.site.docs_path
        places = [self.place(uri) for uri in self.published]
        open_pages = {p.in_docs for p in places if p is not None and p.root == root}
        for relpath, exists in changes:
            if relpath in open_pages:
                continue  # an open page: the editor's text is the truth
            path = docs / relpath
            moved |= served.live.file_changed(served.live.in_docs(path), path, exists)
        return moved


def _severity(problem: Problem) -> types.DiagnosticSeverity:
    if problem.code in QUIET_WHILE_EDITING:
        return types.DiagnosticSeverity.Information
    if problem.severity == ERROR:
        return types.DiagnosticSeverity.Error
    return types.DiagnosticSeverity.Warning
