"""The editor's site-wide rename of a slipped tag (issue 30): on a GW402 finding, a code
action whose workspace edit is what `guidewright tags rename` writes: the page and its
answers file together, the editor's unsaved text edited where it is open (in-process, the
handlers called as pygls calls them)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types
from support import commit_all, run_cli
from test_lsp import GUIDE, TUTORIAL, apply, built  # noqa: F401  (the fixture)
from test_lsp_features import initialized_server

from guidewright.lsp.server import GuidewrightServer

TUTORIAL_ANSWERS = ".guidewright/answers/coding/rate-limiter.yml"
GUIDE_ANSWERS = ".guidewright/answers/system-design/caching-strategies.yml"


@pytest.fixture
def site(built: Path, tmp_path: Path, home: Path) -> Path:  # noqa: F811
    """The tutorial's tag `coding` slipped to `codng` on the page and in its answers (a
    listed tag left the configuration: `codng` is GW402's lone tag)."""
    copy = Path(shutil.copytree(built, tmp_path / "site"))
    for relpath in (TUTORIAL, TUTORIAL_ANSWERS):
        path = copy / relpath
        path.write_text(
            path.read_text("utf-8")
            .replace("- coding\n", "- codng\n", 1)
            .replace('"coding"]', '"codng"]'),
            "utf-8",
        )
    commit_all(copy, home, "a slipped tag")
    return copy


@pytest.fixture
def server(site: Path) -> Iterator[GuidewrightServer]:
    with initialized_server() as made:
        yield made


def code_actions(server: GuidewrightServer, uri: str) -> list[types.CodeAction]:
    whole = types.Range(types.Position(0, 0), types.Position(10_000, 0))
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri), whole, types.CodeActionContext(diagnostics=[])
    )
    found: list[types.CodeAction] = server.protocol.fm.features[types.TEXT_DOCUMENT_CODE_ACTION](
        params
    )
    return found


def applied(texts: dict[str, str], edit: types.WorkspaceEdit) -> dict[str, str]:
    """The texts (by URI) after the edit, as an editor applies it."""
    after = dict(texts)
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        uri = change.text_document.uri
        for one in sorted(
            change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
        ):
            assert isinstance(one, types.TextEdit)
            after[uri] = apply(after[uri], one)
    return after


def test_a_lone_slipped_tag_renames_the_page_and_its_answers(
    server: GuidewrightServer, site: Path, home: Path
) -> None:
    uri = (site / TUTORIAL).as_uri()
    text = (site / TUTORIAL).read_text("utf-8")
    server.workspace.put_text_document(types.TextDocumentItem(uri, "markdown", 1, text))
    by_title = {action.title: action for action in code_actions(server, uri)}
    title = "rename tag 'codng' to 'coding' across the site (1 page, 1 answers file)"
    assert title in by_title, list(by_title)
    action = by_title[title]
    assert action.diagnostics and action.diagnostics[0].code == "GW402"
    assert action.edit is not None and action.edit.document_changes
    versions = {c.text_document.uri: c.text_document.version for c in action.edit.document_changes}
    answers_uri = (site / TUTORIAL_ANSWERS).as_uri()
    assert versions == {uri: 1, answers_uri: None}  # the open page's version; the disk's file
    texts = {uri: text, answers_uri: (site / TUTORIAL_ANSWERS).read_text("utf-8")}
    after = applied(texts, action.edit)
    # What the command writes, to the byte.
    done = run_cli("tags", "rename", "codng", "coding", cwd=site, home=home)
    assert done.returncode == 0, done.stderr
    assert after == {
        uri: (site / TUTORIAL).read_text("utf-8"),
        answers_uri: (site / TUTORIAL_ANSWERS).read_text("utf-8"),
    }
    assert "codng" not in after[uri] and "codng" not in after[answers_uri]


def test_the_unsaved_text_is_what_is_renamed(server: GuidewrightServer, site: Path) -> None:
    # The author typed `awss` in the guide, unsaved; its answers still say `aws`.
    uri = (site / GUIDE).as_uri()
    typed = (site / GUIDE).read_text("utf-8").replace('"aws"]', '"awss"]', 1)
    server.workspace.put_text_document(types.TextDocumentItem(uri, "markdown", 7, typed))
    actions = [a for a in code_actions(server, uri) if "across the site" in a.title]
    assert [a.title for a in actions] == ["rename tag 'awss' to 'aws' across the site (1 page)"]
    assert actions[0].edit is not None
    (change,) = actions[0].edit.document_changes or []
    assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 7
    after = applied({uri: typed}, actions[0].edit)[uri]
    assert after == (site / GUIDE).read_text("utf-8")


def test_no_rename_is_offered_where_no_finding_is_asked_about(
    server: GuidewrightServer, site: Path
) -> None:
    uri = (site / TUTORIAL).as_uri()
    text = (site / TUTORIAL).read_text("utf-8")
    server.workspace.put_text_document(types.TextDocumentItem(uri, "markdown", 1, text))
    last = len(text.splitlines())
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri),
        types.Range(types.Position(last, 0), types.Position(last, 0)),  # the body's end
        types.CodeActionContext(diagnostics=[]),
    )
    found = server.protocol.fm.features[types.TEXT_DOCUMENT_CODE_ACTION](params)
    assert not [a for a in found if "across the site" in a.title]
