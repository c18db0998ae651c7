"""The editor's site-wide fix of a slipped tag: on a GW402 finding that names the known tag
a lone tag most likely means, a code action "rename tag X to Y across the site" whose edit
is the one `guidewright tags rename X Y` writes (site_ops/tags.py plans it: every page
and its answers file, the sections' metadata, the site's and the engine's configuration,
each new tag list judged by the page's template). As lsp/rename.py hands back `mv`'s
plan, the plan comes back as a workspace edit (pages open in the editor read as their
unsaved text), which the editor applies and can undo; unlike the command, the editor
writes the files itself (no site lock, no clean-git check). Pages the template's
validator refuses are left out, and the title says how many.

pygls serves one handler a method, and lsp/actions.py's handles code actions (the fixes
of one page): `register` adds these actions to what it answers, so app.py registers this
module after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from guidewright.core.errors import GuidewrightError
from guidewright.lsp.line_edits import line_edits
from guidewright.lsp.lines import lsp_lines
from guidewright.lsp.page_text import head_of
from guidewright.rules.tags import LONE_TAG, likely_slip
from guidewright.site_ops.tags import FileChange, RetagPlan, plan_retag, renames_of

if TYPE_CHECKING:
    from guidewright.lsp.live_site import LiveSite
    from guidewright.lsp.server import GuidewrightServer, Place


def tag_rename_actions(
    ls: GuidewrightServer, uri: str, asked: types.Range
) -> list[types.CodeAction]:
    """A site-wide rename for each slipped tag of the page, when a GW402 finding is in the
    asked range."""
    place = ls.place(uri)
    if place is None:
        return []
    text = ls.page_text(uri)
    lone = [
        d
        for d in ls.diagnostics_of(place, text)
        if d.code == LONE_TAG.code and _meets(asked, d.range)
    ]
    key = place.live.questionnaire.block.tags_question
    head = head_of(lsp_lines(text))
    if not lone or not key or head is None or not isinstance(head.data.get(key), list):
        return []
    counts = place.live.tag_counts()
    actions = []
    for tag in dict.fromkeys(t for t in head.data[key] if isinstance(t, str)):
        meant = likely_slip(tag, counts)
        if meant is None:
            continue
        finding = next((d for d in lone if f"'{tag}'" in d.message), lone[0])
        action = _rename_action(ls, place, tag, meant, finding)
        if action is not None:
            actions.append(action)
    return actions


def _meets(asked: types.Range, found: types.Range) -> bool:
    """Whether a finding's range meets the asked one (a cursor: the findings on it)."""

    def at(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return at(found.start) <= at(asked.end) and at(asked.start) <= at(found.end)


def _rename_action(
    ls: GuidewrightServer, place: Place, tag: str, meant: str, finding: types.Diagnostic
) -> types.CodeAction | None:
    live = place.live
    try:
        plan = renames_of([tag], meant, live.questionnaire)
        plan_retag(live.site, live.judges, plan, open_text=lambda relpath: _open(ls, live, relpath))
    except GuidewrightError as error:
        ls.window_log_message(
            types.LogMessageParams(types.MessageType.Info, f"tag rename: {error.message}")
        )
        return None
    if live.shown(place.in_docs) not in {page.document for page in plan.pages}:
        return None  # the page itself would be left as it is: no fix of this finding
    return types.CodeAction(
        title=_title(plan, tag),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[finding],
        edit=types.WorkspaceEdit(document_changes=_edits(ls, live, plan)),
    )


def _title(plan: RetagPlan, tag: str) -> str:
    answers = plan.answers_changed
    count = f"{len(plan.pages)} page{'' if len(plan.pages) == 1 else 's'}"
    if answers:
        count += f", {answers} answers file{'' if answers == 1 else 's'}"
    if plan.refused:
        count += f"; {len(plan.refused)} left as they are"
    return f"rename tag '{tag}' to '{plan.into}' across the site ({count})"


def _open(ls: GuidewrightServer, live: LiveSite, relpath: str) -> str | None:
    uri = (live.site.root / relpath).as_uri()
    return ls.page_text(uri) if uri in ls.workspace.text_documents else None


def _edits(ls: GuidewrightServer, live: LiveSite, plan: RetagPlan) -> list[Any]:
    """Each file the rename changes, as edits of its lines where they differ, for the
    version the editor holds (none: the file on disk)."""
    changes: list[FileChange] = [f for page in plan.pages for f in page.files]
    changes += plan.sections + plan.settings
    operations: list[Any] = []
    codec = ls.workspace.position_codec
    for change in changes:
        try:
            before = lsp_lines(change.before.decode("utf-8"))
            after = lsp_lines(change.after.decode("utf-8"))
        except UnicodeDecodeError:
            continue
        uri = (live.site.root / change.relpath).as_uri()
        document = ls.workspace.text_documents.get(uri)
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=uri, version=document.version if document is not None else None
        )
        edits = line_edits(before, after, codec)
        if edits:
            operations.append(types.TextDocumentEdit(text_document=identifier, edits=list(edits)))
    return operations


def register(server: GuidewrightServer) -> None:
    features: dict[str, Callable[[Any], Any]] = server.protocol.fm.features
    page_fixes = features[types.TEXT_DOCUMENT_CODE_ACTION]  # lsp/actions.py's

    def with_tag_renames(params: types.CodeActionParams) -> list[types.CodeAction]:
        found = page_fixes(params) or []
        return [*found, *tag_rename_actions(server, params.text_document.uri, params.range)]

    features[types.TEXT_DOCUMENT_CODE_ACTION] = with_tag_renames
