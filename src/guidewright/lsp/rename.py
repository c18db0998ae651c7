"""`workspace/willRenameFiles`: a page or folder renamed in the editor's file tree moves as
`guidewright mv` moves it. The edit is the one move/plan.py computes for `mv` (pages open
in the editor read as their unsaved text), handed back as a workspace edit that the editor
applies before it renames: each changed file edited where it is, and the answers files,
which the editor does not rename itself, renamed after their edit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from guidewright.core.errors import GuidewrightError
from guidewright.lsp.line_edits import line_edits
from guidewright.lsp.lines import lsp_lines
from guidewright.move.plan import FileChange, MovePlan, plan_move
from guidewright.move.request import AnyMove, Move, judged_move, together

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer

Operation = types.TextDocumentEdit | types.RenameFile
Edit = types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit


def rename_edit(
    ls: GuidewrightServer, renames: list[types.FileRename]
) -> types.WorkspaceEdit | None:
    """The edit that makes the renames moves, those of one site made as one (several
    files dragged at once: the pages that link to two of them, and `nav`, change once for
    both); None when none is a move of a site's pages (a file outside the docs folder, a
    rename `mv` would refuse)."""
    by_site: dict[Path, tuple[LiveSite, list[Move]]] = {}
    for rename in renames:
        judged = _judged(ls, rename)
        if judged is not None:
            live, move = judged
            by_site.setdefault(live.site.root, (live, []))[1].append(move)
    operations: list[Operation] = []
    touched: set[Path] = set()
    for live, moves in by_site.values():
        joined = together(moves) if len(moves) > 1 else None
        planned: list[AnyMove] = [joined] if joined is not None else list(moves)
        for chosen in planned:
            plan = _plan(ls, live, chosen)
            if plan is None:
                continue
            files = {live.site.root / change.relpath for change in plan.changes}
            if files & touched:
                continue  # moves not made as one that change the same file: the first's stands
            touched |= files
            operations += _operations(ls, live, plan)
    return types.WorkspaceEdit(document_changes=operations) if operations else None


def _judged(ls: GuidewrightServer, rename: types.FileRename) -> tuple[LiveSite, Move] | None:
    """The renamed file's site and the move the rename is, None when it is none."""
    old, new = ls.path_of(rename.old_uri), ls.path_of(rename.new_uri)
    served = ls.sites.for_page(old)[0] if old is not None else None
    if old is None or new is None or served is None:
        return None
    try:
        return served.live, judged_move(served.live.site, str(old), str(new))
    except GuidewrightError as error:
        _not_a_move(ls, error)
        return None


def _plan(ls: GuidewrightServer, live: LiveSite, move: AnyMove) -> MovePlan | None:
    try:
        return plan_move(
            live.site, move, live.questionnaire, lambda in_docs: _open_text(ls, live, in_docs)
        )
    except GuidewrightError as error:
        _not_a_move(ls, error)
        return None


def _not_a_move(ls: GuidewrightServer, error: GuidewrightError) -> None:
    ls.window_log_message(
        types.LogMessageParams(types.MessageType.Info, f"rename: not a move: {error.message}")
    )


def _open_text(ls: GuidewrightServer, live: LiveSite, in_docs: str) -> str | None:
    uri = (live.site.docs_path / in_docs).as_uri()
    return ls.page_text(uri) if uri in ls.workspace.text_documents else None


def _operations(ls: GuidewrightServer, live: LiveSite, plan: MovePlan) -> list[Operation]:
    """Each change as an edit of the file where it is now; a file the editor does not
    rename itself (an answers file) renamed after it."""
    root = live.site.root
    operations: list[Operation] = []
    for change in plan.changes:
        uri = (root / change.relpath).as_uri()
        edits: list[Edit] = list(_text_edits(ls, change))
        if edits:
            document = ls.workspace.text_documents.get(uri)
            version = document.version if document is not None else None
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            operations.append(types.TextDocumentEdit(text_document=identifier, edits=edits))
        if change.moves and not _inside_renamed(live, plan, change):
            new_uri = (root / change.new_relpath).as_uri()
            operations.append(types.RenameFile(old_uri=uri, new_uri=new_uri))
    return operations


def _inside_renamed(live: LiveSite, plan: MovePlan, change: FileChange) -> bool:
    """Whether the editor renames this file itself: the renamed page, or a file of the
    renamed folder."""
    docs = live.site.docs_dir.strip("/")
    for move in plan.move.each:
        old = f"{docs}/{move.old}"
        if change.relpath == old or change.relpath.startswith(old + "/"):
            return True
    return False


def _text_edits(ls: GuidewrightServer, change: FileChange) -> list[types.TextEdit]:
    """The lines that differ, as edits of whole lines (line_edits.py)."""
    try:
        before = lsp_lines(change.before.decode("utf-8"))
        after = lsp_lines(change.after.decode("utf-8"))
    except UnicodeDecodeError:
        return []
    return line_edits(before, after, ls.workspace.position_codec)


def register(server: GuidewrightServer) -> None:
    pages = types.FileOperationFilter(
        pattern=types.FileOperationPattern(
            glob="**/*.md", matches=types.FileOperationPatternKind.File
        ),
        scheme="file",
    )
    folders = types.FileOperationFilter(
        pattern=types.FileOperationPattern(
            glob="**", matches=types.FileOperationPatternKind.Folder
        ),
        scheme="file",
    )

    @server.feature(
        types.WORKSPACE_WILL_RENAME_FILES,
        types.FileOperationRegistrationOptions(filters=[pages, folders]),
    )
    def on_will_rename(
        ls: GuidewrightServer, params: types.RenameFilesParams
    ) -> types.WorkspaceEdit | None:
        return rename_edit(ls, list(params.files))
