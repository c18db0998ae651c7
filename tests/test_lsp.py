"""`guidewright lsp` end to end: pygls's own client drives the server over stdio (forked
from the launcher, lsp_client.py); the installed command itself is run by the test of
what its stdout holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from built_once import built_once
from lsp_client import Session, run_session
from lsprotocol import types
from support import HANG, run_cli

GUIDE = "docs/system-design/caching-strategies.md"
TUTORIAL = "docs/coding/rate-limiter.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of a guide and a tutorial, built once a run (built_once.py): seven modules
    use it, each on every worker; the tests copy it."""
    return built_once(tmp_path_factory, "lsp-site", _build_site) / "site"


def _build_site(base: Path) -> None:
    home, site = base / "home", base / "site"
    assert (
        run_cli("init", str(site), "--content-owner", "team", cwd=base, home=home).returncode == 0
    )
    common = ("--defaults", "--dest", str(site), "--contributor", "Ada Lovelace")
    made = run_cli(
        "new-guide",
        *common,
        "--topic",
        "Caching Strategies",
        "--section",
        "system-design",
        "--tag",
        "system-design",
        "--tag",
        "aws",
        "--objective",
        "Explain cache invalidation",
        "--prerequisite",
        "fundamentals/index.md",
        cwd=base,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    made = run_cli(
        "new-tutorial",
        *common,
        "--topic",
        "Rate Limiter",
        "--section",
        "coding",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "Build a token bucket",
        "--skill",
        "rate limiting",
        "--difficulty",
        "advanced",
        "--estimated-time",
        "90 min",
        cwd=base,
        home=home,
    )
    assert made.returncode == 0, made.stderr


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy)
    return copy


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def check_json(site: Path, home: Path) -> list[dict[str, object]]:
    result = run_cli("check", "--format", "json", cwd=site, home=home)
    problems: list[dict[str, object]] = json.loads(result.stdout)["problems"]
    return problems


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


def test_an_invalid_value_typed_is_reported_as_check_does_then_cleared(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    line = line_of(text, "difficulty:")
    wrong = text.replace('difficulty: "intermediate"', 'difficulty: "hard"', 1)
    shutil.copy(site / GUIDE, site / "kept.md")
    (site / GUIDE).write_text(wrong, "utf-8")
    expected = [p for p in check_json(site, home) if p["code"] == "GW101"]
    shutil.copy(site / "kept.md", site / GUIDE)
    assert len(expected) == 1

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        assert await session.wait_for(uri, lambda found: True) == []
        start = text.splitlines()[line].index('"intermediate"')
        session.edit(uri, line, start, start + len('"intermediate"'), '"hard"')
        found = await session.wait_for(uri, lambda found: bool(found))
        assert [d.code for d in found] == ["GW101"]
        assert found[0].message == f"difficulty: {expected[0]['message']}"
        assert found[0].range.start == types.Position(line, 0)
        assert found[0].range.end == types.Position(line, len(wrong.splitlines()[line].rstrip()))
        assert found[0].severity == types.DiagnosticSeverity.Error
        session.change(uri, text)
        assert await session.wait_for(uri, lambda found: not found) == []

    run_session(site, home, body)


@pytest.mark.parametrize("encoding", [None, types.PositionEncodingKind.Utf32])
def test_an_emoji_before_a_finding_counts_in_the_negotiated_encoding(
    site: Path, home: Path, encoding: types.PositionEncodingKind | None
) -> None:
    text = (site / GUIDE).read_text("utf-8") + "\n😀 é see [this](missing.md) now\n"
    line = len(text.splitlines()) - 1
    general = types.GeneralClientCapabilities(position_encodings=[encoding]) if encoding else None
    capabilities = types.ClientCapabilities(general=general)

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE, text)
        found = await session.wait_for(uri, lambda found: bool(found))
        assert [d.code for d in found] == ["GW201"]
        assert found[0].message == "link: missing.md does not exist"
        units = 2 if encoding is None else 1  # 😀 is two UTF-16 code units, one code point
        start = units + len(" é see ")
        assert found[0].range.start == types.Position(line, start)
        assert found[0].range.end == types.Position(line, start + len("[this](missing.md)"))

    run_session(site, home, body, capabilities=capabilities)


