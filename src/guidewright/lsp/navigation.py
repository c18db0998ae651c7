"""Finding one's way in a site: a page's outline (its headings, as document symbols and
folding ranges, the frontmatter folding too), go-to-definition of a link or a listed
prerequisite (the page, or the heading its anchor names), the references to a page or
to one of its headings from every page of the site, and the findings of pages that are
not open (the pull model's `workspace/diagnostic`). Headings' ids are made as `check`
makes them (rules/links.py), links read by the same parser (markdown/pyromark.py)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition, ServerTextRange

from guidewright.core.errors import FrontmatterError
from guidewright.lsp.lines import LineMap, lsp_lines
from guidewright.lsp.live_site import read_page
from guidewright.lsp.page_text import LIST_ITEM, head_of, owning_key
from guidewright.lsp.server import Place
from guidewright.markdown import frontmatter, pyromark
from guidewright.markdown.slugs import heading_slug
from guidewright.rules.links import heading_ids

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer

Answer = TypeVar("Answer")


@dataclass(frozen=True)
class Heading:
    """A heading of a page: its level, text and id, and where it is (0-based lines as
    `check` counts them, 0-based columns in code points)."""

    level: int
    text: str
    anchor: str | None
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class PageLink:
    """A link of a page: its target, and where it is written (as `Heading`)."""

    target: str
    line: int
    start: int
    end_line: int
    end: int


def _body(text: str) -> tuple[str, int]:
    """The Markdown after the frontmatter, and the 0-based line it starts on."""
    try:
        parts = frontmatter.split(text.removeprefix("\ufeff"))
    except FrontmatterError:
        parts = None
    return (parts[1], parts[2]) if parts else (text, 0)


def headings_of(text: str, live: LiveSite) -> list[Heading]:
    body, shift = _body(text)
    outline = pyromark.read(body, headings=True, list_items=False)
    slug = heading_slug(live.site.profile.markdown)
    ids: list[str | None] = (
        list(heading_ids(outline.headings, slug)) if slug else [None] * len(outline.headings)
    )
    return [
        Heading(
            h.level,
            " ".join(h.text.split()),
            anchor,
            h.start.line - 1 + shift,
            h.start.column - 1,
            h.end.column - 1,
        )
        for h, anchor in zip(outline.headings, ids, strict=True)
    ]


def links_of(text: str) -> list[PageLink]:
    body, shift = _body(text)
    outline = pyromark.read(body, headings=False, list_items=False)
    return [
        PageLink(
            link.target,
            link.start.line - 1 + shift,
            link.start.column - 1,
            link.end.line - 1 + shift,
            link.end.column - 1,
        )
        for link in outline.links
    ]


def resolve(in_docs: str, target: str) -> tuple[str, str] | None:
    """(page in the docs folder, anchor) a link of `in_docs` leads to; None for a link
    out of the site (a URL, a path above the docs folder)."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return in_docs, parts.fragment
    joined = (
        path.lstrip("/")
        if path.startswith("/")
        else posixpath.join(posixpath.dirname(in_docs), path)
    )
    page = posixpath.normpath(joined)
    if page.startswith("../") or page == "..":
        return None
    if page.endswith("/") or not posixpath.splitext(page)[1]:
        page = posixpath.join(page, "index.md")
    return page, parts.fragment


class Texts:
    """Pages' texts: the editor's for open pages, else the disk's."""

    def __init__(self, ls: GuidewrightServer, live: LiveSite) -> None:
        self.ls, self.live = ls, live
        self.open: dict[Path, str] = {}
        for uri in ls.workspace.text_documents:
            path = ls.path_of(uri)
            if path is not None:
                self.open[path.resolve()] = ls.page_text(uri)

    def of(self, in_docs: str) -> str | None:
        path = self.live.site.docs_path / in_docs
        found = self.open.get(path.resolve())
        return found if found is not None else read_page(path, self.live.site)


def _range(
    codec: PositionCodec,
    text: str,
    lines: list[str],
    line: int,
    start: int,
    end_line: int,
    end: int,
) -> types.Range:
    to_lsp = LineMap(text).to_lsp
    server = ServerTextRange(
        ServerTextPosition(*to_lsp(line, start)), ServerTextPosition(*to_lsp(end_line, end))
    )
    return codec.range_to_client_units(lines, server)


