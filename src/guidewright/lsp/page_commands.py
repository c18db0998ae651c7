"""What the editor runs on one page through the core, as the CLI runs it: "update this
page" (`guidewright update PATH`: update/'s planner, merge and write session) for a page
behind its template or whose frontmatter differs from its recorded answers (GW503,
GW504), and "adopt this page" (`guidewright adopt --defaults PATH`: adopt/'s) for a
content page without frontmatter. Offered as code actions carrying a command, run on
`workspace/executeCommand`.

The server never asks a question: a page that would need an answer is left as it was and
the author is told (window/showMessage) which answer, and to run the command in a
terminal. An open page whose editor text differs from the file (unsaved changes) is
refused: the write session replaces a file only while it is as read, and the author's
unsaved text would otherwise be overwritten when saved. The page and its answers file
are written together on disk by the write session (never a page without its answers);
the open buffer is then brought to what was written by a `workspace/applyEdit` of the
lines that changed, tied to the buffer's version, so that an editor that does not reload
changed files (Neovim without `:checktime`) shows the new text at once, and one that
reloaded already refuses the stale edit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from guidewright.adopt.run import open_run
from guidewright.core.errors import GuidewrightError
from guidewright.lsp.line_edits import line_edits
from guidewright.lsp.lines import lsp_lines
from guidewright.lsp.live_site import read_page
from guidewright.lsp.server import GuidewrightServer  # at run time: pygls reads the hints
from guidewright.markdown import frontmatter
from guidewright.rules.answers_drift import ANSWER_DRIFT
from guidewright.rules.template_versions import OLDER_VERSION
from guidewright.update.plan import Status
from guidewright.update.run import update_site

if TYPE_CHECKING:
    from guidewright.lsp.server import Place

UPDATE_PAGE = "guidewright.updatePage"
ADOPT_PAGE = "guidewright.adoptPage"
COMMANDS = [UPDATE_PAGE, ADOPT_PAGE]
# The kind of the "adopt this page" action: the editor shows no finding for a page
# without frontmatter (`check` lists such pages once, not page by page), so the action
# stands alone, as an action on the whole page.
ADOPT_KIND = "source.guidewright.adopt"
# How update/ ends a reason a terminal would settle: said here with the command to run.
IN_A_TERMINAL = ": run update in a terminal"
UPDATED_BY = frozenset({OLDER_VERSION.code, ANSWER_DRIFT.code})
_SAID = {
    Status.UPDATED: "updated to the template",
    Status.VERSION_RECORDED: "updated: its answers file records the new version",
    Status.ANSWERS_CHANGED: "updated: its answers file records the frontmatter's values",
    Status.CURRENT: "already current: nothing to update",
}


def command_actions(
    ls: GuidewrightServer, place: Place, uri: str, text: str, found: list[types.Diagnostic]
) -> list[types.CodeAction]:
    """ "update this page" for the GW503 and GW504 findings in `found` (those in the range
    asked about); "adopt this page" when the page is a content page without frontmatter."""
    actions = []
    behind = [d for d in found if d.code in UPDATED_BY]
    if behind:
        codes = ", ".join(sorted({str(d.code) for d in behind}))
        actions.append(
            types.CodeAction(
                title=f"update this page to its template ({codes})",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=behind,
                command=types.Command(
                    f"guidewright update {place.in_docs}", UPDATE_PAGE, arguments=[uri]
                ),
            )
        )
    if _adoptable(place, text):
        actions.append(
            types.CodeAction(
                title="adopt this page: give it the template's frontmatter",
                kind=ADOPT_KIND,
                command=types.Command(
                    f"guidewright adopt {place.in_docs}", ADOPT_PAGE, arguments=[uri]
                ),
            )
        )
    return actions


def _adoptable(place: Place, text: str) -> bool:
    """A content page without guidewright frontmatter, as `check` finds it (none, or one
    without the content type: GW003); one whose frontmatter cannot be read is GW002's."""
    if not place.live.site.is_content_page(place.in_docs):
        return False
    try:
        parsed = frontmatter.parse(text)
    except GuidewrightError:
        return False
    return parsed is None or place.live.questionnaire.block.type_question not in parsed.data


