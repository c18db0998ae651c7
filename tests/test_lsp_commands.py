"""The commands the language server runs on a page through the core, with a real client:
"update this page" for GW504 (and GW503), "adopt this page" for a page without
frontmatter; a page with unsaved changes refused, a page needing an answer told to the
author, never asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from built_once import built_once
from lsp_client import Session, run_session
from lsprotocol import types
from support import GUIDE_ARGS, commit_all, git, make_template_repo, run_cli

from guidewright.lsp.page_commands import ADOPT_KIND, ADOPT_PAGE, UPDATE_PAGE

GUIDE = "docs/system-design/caching-strategies.md"
NOTES = "docs/fundamentals/notes.md"
ANSWERS = ".guidewright/answers"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once a run (built_once.py): the tests copy it; its template stays at v1."""
    return built_once(tmp_path_factory, "lsp-commands-site", versioned_site) / "site"


def versioned_site(base: Path) -> Path:
    """A site of a versioned template (v1, at base/template-repo) with one guide,
    committed: what `update` needs."""
    home = base / "home"
    repo = make_template_repo(base, home)
    site = base / "site"
    init = ("init", str(site), "--content-owner", "team", "--template", str(repo))
    assert run_cli(*init, cwd=base, home=home).returncode == 0
    for page in ("fundamentals/index.md", "practice/topic-problems.md"):  # GUIDE_ARGS's links
        (site / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        if not (site / "docs" / page).exists():
            (site / "docs" / page).write_text("# Page\n", "utf-8")
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0
    commit_all(site, home, "the site", init=True)
    return site


@pytest.fixture
def site(made: Path, tmp_path: Path) -> Path:
    copy = Path(shutil.copytree(made, tmp_path / "site"))
    guide = copy / GUIDE
    drifted = guide.read_text("utf-8").replace('"intermediate"', '"advanced"', 1)
    guide.write_text(drifted, "utf-8")  # changed by hand: GW504
    commit_all(copy, tmp_path / "home", "changed by hand")
    return copy


def recorded_difficulty(site: Path) -> object:
    (answers,) = (site / ANSWERS).rglob("caching-strategies*")
    return yaml.safe_load(answers.read_text("utf-8"))["difficulty"]


async def actions_on(session: Session, uri: str, line: int) -> list[types.CodeAction]:
    asked = types.Range(types.Position(line, 0), types.Position(line, 0))
    found = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), asked, types.CodeActionContext(diagnostics=[])
        )
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


async def run(session: Session, action: types.CodeAction) -> types.ShowMessageParams:
    assert action.command is not None
    command = action.command
    await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command.command, arguments=command.arguments)
    )
    return await session.message()


def test_update_this_page_records_the_frontmatters_values_and_clears_gw504(site: Path) -> None:
    text = (site / GUIDE).read_text("utf-8")
    line = text[: text.index("difficulty:")].count("\n")

    async def body(session: Session) -> tuple[str, list[str]]:
        uri = session.open(site / GUIDE)
        await session.wait_for(uri, lambda found: "GW504" in {d.code for d in found})
        (action,) = [a for a in await actions_on(session, uri, line) if a.command]
        assert action.command and action.command.command == UPDATE_PAGE
        assert action.diagnostics and {d.code for d in action.diagnostics} == {"GW504"}
        said = await run(session, action)
        found = await session.wait_for(uri, lambda found: "GW504" not in {d.code for d in found})
        return said.message, [str(d.code) for d in found]

    message, left = run_session(site, site.parent / "home", body)
    assert message == (
        "guidewright: system-design/caching-strategies.md updated: its answers file "
        "records the frontmatter's values"
    )
    assert recorded_difficulty(site) == "advanced" and "GW504" not in left


def test_a_page_with_unsaved_changes_is_refused_and_nothing_is_written(site: Path) -> None:
    text = (site / GUIDE).read_text("utf-8")
    line = text[: text.index("difficulty:")].count("\n")
    answers_before = {p: p.read_bytes() for p in (site / ANSWERS).rglob("*.yml")}

    async def body(session: Session) -> str:
        uri = session.open(site / GUIDE, text + "\nTyped, not saved.\n")
        await session.wait_for(uri, lambda found: "GW504" in {d.code for d in found})
        (action,) = [a for a in await actions_on(session, uri, line) if a.command]
        return (await run(session, action)).message

    message = run_session(site, site.parent / "home", body)
    assert message == (
        "guidewright: save system-design/caching-strategies.md first: its unsaved changes "
        "would be lost"
    )
    assert (site / GUIDE).read_text("utf-8") == text
    assert {p: p.read_bytes() for p in (site / ANSWERS).rglob("*.yml")} == answers_before