def sections(headings: list[Heading], last_line: int) -> list[tuple[Heading, int]]:
    """Each heading with the last line of its section: before the next heading of its
    level or above, blank lines at its end left out by the caller."""
    found = []
    for number, heading in enumerate(headings):
        end = last_line
        for later in headings[number + 1 :]:
            if later.level <= heading.level:
                end = later.line - 1
                break
        found.append((heading, max(end, heading.line)))
    return found


def document_symbols(ls: GuidewrightServer, uri: str, place: Place) -> list[types.DocumentSymbol]:
    text = ls.page_text(uri)
    lines, codec = lsp_lines(text), ls.workspace.position_codec
    check_lines = text.split("\n")
    roots: list[types.DocumentSymbol] = []
    open_ones: list[tuple[int, list[types.DocumentSymbol]]] = []  # level, children
    for heading, end in sections(headings_of(text, place.live), len(check_lines) - 1):
        while end > heading.line and not check_lines[end].strip():
            end -= 1
        children: list[types.DocumentSymbol] = []
        symbol = types.DocumentSymbol(
            name=heading.text or "(empty heading)",
            detail=f"#{heading.anchor}" if heading.anchor else None,
            kind=types.SymbolKind.String,
            range=_range(
                codec, text, lines, heading.line, 0, end, len(check_lines[end].rstrip("\r"))
            ),
            selection_range=_range(
                codec, text, lines, heading.line, heading.start, heading.line, heading.end
            ),
            children=children,
        )
        while open_ones and open_ones[-1][0] >= heading.level:
            open_ones.pop()
        (open_ones[-1][1] if open_ones else roots).append(symbol)
        open_ones.append((heading.level, children))
    return roots


def folding_ranges(ls: GuidewrightServer, uri: str, place: Place) -> list[types.FoldingRange]:
    text = ls.page_text(uri)
    lines = lsp_lines(text)
    to_lsp = LineMap(text).to_lsp
    found = []
    head = head_of(lines)
    if head is not None and head.closing > 0:
        found.append(
            types.FoldingRange(
                start_line=0, end_line=head.closing, kind=types.FoldingRangeKind.Region
            )
        )
    check_lines = text.split("\n")
    for heading, end in sections(headings_of(text, place.live), len(check_lines) - 1):
        while end > heading.line and not check_lines[end].strip():
            end -= 1
        first, last = to_lsp(heading.line, 0)[0], to_lsp(end, 0)[0]
        if last > first:
            found.append(
                types.FoldingRange(
                    start_line=first, end_line=last, kind=types.FoldingRangeKind.Region
                )
            )
    return found


def _target_at(
    ls: GuidewrightServer, uri: str, place: Place, position: types.Position
) -> tuple[str, str] | None:
    """(page, anchor) of the link or listed document under the cursor."""
    text = ls.page_text(uri)
    lines = lsp_lines(text)
    at = ls.workspace.position_codec.position_from_client_units(lines, position)
    to_lsp = LineMap(text).to_lsp
    for link in links_of(text):
        start, end = to_lsp(link.line, link.start), to_lsp(link.end_line, link.end)
        if start <= (at.line, at.character) <= end:
            return resolve(place.in_docs, link.target)
    head = head_of(lines)
    if head is not None and 0 < at.line < head.closing:
        key = owning_key(lines, at.line)
        block = place.live.judge_of(place.in_docs).block
        if key and block.suggestions.get(key) == "site-documents":
            for item in LIST_ITEM.finditer(lines[at.line]):
                if item.start(1) <= at.character <= item.end(1):
                    return item.group(1).strip("\"'"), ""
    return None


def definition(
    ls: GuidewrightServer, uri: str, place: Place, position: types.Position
) -> types.Location | None:
    target = _target_at(ls, uri, place, position)
    if target is None:
        return None
    page, anchor = target
    live = place.live
    if page not in live.files:
        return None
    path = live.site.docs_path / page
    where = types.Range(types.Position(0, 0), types.Position(0, 0))
    if anchor and page.endswith(".md"):
        text = Texts(ls, live).of(page)
        heading = (
            next((h for h in headings_of(text, live) if h.anchor == anchor), None) if text else None
        )
        if text is not None and heading is not None:
            where = _range(
                ls.workspace.position_codec,
                text,
                lsp_lines(text),
                heading.line,
                heading.start,
                heading.line,
                heading.end,
            )
    return types.Location(uri=path.as_uri(), range=where)


