"""The language server against what a client or the disk may send it: a negative position
gets an error answer (never silence, which leaves the client waiting), a lone surrogate in
the editor's text is judged like any other character, and an `update` run beside the
editor is seen: its pages stop saying "run update"."""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from edited_guides import clone_site
from forked_command import ForkedCommand
from lsp_client import Session, run_session
from lsprotocol import types
from support import HANG, isolated_env
from test_lsp import GUIDE, built  # noqa: F401  (the fixture)


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:  # noqa: F811
    return Path(shutil.copytree(built, tmp_path / "site"))


def codes(found: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in found}


class RawClient:
    """JSON-RPC by hand, for what pygls's own client refuses to send (a negative position),
    to a server forked from forked_command.py's launcher (as lsp_client.py's are), its
    stdin and stdout pipes to this client."""

    def __init__(self, site: Path, home: Path) -> None:
        server_in, to_server = os.pipe()
        from_server, server_out = os.pipe()
        try:
            self.run = ForkedCommand(
                ("lsp",), site, isolated_env(home), stdio=(server_in, server_out)
            )
        finally:
            os.close(server_in)  # the server holds its own copies
            os.close(server_out)
        self.to_server = open(to_server, "wb")  # noqa: SIM115  (closed by close())
        self.from_server = from_server
        self.pending = b""

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.to_server.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.to_server.flush()

    def answer(self, number: int, seconds: float = HANG) -> dict[str, Any]:
        """The response to request `number` (notifications skipped); fails past `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while b"\r\n\r\n" in self.pending:
                head, rest = self.pending.split(b"\r\n\r\n", 1)
                length = int(re.search(rb"Content-Length: (\d+)", head).group(1))  # type: ignore[union-attr]
                if len(rest) < length:
                    break
                message, self.pending = json.loads(rest[:length]), rest[length:]
                if message.get("id") == number:
                    return dict(message)
            ready, _, _ = select.select([self.from_server], [], [], 0.5)
            if ready:
                self.pending += os.read(self.from_server, 65536)
        raise AssertionError(f"no answer to request {number}")

    def close(self) -> None:
        try:
            self.send({"id": 0, "method": "shutdown"})
            self.answer(0)
            self.send({"method": "exit"})
            assert self.run.wait(HANG) is not None, "the server did not end"
        finally:
            self.to_server.close()
            os.close(self.from_server)


def test_a_negative_position_is_answered_with_an_error(site: Path, tmp_path: Path) -> None:
    client = RawClient(site, tmp_path / "home")
    try:
        client.send(
            {
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": site.as_uri(), "capabilities": {}},
            }
        )
        client.answer(1)
        client.send({"method": "initialized", "params": {}})
        uri = (site / GUIDE).as_uri()
        item = {
            "uri": uri,
            "languageId": "markdown",
            "version": 1,
            "text": (site / GUIDE).read_text("utf-8"),
        }
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        answers = []
        for number, method, position in (
            (2, "textDocument/hover", {"line": -1, "character": 0}),
            (3, "textDocument/completion", {"line": 0, "character": -5}),
            (4, "textDocument/hover", {"line": 2, "character": 1}),  # still serving
        ):
            params = {"textDocument": {"uri": uri}, "position": position}
            client.send({"id": number, "method": method, "params": params})
            answers.append(client.answer(number))
    finally:
        client.close()
    assert answers[0]["error"] == {
        "code": -32602,
        "message": "Position.line should be in range [0:2147483647], but was -1.",
    }
    assert answers[1]["error"]["message"].startswith("Position.character should be")
    assert answers[2]["result"]["contents"]["value"].startswith("**")  # a question's help


def test_a_lone_surrogate_is_judged_like_any_character(site: Path, tmp_path: Path) -> None:
    text = (site / GUIDE).read_text("utf-8")
    broken = text.replace('difficulty: "intermediate"', 'difficulty: "hard\ud800"', 1)
    assert broken != text

    async def body(session: Session) -> list[types.Diagnostic]:
        uri = session.open(site / GUIDE, broken)
        found = await session.wait_for(uri, lambda found: "GW101" in codes(found))
        hover = await session.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(2, 1))
        )
        assert hover is not None
        return found

    found = run_session(site, tmp_path / "home", body)
    refused = [d for d in found if d.code == "GW101"]
    assert refused and "difficulty" in refused[0].message


def test_after_update_no_page_says_run_update(
    edited_site: tuple[Path, Path, Path],
    tmp_path: Path,
) -> None:
    origin, _, home = edited_site
    site = clone_site(origin, tmp_path / "site")
    page = site / "docs/system-design/untouched.md"

    async def body(session: Session) -> None:
        uri = session.open(page)
        await session.wait_for(uri, lambda found: "GW503" in codes(found))
        # A process of its own (forked from the launcher): update holds Ctrl-C with signal
        # handlers, which only a main thread may set, and this test's main thread is the
        # editor's.
        updated = ForkedCommand(("update", "--defaults"), site, isolated_env(home))
        assert await asyncio.to_thread(updated.wait, HANG) is not None, "update hung"
        assert "Traceback" not in updated.stderr, updated.stderr
        session.change(uri, page.read_text("utf-8"))  # the editor reloads the page
        await session.wait_for(uri, lambda found: "GW503" not in codes(found))

    run_session(site, home, body)