def apply(text: str, edit: types.TextEdit) -> str:
    """One edit applied to a text (positions in UTF-16 code units, as the client asked)."""
    lines = [*text.splitlines(keepends=True), ""]

    def offset(position: types.Position) -> int:
        before = "".join(lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units, chars = 0, 0
        while units < position.character and chars < len(line):
            units += 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return len(before) + chars

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


async def fixes(
    session: Session, uri: str, found: list[types.Diagnostic]
) -> list[types.CodeAction]:
    whole = types.Range(types.Position(0, 0), types.Position(10_000, 0))
    answer = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=whole,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    return [a for a in answer or [] if isinstance(a, types.CodeAction)]


def edit_of(action: types.CodeAction, uri: str) -> types.TextEdit:
    assert action.edit and action.edit.changes
    (edit,) = action.edit.changes[uri]
    return edit


def test_hover_on_a_key_gives_the_questions_help_type_choices_and_default(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")

    async def body(session: Session) -> str:
        uri = session.open(site / GUIDE)
        position = types.Position(line_of(text, "difficulty:"), 3)
        answer = await session.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=position
            )
        )
        assert answer is not None and isinstance(answer.contents, types.MarkupContent)
        return answer.contents.value

    shown = run_session(site, home, body)
    assert "**difficulty**" in shown and "type: `str`" in shown
    assert "`beginner`" in shown and "`expert`" in shown and "default: `intermediate`" in shown


def test_completion_offers_the_sites_tags_and_prerequisites_by_title(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    typing = text.replace('"aws"]', '"aws", ]', 1)  # the author is typing a third tag
    typing = typing.replace('["fundamentals/index.md"]', '["fundamentals/index.md", ]', 1)
    tags_line, prerequisites_line = line_of(text, "tags:"), line_of(text, "prerequisites:")
    lines = typing.splitlines()

    async def body(session: Session) -> tuple[list[types.CompletionItem], ...]:
        uri = session.open(site / GUIDE, typing)
        found = []
        for line, after in (
            (tags_line, '"aws", '),
            (prerequisites_line, '"fundamentals/index.md", '),
        ):
            character = lines[line].index(after) + len(after)
            answer = await session.client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line, character),
                )
            )
            assert isinstance(answer, types.CompletionList)
            found.append(answer.items)
        return tuple(found)

    tags, prerequisites = run_session(site, home, body)
    assert {"coding", "aws", "system-design"} <= {
        item.label for item in tags
    }  # coding: the tutorial's
    (tutorial,) = [
        item
        for item in prerequisites
        if item.text_edit and item.text_edit.new_text == "coding/rate-limiter.md"
    ]
    assert "Rate Limiter" in tutorial.label  # by title, as the wizard offers them