def adopt(site: Path, text: str) -> tuple[str, list[types.WorkspaceEdit], str]:
    """The page at NOTES, holding `text`, opened and adopted by its code action."""
    (site / NOTES).write_text(text, "utf-8")
    commit_all(site, site.parent / "home", "notes")

    async def body(session: Session) -> tuple[str, list[types.WorkspaceEdit], str]:
        uri = session.open(site / NOTES)
        await session.wait_for(uri, lambda found: True)
        (action,) = [a for a in await actions_on(session, uri, 0) if a.command]
        assert action.kind == ADOPT_KIND and action.command
        assert action.command.command == ADOPT_PAGE
        said = await run(session, action)
        return said.message, session.applied, uri

    return run_session(site, site.parent / "home", body)


def test_adopt_this_page_gives_an_open_page_the_templates_frontmatter(site: Path) -> None:
    before = "---\ntags: [caching, aws]\nlearning_objectives: [Explain caching]\n---\n# Notes\n"
    message, applied, uri = adopt(site, before)
    assert message == "guidewright: fundamentals/notes.md adopted"
    written = (site / NOTES).read_text("utf-8")
    assert "content_type:" in written and written.endswith("# Notes\n")
    assert list((site / ANSWERS).rglob("notes.yml"))  # with its answers file
    (edit,) = applied  # the open buffer brought to the new text, as lines changed
    (change,) = edit.document_changes or []
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == uri and change.text_document.version == 1
    assert apply_lines(before, change.edits) == written


def test_adopt_refuses_a_page_missing_answers_and_says_which(site: Path) -> None:
    before = "# Notes\n\nSome notes on caching.\n"
    message, applied, _ = adopt(site, before)
    assert message.startswith("guidewright: fundamentals/notes.md was not adopted: it needs tags")
    assert "learning_objectives: missing" in message
    assert message.endswith("run `guidewright adopt docs/fundamentals/notes.md` in a terminal")
    assert (site / NOTES).read_text("utf-8") == before and applied == []
    assert not list((site / ANSWERS).rglob("notes.yml"))


def apply_lines(text: str, edits: object) -> str:
    """Whole-line edits (line_edits') applied to `text`, last first."""
    lines = text.splitlines(keepends=True)
    assert isinstance(edits, tuple | list)
    for edit in sorted(edits, key=lambda e: e.range.start.line, reverse=True):
        start, end = edit.range.start, edit.range.end
        assert start.character == 0 and end.character == 0
        lines[start.line : end.line] = [edit.new_text]
    return "".join(lines)


def test_a_page_that_would_need_an_answer_is_left_and_the_author_told(tmp_path: Path) -> None:
    site = versioned_site(tmp_path)
    home, repo = tmp_path / "home", tmp_path / "template-repo"
    config = repo / "copier.yml"  # v2 asks a new question that has no default
    config.write_text(
        config.read_text("utf-8") + "\nreviewer:\n  type: str\n  help: Reviewer\n", "utf-8"
    )
    git(repo, home, "commit", "-qam", "v2")
    git(repo, home, "tag", "v2")
    text = (site / GUIDE).read_text("utf-8")

    async def body(session: Session) -> str:
        uri = session.open(site / GUIDE)
        found = await session.wait_for(uri, lambda found: "GW503" in {d.code for d in found})
        (behind,) = [d for d in found if d.code == "GW503"]
        (action,) = [
            a for a in await actions_on(session, uri, behind.range.start.line) if a.command
        ]
        assert action.command and action.command.command == UPDATE_PAGE
        return (await run(session, action)).message

    message = run_session(site, home, body)
    assert message == (
        "guidewright: system-design/caching-strategies.md was not updated: the new template "
        "asks 'reviewer', which has no default; run "
        "`guidewright update docs/system-design/caching-strategies.md` in a terminal"
    )
    assert (site / GUIDE).read_text("utf-8") == text