def run_command(ls: GuidewrightServer, command: str, arguments: Sequence[Any] | None) -> None:
    """Run `command` on the page its one argument names; what came of it is said."""
    uri = arguments[0] if arguments and isinstance(arguments[0], str) else None
    place = ls.place(uri) if uri is not None else None
    path = ls.path_of(uri) if uri is not None else None
    if uri is None or place is None or path is None:
        _tell(ls, f"guidewright: {command}: the argument must be the URI of a page of a site")
        return
    opened = uri in ls.workspace.text_documents
    before = ls.workspace.get_text_document(uri).source if opened else None
    if opened and before != read_page(path, place.live.site):
        _tell(ls, f"guidewright: save {place.in_docs} first: its unsaved changes would be lost")
        return
    try:
        said = _update(place, path) if command == UPDATE_PAGE else _adopt(place, path)
    except GuidewrightError as error:
        said = (types.MessageType.Error, f"guidewright: {place.in_docs}: {error.message}")
    _tell(ls, said[1], said[0])
    _take_in(ls, place, uri, path, before)


def _update(place: Place, path: Path) -> tuple[types.MessageType, str]:
    """`guidewright update PATH` without a terminal: new questions take their defaults."""
    (outcome,) = update_site(place.live.site, [path], None, False, None)
    shown = place.in_docs
    if outcome.status in _SAID:
        return types.MessageType.Info, f"guidewright: {shown} {_SAID[outcome.status]}"
    if outcome.status is Status.CONFLICTED:
        return types.MessageType.Warning, f"guidewright: {shown} updated; {outcome.detail}"
    if outcome.status is Status.LEFT:
        return types.MessageType.Warning, f"guidewright: {shown}: {outcome.detail}"
    return (
        types.MessageType.Warning,
        f"guidewright: {shown} was not updated: {outcome.detail.removesuffix(IN_A_TERMINAL)}; run "
        f"`guidewright update {_relative(place)}` in a terminal",
    )


def _adopt(place: Place, path: Path) -> tuple[types.MessageType, str]:
    """`guidewright adopt --defaults PATH`: refused when an answer is missing."""
    site = place.live.site
    inputs: dict[str, Any] = {"content_type": None, "given": {}, "per_page": {}}
    shown = place.in_docs
    with open_run(site.root, None, [path], inputs, render_while_planning=True) as run:
        if run.refused:
            return types.MessageType.Warning, f"guidewright: {shown}: {run.refused[0].reason}"
        (plan,) = run.plans
        if not plan.ready:
            return (
                types.MessageType.Warning,
                f"guidewright: {shown} was not adopted: it needs {'; '.join(plan.needs())}; "
                f"run `guidewright adopt {_relative(place)}` in a terminal",
            )
        done = run.write(run.render([plan]))
    if done.left:
        return types.MessageType.Warning, f"guidewright: {shown}: {done.left[0].message}"
    return types.MessageType.Info, f"guidewright: {shown} adopted"


def _relative(place: Place) -> str:
    """The page's path as typed at the site's root, where the terminal is told to run."""
    return f"{place.live.site.docs_dir.rstrip('/')}/{place.in_docs}"


def _tell(
    ls: GuidewrightServer, message: str, kind: types.MessageType = types.MessageType.Error
) -> None:
    """Said every time (not once a session, as `say`): each run is the author's asking."""
    ls.window_show_message(types.ShowMessageParams(type=kind, message=message))


def _take_in(ls: GuidewrightServer, place: Place, uri: str, path: Path, before: str | None) -> None:
    """What the run wrote taken into the site's index (the answers files, the site's
    configuration, the page), and the open buffer brought to the page's new text."""
    served = ls.sites.served.get(place.root)
    if served is None:
        return
    served.live.reread_answers()
    ls.look_at_disk(place.root, served, every_file=True)
    after = read_page(path, served.live.site)
    if before is not None and after is not None and after != before:
        document = ls.workspace.get_text_document(uri)
        codec = ls.workspace.position_codec
        edits = line_edits(lsp_lines(before), lsp_lines(after), codec)
        versioned = types.OptionalVersionedTextDocumentIdentifier(uri, document.version)
        change = types.TextDocumentEdit(versioned, list(edits))
        ls.workspace_apply_edit(
            types.ApplyWorkspaceEditParams(
                types.WorkspaceEdit(document_changes=[change]), label="guidewright"
            )
        )
    elif before is None:
        again = ls.place(uri)
        if again is not None:
            again.live.file_changed(again.in_docs, path, after is not None)
    ls.others_again(None)
    if uri in ls.published:
        ls.publish(uri, force=True)


def register(server: GuidewrightServer) -> None:
    """The commands, answered by name (pygls's `workspace/executeCommand`, which spreads
    the command's arguments over the handler's parameters)."""

    @server.command(UPDATE_PAGE)
    def update_page(ls: GuidewrightServer, *arguments: Any) -> None:
        run_command(ls, UPDATE_PAGE, arguments)

    @server.command(ADOPT_PAGE)
    def adopt_page(ls: GuidewrightServer, *arguments: Any) -> None:
        run_command(ls, ADOPT_PAGE, arguments)