def test_code_actions_fix_a_tag_a_missing_key_a_list_and_a_broken_link(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    broken = (
        text.replace(
            '["system-design", "aws"]', '["systm-design", "aws", "Rate Limiting"]', 1
        ).replace('difficulty: "intermediate"  # beginner|intermediate|advanced|expert\n', "", 1)
        + "\nSome text\n- one\n- two\n\nSee [the tutorial](../coding/rate-limitr.md).\n"
    )

    async def body(session: Session) -> dict[str, str]:
        uri = session.open(site / GUIDE, broken)
        found = await session.wait_for(uri, lambda found: len(found) >= 4)
        assert {"GW102", "GW201", "GW402", "GW601"} <= {str(d.code) for d in found}
        actions = await fixes(session, uri, found)
        return {action.title: apply(broken, edit_of(action, uri)) for action in actions}

    fixed = run_session(site, home, body)
    meant = fixed["did you mean 'system-design' (tag 'systm-design')"]
    assert '["system-design", "aws", "Rate Limiting"]' in meant
    normalised = fixed["normalise to 'rate-limiting' (tag 'Rate Limiting')"]
    assert '["systm-design", "aws", "rate-limiting"]' in normalised
    added = fixed["add difficulty: intermediate"]
    assert "difficulty: intermediate\n---\n" in added
    assert "Some text\n\n- one\n- two\n" in fixed["fix the lists as `check --fix` does (GW601)"]
    assert "(../coding/rate-limiter.md)" in fixed["point the link at ../coding/rate-limiter.md"]


def test_a_change_elsewhere_republishes_an_open_page_and_disk_changes_count(
    site: Path, home: Path
) -> None:
    linking = (site / GUIDE).read_text(
        "utf-8"
    ) + "\nSee [limits](../coding/rate-limiter.md#limits).\n"
    tutorial = (site / TUTORIAL).read_text("utf-8")

    async def body(session: Session) -> None:
        guide_uri = session.open(site / GUIDE, linking)
        found = await session.wait_for(guide_uri, lambda found: bool(found))
        assert [d.code for d in found] == ["GW201"]
        tutorial_uri = session.open(site / TUTORIAL)
        session.change(tutorial_uri, tutorial + "\n## Limits\n")  # the anchor now exists
        assert await session.wait_for(guide_uri, lambda found: not found) == []
        # Another program deletes a page the guide lists as a prerequisite.
        (site / "docs/fundamentals/index.md").unlink()
        gone = types.FileEvent(
            uri=(site / "docs/fundamentals/index.md").as_uri(), type=types.FileChangeType.Deleted
        )
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[gone])
        )
        found = await session.wait_for(guide_uri, lambda found: bool(found))
        assert {(d.code, d.message) for d in found} == {
            ("GW202", "prerequisites: fundamentals/index.md is not a document of the docs folder"),
            ("GW201", "link: ../fundamentals/index.md does not exist"),  # its body links it
        }

    run_session(site, home, body)


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_stdout_holds_protocol_messages_only_and_no_site_is_a_one_line_error(
    site: Path, home: Path
) -> None:
    import subprocess

    from support import GUIDEWRIGHT, isolated_env

    page = (site / GUIDE).as_uri()
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": site.as_uri(), "capabilities": {}},
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": page,
                    "languageId": "markdown",
                    "version": 1,
                    "text": "---\n: [\n",
                }
            },
        },
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    done = subprocess.run(
        [GUIDEWRIGHT, "lsp"],
        cwd=site,
        input=b"".join(map(frame, messages)),
        capture_output=True,
        env=isolated_env(home),
        timeout=HANG,
    )
    out, replies = done.stdout, []
    while out:  # every byte is a framed JSON-RPC message
        header, _, rest = out.partition(b"\r\n\r\n")
        assert header.startswith(b"Content-Length: "), out[:80]
        fields = dict(line.split(b": ", 1) for line in header.split(b"\r\n"))
        assert set(fields) <= {b"Content-Length", b"Content-Type"}
        length = int(fields[b"Content-Length"])
        replies.append(json.loads(rest[:length]))
        out = rest[length:]
    assert replies[0]["id"] == 1 and replies[0]["result"]["capabilities"]["positionEncoding"]
    published = [r for r in replies if r.get("method") == "textDocument/publishDiagnostics"]
    assert published[0]["params"]["diagnostics"][0]["code"] == "GW002"
    assert done.returncode == 0

    elsewhere = site.parent / "not-a-site"
    elsewhere.mkdir()
    refused = run_cli("lsp", "--dest", str(elsewhere), cwd=site, home=home)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1


