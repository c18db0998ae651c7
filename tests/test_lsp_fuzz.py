"""The language server never fails on what a page can hold: its editing core on any text,
in-process, and the real server over stdio on a few."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_client import Session, run_session
from lsprotocol import types
from test_fuzz_inputs import as_text, mappings, odd_bytes
from test_lsp import GUIDE, built  # noqa: F401  (the fixture)

from guidewright.lsp.actions import (
    choice_fix,
    link_fix,
    missing_key_fix,
    remove_key_fix,
    tag_fixes,
)
from guidewright.lsp.editing import completions, hover
from guidewright.lsp.lines import lsp_lines
from guidewright.lsp.live_site import LiveSite, open_live_site
from guidewright.lsp.navigation import headings_of, links_of
from guidewright.lsp.page_text import head_of
from guidewright.lsp.ranges import span_of
from guidewright.lsp.server import Place
from guidewright.site.site import load_site

PIECES = st.sampled_from(
    [
        "---\n",
        "tags: [",
        "- ",
        "prerequisites:\n  - ",
        "[a](",
        "missing.md",
        "#",
        ")",
        "😀",
        "\r\n",
        "\n",
        "  ",
        "# Heading\n",
        "```\n",
        "<<<<<<< ours\n",
        ":",
        "é",
        "\x00",
        '"',
    ]
)
texts = (
    st.lists(PIECES | st.text(max_size=8), max_size=30).map("".join)
    | mappings.map(lambda m: "---\n" + as_text(m).decode("utf-8") + "---\n# Body [x](y.md#z)\n")
    | odd_bytes.map(lambda b: b.decode("utf-8", "replace"))
)


@pytest.fixture(scope="module")
def live(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:  # noqa: F811
    copy = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(built, copy)
    opened = open_live_site(load_site(copy))
    yield opened
    opened.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=texts)
def test_the_editing_core_never_fails_on_any_page_text(live: LiveSite, text: str) -> None:
    page = GUIDE.removeprefix("docs/")
    live.update(page, text)
    problems = live.problems(page, text, dt.date(2026, 12, 1))
    numbered = text.split("\n")  # as the server numbers lines for diagnostics
    for problem in problems:
        span = span_of(problem, numbered)
        assert 0 <= span.line < len(numbered) and 0 <= span.start <= span.end
    lines = lsp_lines(text) or [""]  # as the server's documents split lines
    place = Place(live.site.root, live, page)
    for number, line in enumerate(lines):
        hover(live.questionnaire, lines, number)
        for character in {0, len(line) // 2, len(line.rstrip("\r\n"))}:
            completions(place, lines, number, character)
        link_fix(live, page, lines, number, 0)
        key = line.split(":", 1)[0]
        choice_fix(live, page, lines, number, key)
        remove_key_fix(lines, number, key)
    tag_fixes(live, lines)
    for problem in problems:
        if problem.code == "GW102":
            missing_key_fix(live, page, lines, problem.field)
    headings_of(text, live)
    links_of(text)


def test_the_server_answers_after_any_page_text(built: Path, tmp_path: Path) -> None:  # noqa: F811
    site = tmp_path / "site"
    shutil.copytree(built, site)
    samples = [
        "---\n: [\n---\n",
        "---\ncontent_type: guide\ntags: &t [a, *t]\n---\n😀 [x](#nowhere)\n",
        "\x00\ufeff---\r\ncontent_type: tutorial\r\n---\r\n- a\r\n",
        "---\ncontent_type: guide\ntitle: [Unclosed\n",
        "<<<<<<< ours\n=======\n>>>>>>> theirs\n",
    ]

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        await session.wait_for(uri, lambda found: True)
        for text in samples:
            session.change(uri, text)
            document = types.TextDocumentIdentifier(uri=uri)
            for line in range(text.count("\n") + 1):
                position = types.Position(line, 1)
                await session.client.text_document_hover_async(
                    types.HoverParams(text_document=document, position=position)
                )
                await session.client.text_document_completion_async(
                    types.CompletionParams(text_document=document, position=position)
                )
        session.change(uri, "---\ncontent_type: nonsense\n---\n")
        found = await session.wait_for(uri, lambda found: [d.code for d in found] == ["GW105"])
        assert found[0].range.start.line == 1

    run_session(site, home=tmp_path / "home", body=body)


def test_a_head_s_answers_changed_by_its_caller_are_not_the_next_request_s() -> None:
    """The answers are parsed once per text and kept: what one request (or an expression
    rendered with them) does to its copy, lists included, is not what the next reads."""
    lines = lsp_lines("---\ntopic: Caching\ntags:\n  - aws\n  - caching\n---\nBody\n")
    first = head_of(lines)
    assert first is not None
    first.data["tags"].append("changed")
    first.data["topic"] = "Changed"
    again = head_of(lines)
    assert again is not None
    assert again.data == {"topic": "Caching", "tags": ["aws", "caching"]}