def references(
    ls: GuidewrightServer, uri: str, place: Place, position: types.Position
) -> list[types.Location]:
    """Every link of the site to this page (or, on a heading, to that heading's anchor),
    and each page listing it in its frontmatter (its prerequisites)."""
    text = ls.page_text(uri)
    lines = lsp_lines(text)
    at = ls.workspace.position_codec.position_from_client_units(lines, position)
    target = _target_at(ls, uri, place, position)
    if target is None:
        on = next(
            (
                h
                for h in headings_of(text, place.live)
                if LineMap(text).to_lsp(h.line, 0)[0] == at.line
            ),
            None,
        )
        target = (place.in_docs, on.anchor or "") if on else (place.in_docs, "")
    page, anchor = target
    live, texts = place.live, Texts(ls, place.live)
    name = posixpath.basename(page)
    codec = ls.workspace.position_codec
    found = []
    for other in sorted(live.pages):
        other_text = texts.of(other)
        if other_text is None or (
            name not in other_text and not (other == page and "#" in other_text)
        ):
            continue  # no link to the page can be written without its file name
        other_lines = lsp_lines(other_text)
        other_uri = (live.site.docs_path / other).as_uri()
        for link in links_of(other_text):
            if resolve(other, link.target) == (page, anchor) or (
                not anchor and (resolve(other, link.target) or ("",))[0] == page
            ):
                where = _range(
                    codec, other_text, other_lines, link.line, link.start, link.end_line, link.end
                )
                found.append(types.Location(uri=other_uri, range=where))
        head = head_of(other_lines)
        if head is not None and not anchor:
            for number in range(1, head.closing):
                for item in LIST_ITEM.finditer(other_lines[number]):
                    if item.group(1).strip("\"'") == page:
                        where = codec.range_to_client_units(
                            other_lines,
                            ServerTextRange(
                                ServerTextPosition(number, item.start(1)),
                                ServerTextPosition(number, item.end(1)),
                            ),
                        )
                        found.append(types.Location(uri=other_uri, range=where))
    return found


def workspace_diagnostics(ls: GuidewrightServer) -> types.WorkspaceDiagnosticReport:
    """The findings of every page of each site served that is not open (open pages'
    are published as they change)."""
    items: list[types.WorkspaceDocumentDiagnosticReport] = []
    for root, served in ls.sites:
        live = served.live
        opened = {
            p.resolve() for uri in ls.workspace.text_documents if (p := ls.path_of(uri)) is not None
        }
        for page in sorted(live.pages):
            path = live.site.docs_path / page
            if path.resolve() in opened:
                continue
            text = read_page(path, live.site)
            if text is None:
                continue
            found = ls.diagnostics_of(Place(root, live, page), text)
            items.append(
                types.WorkspaceFullDocumentDiagnosticReport(
                    uri=path.as_uri(), items=found, version=None
                )
            )
    return types.WorkspaceDiagnosticReport(items=items)


def _on_page(ls: GuidewrightServer, uri: str, answer: Callable[[Place], Answer]) -> Answer | None:
    """`answer` for the page at `uri`, None when it is no page of a site."""
    place = ls.place(uri)
    return None if place is None else answer(place)


def register(server: GuidewrightServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(
        ls: GuidewrightServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        uri = params.text_document.uri
        return _on_page(ls, uri, lambda place: document_symbols(ls, uri, place))

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    def on_folding(
        ls: GuidewrightServer, params: types.FoldingRangeParams
    ) -> list[types.FoldingRange] | None:
        uri = params.text_document.uri
        return _on_page(ls, uri, lambda place: folding_ranges(ls, uri, place))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(
        ls: GuidewrightServer, params: types.DefinitionParams
    ) -> types.Location | None:
        uri, at = params.text_document.uri, params.position
        return _on_page(ls, uri, lambda place: definition(ls, uri, place, at))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def on_references(
        ls: GuidewrightServer, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        uri, at = params.text_document.uri, params.position
        return _on_page(ls, uri, lambda place: references(ls, uri, place, at))

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(inter_file_dependencies=True, workspace_diagnostics=True),
    )
    def on_document_diagnostic(
        ls: GuidewrightServer, params: types.DocumentDiagnosticParams
    ) -> types.RelatedFullDocumentDiagnosticReport:
        # An open page's findings are published as it changes (every client takes them);
        # a client that also pulls (Neovim does) would show each twice.
        return types.RelatedFullDocumentDiagnosticReport(items=[])

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    def on_workspace_diagnostic(
        ls: GuidewrightServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        return workspace_diagnostics(ls)