def test_completion_offers_missing_keys_with_defaults_and_anchors_after_a_hash(
    site: Path, home: Path
) -> None:
    text = (site / GUIDE).read_text("utf-8")
    without = text.replace(
        'difficulty: "intermediate"  # beginner|intermediate|advanced|expert\n', "", 1
    )
    typing = without + "\nSee [limits](../coding/rate-limiter.md#"
    (site / TUTORIAL).write_text((site / TUTORIAL).read_text("utf-8") + "\n## Token Bucket\n")

    async def body(session: Session) -> tuple[list[types.CompletionItem], ...]:
        uri = session.open(site / GUIDE, typing)
        document = types.TextDocumentIdentifier(uri=uri)
        found = []
        last = typing.count("\n")
        for position in (types.Position(1, 0), types.Position(last, len(typing.splitlines()[-1]))):
            answer = await session.client.text_document_completion_async(
                types.CompletionParams(text_document=document, position=position)
            )
            assert isinstance(answer, types.CompletionList)
            found.append(answer.items)
        return tuple(found)

    keys, anchors = run_session(site, home, body)
    assert [item.text_edit.new_text for item in keys if item.label == "difficulty"] == [
        "difficulty: intermediate"
    ]
    assert "title" not in {item.label for item in keys}  # already answered
    assert "token-bucket" in {item.label for item in anchors}


def test_the_server_asks_to_watch_the_docs_folder_when_the_client_can(
    site: Path, home: Path
) -> None:
    asked: list[types.RegistrationParams] = []
    watching = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watching)
    )

    async def body(session: Session) -> None:
        @session.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            asked.append(params)

        uri = session.open(site / GUIDE)  # a round-trip: the registration came before it
        await session.wait_for(uri, lambda found: True)

    run_session(site, home, body, capabilities=capabilities)
    (registration,) = asked[0].registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES


def test_a_page_made_by_new_beside_the_editor_is_known_with_its_answers(
    site: Path, home: Path
) -> None:
    linking = (site / GUIDE).read_text("utf-8") + "\nSee [queues](../coding/queues.md).\n"

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE, linking)
        found = await session.wait_for(uri, lambda found: bool(found))
        assert [d.message for d in found] == ["link: ../coding/queues.md does not exist"]
        made = run_cli(
            "new-tutorial",
            "--defaults",
            "--topic",
            "Queues",
            "--section",
            "coding",
            "--contributor",
            "Ada",
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--objective",
            "Queue",
            "--skill",
            "q",
            "--difficulty",
            "advanced",
            "--estimated-time",
            "30 min",
            cwd=site,
            home=home,
        )
        assert made.returncode == 0, made.stderr
        created = site / "docs/coding/queues.md"
        event = types.FileEvent(uri=created.as_uri(), type=types.FileChangeType.Created)
        session.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[event])
        )
        assert await session.wait_for(uri, lambda found: not found) == []
        new_uri = session.open(created)  # its answers were read: no GW501
        assert await session.wait_for(new_uri, lambda found: True) == []

    run_session(site, home, body)


def _local_template(site: Path, tmp_path: Path) -> Path:
    """A copy of the bundled template in a folder of its own, the site's template."""
    repo = Path(__file__).resolve().parents[1]
    template = tmp_path / "template"
    template.mkdir()
    shutil.copy(repo / "copier.yml", template / "copier.yml")
    shutil.copytree(repo / "template", template / "template")
    config = site / ".guidewright" / "config.yml"
    config.write_text(f"template: {template}\n" + config.read_text("utf-8"), "utf-8")
    return template


