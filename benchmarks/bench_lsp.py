"""`guidewright lsp` on a site of N documents (default 10,000), against `guidewright check`
of the same site measured in the same run:

- start-up: from starting the server to the first page's diagnostics (the index of every
  page is built before the server answers `initialize`), against `check` on the whole site
  (target: at most 1.5x);
- a change: from an edit of one page sent to its diagnostics received, median over
  --changes edits, each judged with the site's index (target: 50 ms);
- the server's peak memory (VmHWM) holding the site's index (target: under 400 MB);
- completion of a prerequisite (every page of the site is one): items per answer (target: at
  most 100) and the median time from request to answer, as such and against a change's
  diagnostics measured in the same run (target: at most 50 ms), with nothing typed yet and
  after `topic 12` (fuzzy over titles and paths);
- a page moved on disk while the client watches no files (Neovim on Linux): from the rename to
  the broken link's diagnostic on the open page that links to it (target: within 2 s).

    python benchmarks/bench_lsp.py [--documents 10000] [--changes 40] [--runs 3]
    python benchmarks/bench_lsp.py --documents 5000  # the prerequisites target's size
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from site_factory import build_site

from guidewright.template.source import bundled_template

GUIDEWRIGHT = str(Path(sys.executable).parent / "guidewright")


async def completions(
    client: LanguageClient, uri: str, text: str, version: int, asks: int
) -> tuple[list[float], int]:
    """(each prerequisites completion's seconds, the most items one answer carried)."""
    lines = text.splitlines()
    line = next(n for n, t in enumerate(lines) if t.startswith("prerequisites:"))
    times, most = [], 0
    for typed in ("", "topic 12"):
        # The author starts a new item in the prerequisites' flow list.
        new_line = lines[line].replace("]", f", {typed}]", 1)
        new = "\n".join([*lines[:line], new_line, *lines[line + 1 :]]) + "\n"
        identifier = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentContentChangeWholeDocument(text=new)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=identifier, content_changes=[change])
        )
        version += 1
        position = types.Position(line, new_line.index(f", {typed}]") + 2 + len(typed))
        for _ in range(asks):
            sent = time.perf_counter()
            answer = await client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri), position=position
                )
            )
            times.append(time.perf_counter() - sent)
            assert isinstance(answer, types.CompletionList) and answer.items, "pages offered"
            most = max(most, len(answer.items))
    return times, most


async def session(site: Path, changes: int) -> tuple[float, list[float], int, list[float], int]:
    """(start-up seconds, each change's seconds, peak kB of the server, each prerequisites
    completion's seconds, the most items one carried)."""
    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(params)

    page = next(iter(sorted((site / "docs").rglob("*.md"), key=lambda p: -p.stat().st_size)))
    text = page.read_text("utf-8")
    uri = page.as_uri()
    started = time.perf_counter()
    await client.start_io(GUIDEWRIGHT, "lsp", cwd=str(site))
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), process_id=None)
    )
    client.initialized(types.InitializedParams())
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    # What the page says as it is (a review date past by now, say): the edits add to it.
    baseline = len((await arrived.get()).diagnostics)
    start_up = time.perf_counter() - started
    timings = []
    for version in range(2, changes + 2):
        # Alternately a refused value and the page as it was: the findings change each time.
        new = text.replace('status: "', 'status: "not-', 1) if version % 2 else text
        identifier = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        change = types.TextDocumentContentChangeWholeDocument(text=new)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=identifier, content_changes=[change])
        )
        while (answer := await arrived.get()).version != version:
            pass
        timings.append(time.perf_counter() - sent)
        added = len(answer.diagnostics) > baseline
        assert added == bool(version % 2), "the edit is judged"
    completed, most = await completions(client, uri, text, changes + 2, changes // 2 or 1)
    moved = await moved_on_disk(client, arrived, page, text, changes + 10)
    assert client._server is not None
    status = Path(f"/proc/{client._server.pid}/status").read_text()
    peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return start_up, timings, peak, completed, most, moved


async def moved_on_disk(
    client: LanguageClient,
    arrived: asyncio.Queue[types.PublishDiagnosticsParams],
    page: Path,
    text: str,
    version: int,
) -> float:
    """Seconds from renaming a page on disk to the finding on the open page linking to it;
    the page is renamed back after."""
    target = next(p for p in sorted(page.parent.glob("*.md")) if p != page)
    linked = text + f"\n[moved]({target.name})\n"
    identifier = types.VersionedTextDocumentIdentifier(uri=page.as_uri(), version=version)
    change = types.TextDocumentContentChangeWholeDocument(text=linked)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(text_document=identifier, content_changes=[change])
    )
    while (answer := await arrived.get()).version != version:
        pass
    before = len(answer.diagnostics)
    away = target.with_name("moved-away.md")
    renamed = time.perf_counter()
    target.rename(away)
    try:
        while len((await arrived.get()).diagnostics) <= before:
            pass
        return time.perf_counter() - renamed
    finally:
        away.rename(target)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        template = bundled_template()
        build_site(site, arguments.documents, template, str(template), None, GUIDEWRIGHT)
        checks, start_ups, changes, peaks, completed, most, moves = [], [], [], [], [], 0, []
        for _ in range(arguments.runs):  # interleaved: the load of a shared machine drifts
            began = time.perf_counter()
            subprocess.run([GUIDEWRIGHT, "check"], cwd=site, capture_output=True, check=False)
            checks.append(time.perf_counter() - began)
            start_up, timings, peak, asked, carried, moved = asyncio.run(
                session(site, arguments.changes)
            )
            moves.append(moved)
            completed.extend(asked)
            most = max(most, carried)
            start_ups.append(start_up)
            changes.extend(timings)
            peaks.append(peak)
        check, start = statistics.median(checks), statistics.median(start_ups)
        change = statistics.median(changes) * 1000
        print(f"documents: {arguments.documents}")
        print(f"guidewright check, whole site: {check:.2f} s (median of {arguments.runs})")
        print(
            f"server start-up to first diagnostics: {start:.2f} s; ratio to check: "
            f"{start / check:.2f} (target: at most 1.5)"
        )
        print(
            f"diagnostics after a change: median {change:.1f} ms, "
            f"p90 {statistics.quantiles(changes, n=10)[-1] * 1000:.1f} ms over {len(changes)} "
            f"changes (target: at most 50 ms)"
        )
        print(f"server peak memory: {max(peaks) / 1024:.0f} MB (target: under 400 MB)")
        completion = statistics.median(completed) * 1000
        print(
            f"prerequisites completion: at most {most} items an answer (target: at most 100); "
            f"median {completion:.1f} ms, p90 {statistics.quantiles(completed, n=10)[-1] * 1000:.1f} "
            f"ms over {len(completed)} requests (target: at most 50 ms); "
            f"ratio to a change's diagnostics: {completion / change:.2f}"
        )
        print(
            f"a page moved on disk, no client watching: its link's finding after "
            f"{max(moves):.2f} s at most over {len(moves)} runs (target: within 2 s)"
        )


if __name__ == "__main__":
    main()
