"""`workspace/willRenameFiles`: a page or folder renamed in the editor's file tree moves as
`guidewright mv` moves it. The edit is the one move/plan.py computes for `mv` (pages open
in the editor read as their unsaved text), handed back as a workspace edit that the editor
applies before it renames: each changed file edited where it is, and the answers files,
which the editor does not rename itself, renamed after their edit."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.workspace.position_codec import ServerTextPosition

from guidewright.core.errors import GuidewrightError
from guidewright.move.plan import FileChange, MovePlan, plan_move
from guidewright.move.request import judged_move

if TYPE_CHECKING:
    from guidewright.lsp.server import GuidewrightServer

Operation = types.TextDocumentEdit | types.RenameFile
Edit = types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit


def rename_edit(
    ls: GuidewrightServer, renames: list[types.FileRename]
) -> types.WorkspaceEdit | None:
    """The edit that makes each rename a move; None when none is a move of the site's
    pages (a file outside the docs folder, a rename `mv` would refuse)."""
    operations: list[Operation] = []
    touched: set[str] = set()
    for rename in renames:
        plan = _plan(ls, rename)
        if plan is None:
            continue
        files = {change.relpath for change in plan.changes}
        if files & touched:
            continue  # two renames that change the same file: the first one's edit stands
        touched |= files
        operations += _operations(ls, plan)
    return types.WorkspaceEdit(document_changes=operations) if operations else None


def _plan(ls: GuidewrightServer, rename: types.FileRename) -> MovePlan | None:
    site = ls.live.site
    old, new = ls.path_of(rename.old_uri), ls.path_of(rename.new_uri)
    if old is None or new is None:
        return None
    try:
        move = judged_move(site, str(old), str(new))
        questionnaire = ls.live.questionnaire
        return plan_move(site, move, questionnaire, lambda in_docs: _open_text(ls, in_docs))
    except GuidewrightError as error:
        ls.window_log_message(
            types.LogMessageParams(types.MessageType.Info, f"rename: not a move: {error.message}")
        )
        return None


def _open_text(ls: GuidewrightServer, in_docs: str) -> str | None:
    uri = (ls.live.site.docs_path / in_docs).as_uri()
    return ls.page_text(uri) if uri in ls.workspace.text_documents else None


def _operations(ls: GuidewrightServer, plan: MovePlan) -> list[Operation]:
    """Each change as an edit of the file where it is now; a file the editor does not
    rename itself (an answers file) renamed after it."""
    root = ls.live.site.root
    operations: list[Operation] = []
    for change in plan.changes:
        uri = (root / change.relpath).as_uri()
        edits = _text_edits(ls, change)
        if edits:
            document = ls.workspace.text_documents.get(uri)
            version = document.version if document is not None else None
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            operations.append(types.TextDocumentEdit(text_document=identifier, edits=edits))
        if change.moves and not _inside_renamed(ls, plan, change):
            new_uri = (root / change.new_relpath).as_uri()
            operations.append(types.RenameFile(old_uri=uri, new_uri=new_uri))
    return operations


def _inside_renamed(ls: GuidewrightServer, plan: MovePlan, change: FileChange) -> bool:
    """Whether the editor renames this file itself: the renamed page, or a file of the
    renamed folder."""
    docs = ls.live.site.docs_dir.strip("/")
    old = f"{docs}/{plan.move.old}"
    return change.relpath == old or change.relpath.startswith(old + "/")


def _text_edits(ls: GuidewrightServer, change: FileChange) -> list[Edit]:
    """The lines that differ, as edits of whole lines; where the text's last line has no
    line break, an edit that reaches it ends at its end (in the client's units)."""
    try:
        before = change.before.decode("utf-8").splitlines(keepends=True)
        after = change.after.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return []
    codec = ls.workspace.position_codec
    edits: list[Edit] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for kind, first, last, new_first, new_last in matcher.get_opcodes():
        if kind == "equal":
            continue
        end = types.Position(last, 0)
        if last == len(before) and before and not before[-1].endswith(("\n", "\r")):
            at_end = ServerTextPosition(last - 1, len(before[-1]))
            end = codec.position_to_client_units(before, at_end)
        where = types.Range(types.Position(first, 0), end)
        edits.append(types.TextEdit(range=where, new_text="".join(after[new_first:new_last])))
    return edits


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