@pytest.mark.parametrize("edited", ["copier.yml", "template/_partials/rules.jinja"])
def test_an_edit_to_a_local_template_is_judged_by_the_running_server(
    site: Path, home: Path, tmp_path: Path, edited: str
) -> None:
    """The site's template is a folder of its own, outside the folders the client
    watches; the author edits its copier.yml (the guide's difficulty no longer allowed),
    or the file its validators import (a shorter title): the next change of the open page
    is judged with the template as it now is, as `check` judges it (a review found the
    server kept the questionnaire it first loaded until it ended)."""
    template = _local_template(site, tmp_path)
    text = (site / GUIDE).read_text("utf-8")
    field = "difficulty" if edited == "copier.yml" else "title"

    def findings_of_check() -> set[tuple[object, object]]:
        return {
            (p["code"], f"{p['field']}: {p['message']}")
            for p in check_json(site, home)
            if p["path"] == GUIDE and p["field"] == field
        }

    before = findings_of_check()

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        found = await session.wait_for(uri, lambda found: True)
        assert {(d.code, d.message) for d in found if d.message.startswith(field)} == before
        path = template / edited
        if edited == "copier.yml":
            path.write_text(
                path.read_text("utf-8").replace(
                    "[beginner, intermediate, advanced, expert]", "[beginner, advanced]"
                ),
                "utf-8",
            )
        else:
            long = "macro one_line(value, max_length=1000)"
            path.write_text(
                path.read_text("utf-8").replace(long, long.replace("1000", "20")), "utf-8"
            )
        after = findings_of_check()
        assert after != before and {code for code, _ in after} == {"GW101"}
        told = session.diagnostics[uri]
        session.change(uri, text)  # the author types on: the page is told again
        found = await session.wait_for(uri, lambda found: found is not told)
        assert {(d.code, d.message) for d in found if d.message.startswith(field)} == after

    run_session(site, home, body)


def test_a_local_template_saved_broken_then_mended_is_read_again(
    site: Path, home: Path, tmp_path: Path
) -> None:
    """The site's local template's copier.yml saved broken (the site cannot be read, said
    once), then mended with the guide's difficulty no longer allowed: the next change of
    the open page is judged with the mended template (a review found the refusal kept
    while the site's own configuration stood)."""
    template = _local_template(site, tmp_path)
    text = (site / GUIDE).read_text("utf-8")
    copier = template / "copier.yml"
    good = copier.read_text("utf-8")

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        await session.wait_for(uri, lambda found: True)
        copier.write_text(good + "\n: : [ broken\n", "utf-8")
        told = session.diagnostics[uri]
        session.change(uri, text)
        await session.wait_for(uri, lambda found: found is not told)
        narrower = "[beginner, advanced]"
        copier.write_text(good.replace("[beginner, intermediate, advanced, expert]", narrower))
        told = session.diagnostics[uri]
        session.change(uri, text + "\n")
        mended = await session.wait_for(uri, lambda found: found is not told)
        assert any(d.message.startswith("difficulty") for d in mended)

    run_session(site, home, body)


def test_a_local_template_whose_included_file_is_mended_is_read_again(
    site: Path, home: Path, tmp_path: Path
) -> None:
    """The site's local template `!include`s a file saved broken before the server
    starts: its first load fails there, so the refusal stands on more than copier.yml
    (a review found it kept until copier.yml itself changed). The included file mended,
    the guide's difficulty no longer allowed: the next change of the page is judged so."""
    template = _local_template(site, tmp_path)
    text = (site / GUIDE).read_text("utf-8")
    copier = template / "copier.yml"
    copier.write_text(copier.read_text("utf-8") + "---\n!include 'extra.yml'\n", "utf-8")
    included = template / "extra.yml"
    included.write_text("difficulty: [broken\n", "utf-8")

    async def body(session: Session) -> None:
        uri = session.open(site / GUIDE)
        await session.wait_for(uri, lambda found: True)
        narrower = "difficulty:\n  type: str\n  help: Difficulty\n  choices: [beginner]\n"
        included.write_text(narrower, "utf-8")
        told = session.diagnostics[uri]
        session.change(uri, text + "\n")
        mended = await session.wait_for(uri, lambda found: found is not told)
        assert any(d.message.startswith("difficulty") for d in mended)

    run_session(site, home, body)
