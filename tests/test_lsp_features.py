"""The language server's features in-process (one server, one site, the handlers called
as pygls calls them): completion with edit ranges, filtered fuzzily and capped; a page's
outline (symbols, folding); go-to-definition and references of links; quick fixes for
the findings in the asked range, sent as minimal edits; workspace diagnostics."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from test_lsp import GUIDE, TUTORIAL, built  # noqa: F401  (the fixture)

from guidewright.lsp.app import build_server
from guidewright.lsp.editing import MOST_ITEMS
from guidewright.lsp.server import GuidewrightServer
from guidewright.lsp.sites import Sites

MANY = 150  # pages beyond what one completion answer carries


@pytest.fixture(scope="module")
def site(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    copy = Path(shutil.copytree(built, tmp_path_factory.mktemp("features") / "site"))
    (copy / "docs/practice").mkdir(exist_ok=True)
    for number in range(MANY):
        page = f'---\ncontent_type: "guide"\ntitle: "Drill {number:03d}"\n---\n\n# Drill\n'
        (copy / f"docs/practice/drill-{number:03d}.md").write_text(page, "utf-8")
    (copy / TUTORIAL).write_text(
        (copy / TUTORIAL).read_text("utf-8") + "\n## Token Bucket\n\nText.\n", "utf-8"
    )
    (copy / "docs/practice/broken.md").write_text("# Broken\n\n[x](nowhere.md)\n", "utf-8")
    return copy


@contextlib.contextmanager
def initialized_server() -> Iterator[GuidewrightServer]:
    """The server as app.py builds it, initialised as pygls does, its sites closed after."""
    sites = Sites()
    made = build_server(sites)
    params = types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=None)
    next(made.protocol.lsp_initialize(params), None)  # pygls's part of `initialize`
    try:
        yield made
    finally:
        sites.close()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[GuidewrightServer]:
    with initialized_server() as made:
        yield made


def opened(server: GuidewrightServer, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    text = path.read_text("utf-8") if text is None else text
    server.workspace.put_text_document(types.TextDocumentItem(uri, "markdown", 1, text))
    return uri


def ask(server: GuidewrightServer, method: str, params: Any) -> Any:
    return server.protocol.fm.features[method](params)


def complete(
    server: GuidewrightServer, uri: str, line: int, character: int
) -> types.CompletionList:
    document = types.TextDocumentIdentifier(uri=uri)
    position = types.Position(line, character)
    answer = ask(
        server,
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionParams(text_document=document, position=position),
    )
    assert isinstance(answer, types.CompletionList)
    return answer


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


def test_completion_replaces_what_was_typed_with_the_closest_values_first(
    server: GuidewrightServer, site: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    for typed, written in (
        ("hands-o", "hands-on"),
        ('"hands-o"', '"hands-on"'),
        ("hndo", "hands-on"),
    ):
        typing = text.replace('"aws"]', f'"aws", {typed}]', 1)
        uri = opened(server, site / GUIDE, typing)
        line = line_of(typing, "tags:")
        start = typing.splitlines()[line].index(typed)
        cursor = start + len(typed.rstrip('"'))
        found = complete(server, uri, line, cursor)
        first = found.items[0]
        assert first.label == "hands-on"
        assert isinstance(first.text_edit, types.TextEdit)
        assert first.text_edit.new_text == written
        assert first.text_edit.range == types.Range(
            types.Position(line, start), types.Position(line, start + len(typed))
        )
        assert first.filter_text is not None and first.filter_text.startswith(typed.rstrip('"'))


def test_prerequisites_completion_is_capped_and_fuzzy_on_paths_and_titles(
    server: GuidewrightServer, site: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    typing = text.replace('["fundamentals/index.md"]', '["fundamentals/index.md", ]', 1)
    line = line_of(typing, "prerequisites:")
    character = typing.splitlines()[line].index(", ]") + 2
    uri = opened(server, site / GUIDE, typing)
    everything = complete(server, uri, line, character)
    assert len(everything.items) == MOST_ITEMS and everything.is_incomplete
    typed = typing.replace(", ]", ", coding/rat]", 1)
    uri = opened(server, site / GUIDE, typed)
    found = complete(server, uri, line, character + len("coding/rat"))
    assert found.items[0].detail == "coding/rate-limiter.md"
    assert found.items[0].text_edit is not None
    assert found.items[0].text_edit.new_text == "coding/rate-limiter.md"


def test_link_targets_and_anchors_complete_in_the_body(
    server: GuidewrightServer, site: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8") + "\nSee [it](../coding/rat"
    uri = opened(server, site / GUIDE, text)
    last = text.count("\n")
    found = complete(server, uri, last, len(text.splitlines()[-1]))
    assert found.items[0].label == "../coding/rate-limiter.md"
    anchored = text + "e-limiter.md#token-b"
    uri = opened(server, site / GUIDE, anchored)
    found = complete(server, uri, last, len(anchored.splitlines()[-1]))
    assert found.items[0].label == "token-bucket"


def test_a_pages_outline_gives_symbols_and_folding(server: GuidewrightServer, site: Path) -> None:
    text = (site / GUIDE).read_text("utf-8")
    uri = opened(server, site / GUIDE, text)
    document = types.TextDocumentIdentifier(uri=uri)
    symbols = ask(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams(document))
    (title,) = symbols
    assert title.name.startswith("Caching Strategies Complete Guide")
    assert title.selection_range.start.line == line_of(text, "# Caching Strategies")
    children = [child.name for child in title.children]
    assert "🎯 What You'll Master" in children
    folds = ask(server, types.TEXT_DOCUMENT_FOLDING_RANGE, types.FoldingRangeParams(document))
    closing = text.split("\n").index("---", 1)
    assert (folds[0].start_line, folds[0].end_line) == (0, closing)  # the frontmatter
    assert any(f.start_line == line_of(text, "## 🎯") for f in folds)


def test_definition_and_references_follow_links_and_anchors(
    server: GuidewrightServer, site: Path
) -> None:
    text = (site / GUIDE).read_text(
        "utf-8"
    ) + "\nSee [limits](../coding/rate-limiter.md#token-bucket).\n"
    uri = opened(server, site / GUIDE, text)
    line = text.count("\n") - 1
    document = types.TextDocumentIdentifier(uri=uri)
    where = ask(
        server,
        types.TEXT_DOCUMENT_DEFINITION,
        types.DefinitionParams(text_document=document, position=types.Position(line, 8)),
    )
    tutorial = (site / TUTORIAL).read_text("utf-8")
    assert where.uri == (site / TUTORIAL).as_uri()
    assert where.range.start.line == line_of(tutorial, "## Token Bucket")
    tutorial_uri = opened(server, site / TUTORIAL)
    heading = types.Position(line_of(tutorial, "## Token Bucket"), 4)
    context = types.ReferenceContext(include_declaration=False)
    found = ask(
        server,
        types.TEXT_DOCUMENT_REFERENCES,
        types.ReferenceParams(
            context=context,
            text_document=types.TextDocumentIdentifier(tutorial_uri),
            position=heading,
        ),
    )
    assert [(f.uri, f.range.start.line) for f in found] == [(uri, line)]


def actions_at(
    server: GuidewrightServer, uri: str, first: int, last: int
) -> dict[str, list[types.TextEdit]]:
    asked = types.Range(types.Position(first, 0), types.Position(last, 0))
    params = types.CodeActionParams(
        types.TextDocumentIdentifier(uri), asked, types.CodeActionContext(diagnostics=[])
    )
    found = ask(server, types.TEXT_DOCUMENT_CODE_ACTION, params)
    return {action.title: action.edit.changes[uri] for action in found}


def test_quick_fixes_for_a_slipped_choice_and_an_unknown_key_in_the_asked_range(
    server: GuidewrightServer, site: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    broken = text.replace('difficulty: "intermediate"', 'difficulty: "intermedate"', 1)
    broken = broken.replace("---\n\n#", "colour: red\n  # and more\n---\n\n#", 1)
    uri = opened(server, site / GUIDE, broken)
    difficulty, colour = line_of(broken, "difficulty:"), line_of(broken, "colour:")
    at_choice = actions_at(server, uri, difficulty, difficulty)
    assert list(at_choice) == ["did you mean 'intermediate' (difficulty)"]
    (edit,) = at_choice["did you mean 'intermediate' (difficulty)"]
    assert edit.new_text == '"intermediate"'
    assert edit.range.start == types.Position(difficulty, len("difficulty: "))
    at_key = actions_at(server, uri, colour, colour)
    (edit,) = at_key["remove the key colour"]
    assert edit.new_text == "" and edit.range == types.Range(
        types.Position(colour, 0), types.Position(colour + 2, 0)
    )
    assert "did you mean 'intermediate' (difficulty)" not in at_key


def test_workspace_diagnostics_judge_the_pages_not_open(
    server: GuidewrightServer, site: Path
) -> None:
    report = ask(
        server, types.WORKSPACE_DIAGNOSTIC, types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item.items for item in report.items}
    broken = by_uri[(site / "docs/practice/broken.md").as_uri()]
    assert [(d.code, d.message) for d in broken] == [("GW201", "link: nowhere.md does not exist")]
    assert len(by_uri) >= MANY
